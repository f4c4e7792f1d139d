/**
 * Rows in the binary format of PostgreSQL's COPY, written straight into buffers: no text to build,
 * escape, flatten and encode per field in Node, and nothing for the server to parse but lengths and
 * bytes. A field is written by the column's real type (its oid, read from the server), since binary
 * integers must have the column's width; a column of any other type leaves the caller to COPY text.
 */
import { HistoryError } from './db.js';

/** The encoders, by PostgreSQL type oid: int2, int4, int8, text, varchar, float8. */
const ENCODERS = { 21: 'int2', 23: 'int4', 20: 'int8', 25: 'text', 1043: 'text', 701: 'float8' } as const;

export type BinaryEncoder = (typeof ENCODERS)[keyof typeof ENCODERS];

/** The encoder of a type oid, or undefined when binary COPY does not handle that type here. */
export function binaryEncoder(oid: number): BinaryEncoder | undefined {
  return ENCODERS[oid as keyof typeof ENCODERS];
}

/** The signature, flags and header extension length every binary COPY starts with. */
const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** The trailer: a field count of -1. */
const TRAILER = Buffer.from([0xff, 0xff]);
/** Bytes of one buffer: large enough that a first recording of 50,000 rows is a few of them. */
const CHUNK_BYTES = 1 << 20;

/** Strings up to this length are tried as ASCII, a unit to a byte, before Buffer#write. */
const SHORT_TEXT = 256;

/**
 * Writes `value` at `at` as bytes when every unit is ASCII, and returns its length; -1 (what was written
 * to be overwritten) when one is not.
 */
function asciiInto(buffer: Buffer, value: string, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit > 0x7f) return -1;
    buffer[at + i] = unit;
  }
  return value.length;
}

/** A CopyData message's type byte and length. */
/**
 * Whether an integer fits the column's width: int4 is written by hand (no argument checks), so
 * a value out of range is refused here rather than wrapped into another number.
 */
function fitsWidth(value: number, encoder: BinaryEncoder): boolean {
  if (encoder === 'int2') return value >= -(2 ** 15) && value < 2 ** 15;
  if (encoder === 'int4') return value >= -(2 ** 31) && value < 2 ** 31;
  return true;
}

const MESSAGE_HEADER = 5;

/**
 * Buffers written field by field, each a whole CopyData message of the wire protocol (its type and
 * length filled in when full), so the connection sends them as they are: pg's own framing copied
 * every byte once more, which was half of Node's work for a first recording's COPY.
 */
class ChunkWriter {
  /** Whole messages not handed over yet, and the buffers they lie in. */
  readonly chunks: Buffer[] = [];
  private readonly buffers: Buffer[] = [];
  /** Buffers whose messages were written out (`release`): filled again before a new one is allocated. */
  private readonly spare: Buffer[] = [];
  private buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private at = MESSAGE_HEADER;

  /** Makes room for `bytes` more in the current buffer. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    this.finish();
    const size = Math.max(CHUNK_BYTES, MESSAGE_HEADER + bytes);
    const spare = this.spare.pop();
    // A fresh buffer's every page costs the kernel a fault when first written (a few ms a MiB on a VM).
    this.buffer = spare && spare.length >= size ? spare : Buffer.allocUnsafe(size);
    this.at = MESSAGE_HEADER;
  }

  private finish(): void {
    if (this.at === MESSAGE_HEADER) return;
    this.buffer[0] = 0x64; // 'd'
    this.buffer.writeInt32BE(this.at - 1, 1);
    this.chunks.push(this.buffer.subarray(0, this.at));
    this.buffers.push(this.buffer);
  }

  /** The next whole message and the buffer it lies in, oldest first; undefined when there is none. */
  take(): [Buffer, Buffer] | undefined {
    const message = this.chunks.shift();
    return message && [message, this.buffers.shift()!];
  }

  /** A taken message's buffer, its bytes written out: to be filled again. */
  release(buffer: Buffer): void {
    this.spare.push(buffer);
  }

  fieldCount(count: number): void {
    this.room(2);
    const b = this.buffer;
    b[this.at] = count >>> 8;
    b[this.at + 1] = count;
    this.at += 2;
  }

  field(value: unknown, encoder: BinaryEncoder): void {
    if (value === null || value === undefined) {
      this.room(4);
      this.int32(-1);
    } else if (encoder === 'text') this.text(String(value));
    else this.number(value, encoder);
  }

  /**
   * Writes a big-endian int32 at the cursor (room made by the caller). By hand: Buffer's writeInt32BE
   * checks its arguments on every call, a tenth of Node's COPY work for 50,000 rows of 13 fields.
   */
  private int32(value: number): void {
    const b = this.buffer;
    const at = this.at;
    b[at] = value >>> 24;
    b[at + 1] = value >>> 16;
    b[at + 2] = value >>> 8;
    b[at + 3] = value;
    this.at = at + 4;
  }

  private text(value: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; the length goes before the bytes once they are written.
    this.room(4 + value.length * 3);
    const start = this.at + 4;
    // A short ASCII string (fingerprints, ids, names: nearly every field) is copied a unit to a byte:
    // Buffer#write's call into C++ cost more than the copy for strings this short.
    let length = value.length <= SHORT_TEXT ? asciiInto(this.buffer, value, start) : -1;
    if (length < 0) length = this.buffer.write(value, start, 'utf8');
    this.int32(length);
    this.at += length;
  }

