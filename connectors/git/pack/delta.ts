/**
 * Git's delta format (gitformat-pack(5), "Deltified representation"): the base's size and the result's
 * size as varints, then instructions that either copy a range of the base or insert literal bytes.
 * Every instruction is bounds-checked: a corrupt pack yields an error, never a read past a buffer.
 */
import { APPLIED, COPY_OUTSIDE, INSERT_PAST_END, LOG_FULL, RESERVED_OPCODE, WRONG_SIZE, type DeltaMachine } from './delta-machine.js';

export class DeltaError extends Error {}

const COPIES_OUTSIDE = 'delta copies outside its base or result';
const INSERTS_PAST_END = 'delta inserts past its end';
const RESERVED = 'reserved delta opcode 0';
const produced = (written: number, size: number) => `delta produced ${written} of ${size} bytes`;

function varint(delta: Uint8Array, at: { pos: number }): number {
  let value = 0,
    shift = 0,
    byte: number;
  do {
    if (at.pos >= delta.length) throw new DeltaError('truncated delta header');
    byte = delta[at.pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
}

/**
 * The copy instructions of the last delta applied, as (destination, source, length) triples in
 * destination order: what a consumer needs to carry facts about the base over to the result (the
 * secrets engine moves its keyword hits this way). Reused from one delta to the next.
 */
export class CopyLog {
  ops = new Int32Array(3 * 256);
  count = 0;

  push(dst: number, src: number, length: number): void {
    if (3 * this.count + 3 > this.ops.length) {
      const grown = new Int32Array(this.ops.length * 2);
      grown.set(this.ops);
      this.ops = grown;
    }
    this.ops[3 * this.count] = dst;
    this.ops[3 * this.count + 1] = src;
    this.ops[3 * this.count + 2] = length;
    this.count++;
  }
}

/** Copies shorter than this are a loop. */
const SHORT = 12;

/**
 * Builds the delta's result, in a buffer from `allocate` when given (the pack walker reuses its buffers),
 * by `machine` when base, delta and result all live in its memory (the pack walk's arena).
 */
export function applyDelta(
  base: Buffer,
  delta: Uint8Array,
  copies?: CopyLog,
  allocate: (size: number) => Buffer = Buffer.allocUnsafeSlow,
  machine?: DeltaMachine,
): Buffer {
  if (copies) copies.count = 0;
  const at = { pos: 0 };
  const baseSize = varint(delta, at);
  if (baseSize !== base.length) throw new DeltaError(`delta expects a ${baseSize}-byte base, got ${base.length}`);
  const size = varint(delta, at);
  const out = allocate(size);
  if (machine && copies && machine.holds(base, delta, out) && appliedBy(machine, base, delta, at.pos, out, size, copies)) return out;
  // All three in one block of memory (the pack walk's arena): copies and inserts go through copyWithin,
  // which costs less than a loop from a dozen bytes and than a view of the source per copy.
  const shared = out.buffer === base.buffer && out.buffer === delta.buffer ? new Uint8Array(out.buffer) : undefined;
  let pos = at.pos,
    written = 0;
  const end = delta.length;
  while (pos < end) {
    const op = delta[pos++]!;
    if (op & 0x80) {
      // Copy from the base: offset and size bytes present according to the low 7 bits.
      let offset = 0,
        length = 0;
      if (op & 0x01) offset = delta[pos++]!;
      if (op & 0x02) offset |= delta[pos++]! << 8;
      if (op & 0x04) offset |= delta[pos++]! << 16;
      if (op & 0x08) offset = (offset | (delta[pos++]! << 24)) >>> 0;
      if (op & 0x10) length = delta[pos++]!;
      if (op & 0x20) length |= delta[pos++]! << 8;
      if (op & 0x40) length |= delta[pos++]! << 16;
      if (length === 0) length = 0x10000;
      if (pos > end || offset + length > base.length || written + length > size) throw new DeltaError(COPIES_OUTSIDE);
      copies?.push(written, offset, length);
      if (shared && length >= SHORT) shared.copyWithin(out.byteOffset + written, base.byteOffset + offset, base.byteOffset + offset + length);
      else if (length < 128) for (let i = 0; i < length; i++) out[written + i] = base[offset + i]!;
      else out.set(new Uint8Array(base.buffer, base.byteOffset + offset, length), written); // Buffer.copy, without its checks
      written += length;
    } else if (op !== 0) {
      if (pos + op > end || written + op > size) throw new DeltaError(INSERTS_PAST_END);
      if (shared && op >= SHORT) shared.copyWithin(out.byteOffset + written, delta.byteOffset + pos, delta.byteOffset + pos + op);
      else for (let i = 0; i < op; i++) out[written + i] = delta[pos + i]!;
      pos += op;
      written += op;
    } else throw new DeltaError(RESERVED);
  }
  if (written !== size) throw new DeltaError(produced(written, size));
  return out;
}

/** The delta applied in WebAssembly (delta-machine.ts), its copies logged in `copies`; false when they were too many to log there. */
function appliedBy(machine: DeltaMachine, base: Buffer, delta: Uint8Array, pos: number, out: Buffer, size: number, copies: CopyLog): boolean {
  switch (machine.run(base, delta, pos, out, size)) {
    case APPLIED:
      copies.ops = machine.log;
      copies.count = machine.copies();
      return true;
    case LOG_FULL:
      return false;
    case COPY_OUTSIDE:
      throw new DeltaError(COPIES_OUTSIDE);
    case INSERT_PAST_END:
      throw new DeltaError(INSERTS_PAST_END);
    case RESERVED_OPCODE:
      throw new DeltaError(RESERVED);
    case WRONG_SIZE:
      throw new DeltaError(produced(machine.written(), size));
    default:
      throw new DeltaError('delta machine: unknown result');
  }
}
