/**
 * Helpers for the small WebAssembly functions the hot loops are assembled into byte by byte (no
 * toolchain, no dependency): the keyword prefilter (src/secrets/wasm-dfa.ts) and the git delta applier
 * (connectors/git/pack/delta-machine.ts). Binary format: https://webassembly.github.io/spec/core/binary/.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const wasmName = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'ascii')];

/**
 * A module of one function taking `params` i32 parameters and returning `results` i32 values, exported
 * as `name`, with its own memory of `pages` pages exported as `mem`; `body` is the function body (locals
 * declaration and code, ending with `end`).
 */
export function oneFunctionModule(name: string, params: number, results: number, pages: number, body: number[]): Uint8Array {
  const I32 = 0x7f;
  const magicAndVersion = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return new Uint8Array([
    ...magicAndVersion,
    ...section(1, [1, 0x60, ...uleb(params), ...Array<number>(params).fill(I32), ...uleb(results), ...Array<number>(results).fill(I32)]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, ...uleb(pages)]),
    ...section(7, [2, ...wasmName(name), 0x00, 0, ...wasmName('mem'), 0x02, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/** The slice of the WebAssembly JS API used here (the project compiles without the DOM lib that declares it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** Instantiates a module from oneFunctionModule: its function and its memory. */
export function instantiateOne<F>(bytes: Uint8Array, name: string): { fn: F; memory: { buffer: ArrayBuffer } } {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { exports } = new wasm.Instance(new wasm.Module(bytes), {});
  return { fn: exports[name] as F, memory: exports.mem as { buffer: ArrayBuffer } };
}