  private number(raw: unknown, encoder: Exclude<BinaryEncoder, 'text'>): void {
    const value = typeof raw === 'boolean' ? Number(raw) : raw;
    if (typeof value !== 'number' || (encoder !== 'float8' && !Number.isSafeInteger(value)) || !fitsWidth(value, encoder))
      throw new HistoryError(`cannot write ${String(raw)} into a history store column of type ${encoder}`);
    const width = encoder === 'int2' ? 2 : encoder === 'int4' ? 4 : 8;
    this.room(4 + width);
    this.int32(width);
    const b = this.buffer;
    const at = this.at;
    if (encoder === 'int2') b.writeInt16BE(value, at);
    else if (encoder === 'int4') this.int32(value);
    else if (encoder === 'int8') {
      // Two 32-bit halves (a safe integer fits): no BigInt per value.
      this.int32(Math.floor(value / 2 ** 32));
      this.int32(value >>> 0);
    } else b.writeDoubleBE(value, at);
    this.at = at + width;
  }

  /**
   * Lets `fill` write rows into the current buffer from the cursor; when it stops short of its rows'
   * end, the buffer is finished and another one, of at least the bytes it said the next row needs, taken.
   */
  fillWith(fill: (state: FillState) => void, state: FillState, end: number): void {
    state.buffer = this.buffer;
    state.at = this.at;
    state.need = 0;
    fill(state);
    // A filler's bug must fail the COPY, not finish a message cut short at a cursor outside the buffer.
    if (!(state.at >= this.at && state.at <= this.buffer.length)) throw new HistoryError(`a COPY row filler left its cursor at ${state.at}`);
    this.at = state.at;
    if (state.next >= end) return;
    if (!state.need) throw new HistoryError('a COPY row filler stopped without saying what it needs');
    this.room(state.need);
  }

  /** Copies preformatted bytes (the constants' fields) in; TypedArray#set, not Buffer#copy, whose checks outweighed a short copy. */
  bytes(bytes: Buffer): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** Every byte written, without message headers: the constants' fields (more than one buffer's worth included). */
  written(): Buffer {
    const current = this.buffer.subarray(MESSAGE_HEADER, this.at);
    return this.chunks.length ? Buffer.concat([...this.chunks.map((c) => c.subarray(MESSAGE_HEADER)), current]) : current;
  }

  end(): void {
    this.bytes(TRAILER);
    this.finish();
  }
}

/**
 * CopyData messages of binary COPY, one at a time. The generator is asked for the next message with
 * `next(true)` once the previous one was written out, whose buffer it then fills again: writing a
 * first recording's ~7 MB into fresh buffers cost as much in page faults as encoding them. With
 * `next()` (or `next(false)`) every message keeps its own buffer. Returns how many rows there were;
 * with none, it returns at once without a message.
 */
export type CopyMessages = Generator<Buffer, number, boolean | undefined>;

/**
 * The rows and, at the end of each, the constants (values alike in every row, encoded once), as
 * CopyMessages. `encoders` are the rows' columns' then the constants', in that order.
 */
export function* binaryCopyMessages(encoders: readonly BinaryEncoder[], rows: Iterable<readonly unknown[]>, constants: readonly unknown[]): CopyMessages {
  const columns = encoders.length - constants.length;
  const iterator = rows[Symbol.iterator]();
  let next = iterator.next();
  if (next.done) return 0;
  const tail = binaryFields(encoders.slice(columns), constants);
  const writer = new ChunkWriter();
  writer.bytes(HEADER);
  let count = 0;
  for (; !next.done; next = iterator.next()) {
    const row = next.value;
    // The text format let the server reject a row of the wrong length; here it would shift every field.
    if (row.length !== columns) throw new HistoryError(`a row of ${row.length} values for ${columns} columns`);
    writer.fieldCount(encoders.length);
    for (let i = 0; i < columns; i++) writer.field(row[i], encoders[i]!);
    writer.bytes(tail);
    count++;
    if (writer.chunks.length) yield* handOver(writer);
  }
  writer.end();
  yield* handOver(writer);
  return count;
}

/**
 * Where a row filler (filledMessages) writes: whole rows from row `next` on, into `buffer` from `at` to
 * its end; it leaves `at` after its last row and `next` at the first row it did not write, with the
 * bytes that row needs in `need` when the buffer could not hold it.
 */
export interface FillState {
  buffer: Buffer;
  at: number;
  next: number;
  need: number;
}

/**
 * CopyMessages of rows that `fill` writes straight into the buffers (binaryCopyMessages' framing and
 * reused buffers), for a table whose rows the caller lays out itself in one flat loop: `rows` rows, at
 * positions 0 to `end` of the caller's own (the filler skips the others). A first recording's 55,578
 * rows through binaryCopyMessages' generic per-field code cost ~100 ms of CPU in a fresh process (its
 * calls, and values of every table through one `field`, deoptimised and compiled again several times),
 * against ~30 ms in a flat loop.
 */
export function* filledMessages(rows: number, end: number, fill: (state: FillState) => void): CopyMessages {
  if (!rows) return 0;
  const writer = new ChunkWriter();
  writer.bytes(HEADER);
  const state: FillState = { buffer: HEADER, at: 0, next: 0, need: 0 };
  while (state.next < end) {
    writer.fillWith(fill, state, end);
    yield* handOver(writer);
  }
  writer.end();
  yield* handOver(writer);
  return rows;
}

/** Fields written once in binary (the constants that end each row of binaryCopyMessages or a filler's). */
export function binaryFields(encoders: readonly BinaryEncoder[], values: readonly unknown[]): Buffer {
  const writer = new ChunkWriter();
  for (let c = 0; c < values.length; c++) writer.field(values[c], encoders[c]!);
  return writer.written();
}

/** Hands over the writer's whole messages, giving back the buffer of each one written out. */
function* handOver(writer: ChunkWriter): Generator<Buffer, void, boolean | undefined> {
  for (let taken = writer.take(); taken; taken = writer.take()) if (yield taken[0]) writer.release(taken[1]);
}
