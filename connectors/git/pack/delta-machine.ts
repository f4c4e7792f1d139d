/**
 * The pack walk's memory as WebAssembly memory, and git's delta instructions applied there by a small
 * WebAssembly function assembled here byte by byte (src/wasm-assembly.ts).
 *
 * Why: a delta is mostly short copies. `git fast-import` cuts a file of similar lines into copies of ~50
 * bytes (58 per version of the synthetic history's files), and the JavaScript loop paid ~65 ns for each:
 * a call into V8's C++ `copyWithin` (~30 ns) and the instruction's bytes read through typed-array loads.
 * WebAssembly's `memory.copy` is an inline memmove, and the whole loop stays in one call: ~10 ns a copy.
 *
 * Memory: the walk's chain arena (contents along one delta chain, the delta being applied at its far end,
 * see pack-walk.ts) at [0, arenaBytes), then two result words and the copy log: (destination, source,
 * length) triples as int32, which the keyword hits of the result are derived from (delta-hits.ts).
 * The function does what `applyDelta`'s loop does (delta.ts), with the same bounds checks and errors,
 * and returns 0, or a negative code: every code but LOG_FULL is an error `applyDelta` would throw.
 */
import { oneFunctionModule, instantiateOne, sleb } from '../../../src/wasm-assembly.js';

/** Return codes of the function. */
export const APPLIED = 0,
  COPY_OUTSIDE = -1,
  INSERT_PAST_END = -2,
  RESERVED_OPCODE = -3,
  /** More copies than the log holds: the caller applies the delta in JavaScript instead. */
  LOG_FULL = -4,
  WRONG_SIZE = -5;

/** apply(base, baseLength, instructions, end, out, size, log, logCapacity) → a code above. */
type WasmApply = (base: number, baseLength: number, pos: number, end: number, out: number, size: number, log: number, logCapacity: number) => number;

/** Copies logged in WebAssembly memory; a delta with more goes through JavaScript. */
const LOG_TRIPLES = 64 * 1024;

// Parameters, then locals.
const BASE = 0,
  BASE_LENGTH = 1,
  POS = 2,
  END = 3,
  OUT = 4,
  SIZE = 5,
  LOG = 6,
  LOG_CAPACITY = 7,
  OP = 8,
  OFFSET = 9,
  LENGTH = 10,
  WRITTEN = 11,
  COUNT = 12;
const DECLARED_LOCALS = 5;

const I32 = 0x7f,
  VOID = 0x40;
const get = (l: number) => [0x20, l];
const set = (l: number) => [0x21, l];
const c = (n: number) => [0x41, ...sleb(n)];
const load8 = [0x2d, 0, 0];
const store = (offset: number) => [0x36, 2, offset];
const add = 0x6a,
  sub = 0x6b,
  mul = 0x6c,
  and = 0x71,
  or = 0x72,
  shl = 0x74,
  eqz = 0x45,
  ne = 0x47,
  gtU = 0x4b,
  geU = 0x4f;
const block = [0x02, VOID],
  loop = [0x03, VOID],
  ifThen = [0x04, VOID],
  elseDo = 0x05,
  end = 0x0b,
  br = 0x0c,
  brIf = 0x0d,
  ret = 0x0f;
const memoryCopy = [0xfc, 10, 0, 0];

/** if (condition) return code */
const failIf = (condition: number[], code: number) => [...condition, ...ifThen, ...c(code), ret, end];

/** local = byte at pos, shifted left by `shift`, or-ed into local unless `first`; pos += 1 (when op has `bit`). */
function operandByte(bit: number, local: number, shift: number, first: boolean): number[] {
  const byte = [...get(POS), ...load8, ...(shift ? [...c(shift), shl] : [])];
  return [...get(OP), ...c(bit), and, ...ifThen, ...byte, ...(first ? [] : [...get(local), or]), ...set(local), ...get(POS), ...c(1), add, ...set(POS), end];
}

/** A copy instruction (op has its high bit): read its operands, check them, log it, copy. */
function copyInstruction(): number[] {
  return [
    ...c(0),
    ...set(OFFSET),
    ...c(0),
    ...set(LENGTH),
    ...operandByte(0x01, OFFSET, 0, true),
    ...operandByte(0x02, OFFSET, 8, false),
    ...operandByte(0x04, OFFSET, 16, false),
    ...operandByte(0x08, OFFSET, 24, false),
    ...operandByte(0x10, LENGTH, 0, true),
    ...operandByte(0x20, LENGTH, 8, false),
    ...operandByte(0x40, LENGTH, 16, false),
    ...get(LENGTH),
    eqz,
    ...ifThen,
    ...c(0x10000),
    ...set(LENGTH),
    end,
    // Unsigned: offset + length > baseLength without overflowing, as applyDelta checks it.
    ...failIf([...get(POS), ...get(END), gtU], COPY_OUTSIDE),
    ...failIf([...get(OFFSET), ...get(BASE_LENGTH), gtU], COPY_OUTSIDE),
    ...failIf([...get(LENGTH), ...get(BASE_LENGTH), ...get(OFFSET), sub, gtU], COPY_OUTSIDE),
    ...failIf([...get(LENGTH), ...get(SIZE), ...get(WRITTEN), sub, gtU], COPY_OUTSIDE),
    ...failIf([...get(COUNT), ...get(LOG_CAPACITY), geU], LOG_FULL),
    // The triple (written, offset, length) at log + 8 + 12 × count (after the two result words).
    ...get(LOG),
    ...get(COUNT),
    ...c(12),
    mul,
    add,
    ...set(OP), // OP is free from here on: the triple's address
    ...get(OP),
    ...get(WRITTEN),
    ...store(8),
    ...get(OP),
    ...get(OFFSET),
    ...store(12),
    ...get(OP),
    ...get(LENGTH),
    ...store(16),
    ...get(COUNT),
    ...c(1),
    add,
    ...set(COUNT),
    // memory.copy(out + written, base + offset, length); written += length
    ...get(OUT),
    ...get(WRITTEN),
    add,
    ...get(BASE),
    ...get(OFFSET),
    add,
    ...get(LENGTH),
    ...memoryCopy,
    ...get(WRITTEN),
    ...get(LENGTH),
    add,
    ...set(WRITTEN),
  ];
}

