/**
 * The keyword prefilter's inner loop, as a tiny WebAssembly function assembled here byte by byte (no
 * toolchain, no dependency). The same dense DFA walked from JavaScript costs ~3.5 ns per character
 * (charCodeAt, two typed-array loads and two branches through the JIT). One walk in WebAssembly costs
 * ~2 ns: each step waits for the previous state's load. Two independent walks interleaved in one loop
 * (the two halves of a chunk) overlap those waits: ~1.1 ns per character, copying the text in included.
 *
 * One step, in WAT terms:
 *
 *   state = i32.load(DELTA + state + u16.load(CLASS + 2 * u8.load(TEXT + i)))
 *   if state >= firstOutput: store (i, state) at the hit cursor; cursor += 8
 *
 * States are byte offsets into the transition table and classes are pre-multiplied by 4, so a step is
 * three loads and an add. States that complete a keyword are numbered last, so "does this state report a
 * keyword" is one comparison with `firstOutput`.
 */

export interface DfaLayout {
  /** Byte offsets in linear memory. */
  classAt: number;
  deltaAt: number;
  textAt: number;
  hitsAt: number;
  pages: number;
}

export type WasmScan = (lengthA: number, lengthB: number, state: number, firstOutput: number, mid: number) => void;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
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

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'ascii')];

// Opcodes used below.
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  void: 0x40,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  load: 0x28,
  load8u: 0x2d,
  load16u: 0x2f,
  store: 0x36,
  geU: 0x4f,
  ltU: 0x49,
  select: 0x1b,
  add: 0x6a,
  sub: 0x6b,
  shl: 0x74,
  shrU: 0x76,
} as const;
const I32 = 0x7f;

/** The scan function's locals: its 5 parameters, then 5 × i32 (i, cursorA, cursorB, n, stateB). */
const LEN_A = 0,
  LEN_B = 1,
  STATE_A = 2,
  FIRST_OUTPUT = 3,
  MID = 4,
  I = 5,
  CUR_A = 6,
  CUR_B = 7,
  N = 8,
  STATE_B = 9;
const get = (l: number): number[] => [OP.localGet, l];
const set = (l: number): number[] => [OP.localSet, l];
const tee = (l: number): number[] => [OP.localTee, l];
const c = (n: number): number[] => [OP.i32Const, ...sleb(n)];
const mem = (op: number, align: number, offset: number): number[] => [op, align, ...uleb(offset)];

/** state = delta[state + class[text[address]]]; record (address, state) when it completes a keyword. */
function step(layout: DfaLayout, state: number, cursor: number, address: number[]): number[] {
  return [
    ...get(state),
    ...address,
    ...mem(OP.load8u, 0, layout.textAt),
    ...c(1),
    OP.shl,
    ...mem(OP.load16u, 1, layout.classAt),
    OP.add,
    ...mem(OP.load, 2, layout.deltaAt),
    ...tee(state),
    ...get(FIRST_OUTPUT),
    OP.geU,
    OP.if,
    OP.void,
    ...get(cursor),
    ...address,
    ...mem(OP.store, 2, 0),
    ...get(cursor),
    ...get(state),
    ...mem(OP.store, 2, 4),
    ...get(cursor),
    ...c(8),
    OP.add,
    ...set(cursor),
    OP.end,
  ];
}

/** while (i < limit) { body; i++ } */
function whileBelow(limit: number[], body: number[]): number[] {
  return [
    OP.block,
    OP.void,
    OP.loop,
    OP.void,
    ...get(I),
    ...limit,
    OP.geU,
    OP.brIf,
    1,
    ...body,
    ...get(I),
    ...c(1),
    OP.add,
    ...set(I),
    OP.br,
    0,
    OP.end,
    OP.end,
  ];
}

/** words[0] = lenB ? stateB : stateA; words[1] = hits of A; words[2] = hits of B. */
function storeResults(layout: DfaLayout & { hitsBAt: number }): number[] {
  const hitCount = (cursor: number, base: number, at: number): number[] => [
    ...c(0),
    ...get(cursor),
    ...c(base),
    OP.sub,
    ...c(3),
    OP.shrU,
    ...mem(OP.store, 2, at),
  ];
  return [
    ...c(0),
    ...get(STATE_B),
    ...get(STATE_A),
    ...get(LEN_B),
    OP.select,
    ...mem(OP.store, 2, 0),
    ...hitCount(CUR_A, layout.hitsAt, 4),
    ...hitCount(CUR_B, layout.hitsBAt, 8),
  ];
}

/** The scan function's code: both walks in lockstep while both have text, then whichever is longer alone. */
function scanCode(layout: DfaLayout & { hitsBAt: number }): number[] {
  const addrA = get(I);
  const addrB = [...get(MID), ...get(I), OP.add];
  return [
    ...c(layout.hitsAt),
    ...set(CUR_A),
    ...c(layout.hitsBAt),
    ...set(CUR_B),
    // n = min(lenA, lenB)
    ...get(LEN_A),
    ...get(LEN_B),
    ...get(LEN_A),
    ...get(LEN_B),
    OP.ltU,
    OP.select,
    ...set(N),
    ...whileBelow(get(N), [...step(layout, STATE_A, CUR_A, addrA), ...step(layout, STATE_B, CUR_B, addrB)]),
    ...whileBelow(get(LEN_A), step(layout, STATE_A, CUR_A, addrA)),
    ...whileBelow(get(LEN_B), step(layout, STATE_B, CUR_B, addrB)),
    ...storeResults(layout),
    OP.end,
  ];
}

/**
 * Assembles the module for a given memory layout (offsets are baked into the loads as immediates).
 *
 * One DFA walk is a chain of dependent loads (the next state needs the previous one), so a single walk
 * leaves most of the CPU idle. The function therefore walks two streams in lockstep: A over
 * [0, lenA) starting from the carried-in state, B over [mid, mid + lenB) from the root. The caller
 * makes A run past `mid` by the longest keyword minus one, so every keyword that starts before `mid`
 * is completed by A and every one starting at or after it by B (the caller drops A's hits that start at
 * or after `mid`). Hits of A go to hitsAt, hits of B to hitsAt + 8 × CHUNK, as (offset, state) pairs.
 * On return, words 0..2 hold the state to carry into the next chunk (B's, or A's when lenB is 0) and
 * the two hit counts.
 */
export function assembleDfaModule(layout: DfaLayout & { hitsBAt: number }): Uint8Array {
  const body = [1, 5, I32, ...scanCode(layout)]; // locals: 5 × i32 (i, cursorA, cursorB, n, stateB)
  const magicAndVersion = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return new Uint8Array([
    ...magicAndVersion,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, ...uleb(layout.pages)]),
    ...section(7, [2, ...name('scan'), 0x00, 0, ...name('mem'), 0x02, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/** The slice of the WebAssembly JS API used here (the project compiles without the DOM lib that declares it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: { scan: WasmScan; mem: { buffer: ArrayBuffer } } };
}

export function instantiateDfa(layout: DfaLayout & { hitsBAt: number }): { scan: WasmScan; memory: { buffer: ArrayBuffer } } {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const instance = new wasm.Instance(new wasm.Module(assembleDfaModule(layout)), {});
  return { scan: instance.exports.scan, memory: instance.exports.mem };
}
