/**
 * The keyword prefilter's inner loop, as a tiny WebAssembly function assembled here byte by byte (no
 * toolchain, no dependency). The same dense DFA walked from JavaScript costs ~3.5 ns per character
 * (charCodeAt, two typed-array loads and two branches through the JIT). One walk in WebAssembly costs
 * ~2 ns: each step waits for the previous state's load. Several independent walks interleaved in one loop
 * (one per part of a chunk) overlap those waits: two cost ~1.1 ns per character, four ~0.7 ns.
 *
 * One step of walk j, in WAT terms:
 *
 *   state_j = i32.load(DELTA + state_j + u16.load(CLASS + 2 * u8.load(TEXT_j + i)))
 *   if state_j >= FIRST_OUTPUT: store (i, state_j) at hit cursor j; cursor_j += 8
 *
 * States are byte offsets into the transition table and classes are pre-multiplied by 4, so a step is
 * three loads and an add. States that complete a keyword are numbered last, so "does this state report a
 * keyword" is one comparison with FIRST_OUTPUT. Every walk has its own text and hit areas at fixed
 * offsets, baked into the instructions as immediates with FIRST_OUTPUT, so the loop keeps only the
 * states, the cursors and the index in registers.
 */

import { instantiateOne, oneFunctionModule, sleb, uleb } from '../wasm-assembly.js';

export interface DfaLayout {
  /** How many walks run interleaved. */
  walks: number;
  /** Byte offsets in linear memory (words 0 .. 2 × walks − 1 hold the results, see assembleDfaModule). */
  classAt: number;
  deltaAt: number;
  /** Walk j reads its text at textAt + j × stride and writes its hits at hitsAt + 8 × j × stride. */
  textAt: number;
  hitsAt: number;
  /** Characters per walk, at most. */
  stride: number;
  /** Byte offset (in the transition table) of the first state that completes a keyword. */
  firstOutput: number;
  pages: number;
}

/** scan(state, length_0, …, length_{walks−1}): walk 0 starts in `state`, the others at the root. */
export type WasmScan = (state: number, ...lengths: number[]) => void;

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

/**
 * The scan function's locals: parameters state_0 and length_0 .. length_{K−1}, then states 1 .. K−1,
 * cursors 0 .. K−1, the index and the lockstep bound.
 */
function locals(walks: number) {
  return {
    state: (j: number) => (j === 0 ? 0 : walks + j),
    length: (j: number) => 1 + j,
    cursor: (j: number) => 2 * walks + j,
    i: 3 * walks,
    n: 3 * walks + 1,
    declared: 2 * walks + 1,
  };
}
const get = (l: number): number[] => [OP.localGet, l];
const set = (l: number): number[] => [OP.localSet, l];
const tee = (l: number): number[] => [OP.localTee, l];
const c = (n: number): number[] => [OP.i32Const, ...sleb(n)];
const mem = (op: number, align: number, offset: number): number[] => [op, align, ...uleb(offset)];
const hitsOf = (layout: DfaLayout, j: number): number => layout.hitsAt + 8 * j * layout.stride;

/** state_j = delta[state_j + class[text_j[i]]]; record (i, state_j) when it completes a keyword. */
function step(layout: DfaLayout, j: number): number[] {
  const L = locals(layout.walks);
  const [state, cursor] = [L.state(j), L.cursor(j)];
  return [
    ...get(state),
    ...get(L.i),
    ...mem(OP.load8u, 0, layout.textAt + j * layout.stride),
    ...c(1),
    OP.shl,
    ...mem(OP.load16u, 1, layout.classAt),
    OP.add,
    ...mem(OP.load, 2, layout.deltaAt),
    ...tee(state),
    ...c(layout.firstOutput),
    OP.geU,
    OP.if,
    OP.void,
    ...get(cursor),
    ...get(L.i),
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
function whileBelow(i: number, limit: number[], body: number[]): number[] {
  return [
    OP.block,
    OP.void,
    OP.loop,
    OP.void,
    ...get(i),
    ...limit,
    OP.geU,
    OP.brIf,
    1,
    ...body,
    ...get(i),
    ...c(1),
    OP.add,
    ...set(i),
    OP.br,
    0,
    OP.end,
    OP.end,
  ];
}

/** words[j] = state_j; words[walks + j] = hits of walk j. */
function storeResults(layout: DfaLayout): number[] {
  const L = locals(layout.walks);
  const out: number[] = [];
  for (let j = 0; j < layout.walks; j++) {
    out.push(...c(0), ...get(L.state(j)), ...mem(OP.store, 2, 4 * j));
    out.push(...c(0), ...get(L.cursor(j)), ...c(hitsOf(layout, j)), OP.sub, ...c(3), OP.shrU, ...mem(OP.store, 2, 4 * (layout.walks + j)));
  }
  return out;
}

/** The scan function's code: every walk in lockstep while all have text, then each alone to its end. */
function scanCode(layout: DfaLayout): number[] {
  const L = locals(layout.walks);
  const walks = [...Array(layout.walks).keys()];
  const code: number[] = [];
  for (const j of walks) code.push(...c(hitsOf(layout, j)), ...set(L.cursor(j)));
  // n = min(length_0, …, length_{K−1})
  code.push(...get(L.length(0)), ...set(L.n));
  for (const j of walks.slice(1)) code.push(...get(L.length(j)), ...get(L.n), ...get(L.length(j)), ...get(L.n), OP.ltU, OP.select, ...set(L.n));
  code.push(
    ...whileBelow(
      L.i,
      get(L.n),
      walks.flatMap((j) => step(layout, j)),
    ),
  );
  for (const j of walks) code.push(...get(L.n), ...set(L.i), ...whileBelow(L.i, get(L.length(j)), step(layout, j)));
  code.push(...storeResults(layout), OP.end);
  return code;
}

/**
 * Assembles the module for a given memory layout (offsets are baked into the loads as immediates).
 *
 * One DFA walk is a chain of dependent loads (the next state needs the previous one), so a single walk
 * leaves most of the CPU idle. The function therefore walks `walks` texts in lockstep: walk j over
 * length_j characters at textAt + j × stride, walk 0 from the carried-in state, the others from the
 * root. The caller splits a chunk into consecutive parts and gives each walk its part plus the longest
 * keyword minus one characters of the next, so every keyword is completed by the walk whose part it
 * starts in (the caller drops a walk's hits that start in the next part). Hits of walk j are (index,
 * state) pairs at hitsAt + 8 × j × stride. On return, words 0 .. walks − 1 hold each walk's final state
 * and words walks .. 2 × walks − 1 their hit counts.
 */
export function assembleDfaModule(layout: DfaLayout): Uint8Array {
  const L = locals(layout.walks);
  const body = [1, ...uleb(L.declared), I32, ...scanCode(layout)];
  return oneFunctionModule('scan', 1 + layout.walks, 0, layout.pages, body);
}

export function instantiateDfa(layout: DfaLayout): { scan: WasmScan; memory: { buffer: ArrayBuffer } } {
  const { fn, memory } = instantiateOne<WasmScan>(assembleDfaModule(layout), 'scan');
  return { scan: fn, memory };
}
