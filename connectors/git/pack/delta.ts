/**
 * Git's delta format (gitformat-pack(5), "Deltified representation"): the base's size and the result's
 * size as varints, then instructions that either copy a range of the base or insert literal bytes.
 * Every instruction is bounds-checked: a corrupt pack yields an error, never a read past a buffer.
 */
export class DeltaError extends Error {}

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

/** Builds the delta's result, in a buffer from `allocate` when given (the pack walker reuses its buffers). */
export function applyDelta(base: Buffer, delta: Uint8Array, copies?: CopyLog, allocate: (size: number) => Buffer = Buffer.allocUnsafeSlow): Buffer {
  if (copies) copies.count = 0;
  const at = { pos: 0 };
  const baseSize = varint(delta, at);
  if (baseSize !== base.length) throw new DeltaError(`delta expects a ${baseSize}-byte base, got ${base.length}`);
  const size = varint(delta, at);
  const out = allocate(size);
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
      if (pos > end || offset + length > base.length || written + length > size) throw new DeltaError('delta copies outside its base or result');
      copies?.push(written, offset, length);
      if (shared && length >= SHORT) shared.copyWithin(out.byteOffset + written, base.byteOffset + offset, base.byteOffset + offset + length);
      else if (length < 128) for (let i = 0; i < length; i++) out[written + i] = base[offset + i]!;
      else out.set(new Uint8Array(base.buffer, base.byteOffset + offset, length), written); // Buffer.copy, without its checks
      written += length;
    } else if (op !== 0) {
      if (pos + op > end || written + op > size) throw new DeltaError('delta inserts past its end');
      if (shared && op >= SHORT) shared.copyWithin(out.byteOffset + written, delta.byteOffset + pos, delta.byteOffset + pos + op);
      else for (let i = 0; i < op; i++) out[written + i] = delta[pos + i]!;
      pos += op;
      written += op;
    } else throw new DeltaError('reserved delta opcode 0');
  }
  if (written !== size) throw new DeltaError(`delta produced ${written} of ${size} bytes`);
  return out;
}