/** An insert instruction (op 1 to 127): that many literal bytes follow. */
function insertInstruction(): number[] {
  return [
    ...failIf([...get(OP), ...get(END), ...get(POS), sub, gtU], INSERT_PAST_END),
    ...failIf([...get(OP), ...get(SIZE), ...get(WRITTEN), sub, gtU], INSERT_PAST_END),
    // memory.copy(out + written, pos, op); pos += op; written += op
    ...get(OUT),
    ...get(WRITTEN),
    add,
    ...get(POS),
    ...get(OP),
    ...memoryCopy,
    ...get(POS),
    ...get(OP),
    add,
    ...set(POS),
    ...get(WRITTEN),
    ...get(OP),
    add,
    ...set(WRITTEN),
  ];
}

/** The function body: the instruction loop, then the written size and copy count stored before the log. */
function applyBody(): number[] {
  return [
    1,
    DECLARED_LOCALS,
    I32,
    // while (pos < end) { op = delta[pos++]; op & 0x80 ? copy : op ? insert : fail }
    ...block,
    ...loop,
    ...get(POS),
    ...get(END),
    geU,
    brIf,
    1,
    ...get(POS),
    ...load8,
    ...set(OP),
    ...get(POS),
    ...c(1),
    add,
    ...set(POS),
    ...get(OP),
    ...c(0x80),
    and,
    ...ifThen,
    ...copyInstruction(),
    elseDo,
    ...failIf([...get(OP), eqz], RESERVED_OPCODE),
    ...insertInstruction(),
    end,
    br,
    0,
    end,
    end,
    ...get(LOG),
    ...get(WRITTEN),
    ...store(0),
    ...get(LOG),
    ...get(COUNT),
    ...store(4),
    ...failIf([...get(WRITTEN), ...get(SIZE), ne], WRONG_SIZE),
    ...c(APPLIED),
    end,
  ];
}

/** One pack walker's memory (its chain arena and the copy log) and the function that applies deltas in it. */
export class DeltaMachine {
  /** The arena: [0, arenaBytes) of the memory. */
  readonly arena: Buffer;
  /** The copy log of the last delta applied here: (destination, source, length) triples. */
  readonly log: Int32Array<ArrayBuffer>;
  private readonly words: Int32Array;
  private readonly resultAt: number;

  private constructor(
    private readonly apply: WasmApply,
    memory: ArrayBuffer,
    arenaBytes: number,
  ) {
    this.arena = Buffer.from(memory, 0, arenaBytes);
    // Two words (written size, copy count), then the log; 8 bytes past the arena, which a truncated copy
    // instruction at its very end may read before it is refused (its operands are read, then checked).
    this.resultAt = arenaBytes + 8;
    this.words = new Int32Array(memory, this.resultAt, 2);
    this.log = new Int32Array(memory, this.resultAt + 8, 3 * LOG_TRIPLES);
  }

  /** A machine whose arena holds `arenaBytes` (a multiple of 8), or undefined where WebAssembly is not available. */
  static create(arenaBytes: number): DeltaMachine | undefined {
    const pages = Math.ceil((arenaBytes + 16 + 12 * LOG_TRIPLES) / 65536);
    try {
      const { fn, memory } = instantiateOne<WasmApply>(oneFunctionModule('apply', 8, 1, pages, applyBody()), 'apply');
      return new DeltaMachine(fn, memory.buffer, arenaBytes);
    } catch {
      return undefined;
    }
  }

  /** Whether all three live in this machine's memory. */
  holds(base: Uint8Array, delta: Uint8Array, out: Uint8Array): boolean {
    const memory = this.arena.buffer;
    return base.buffer === memory && delta.buffer === memory && out.buffer === memory;
  }

  /**
   * Applies the instructions of `delta` from `pos` (after its header) to `base`, writing `size` bytes of `out`. Returns a
   * code (above); the copy count is then `copies()` and, on WRONG_SIZE, the bytes written `written()`.
   */
  run(base: Uint8Array, delta: Uint8Array, pos: number, out: Uint8Array, size: number): number {
    return this.apply(base.byteOffset, base.length, delta.byteOffset + pos, delta.byteOffset + delta.length, out.byteOffset, size, this.resultAt, LOG_TRIPLES);
  }

  written(): number {
    return this.words[0]!;
  }

  copies(): number {
    return this.words[1]!;
  }
}
