/**
 * Inflates pack entries into memory the caller owns, through one zlib stream reused for every entry.
 *
 * `zlib.inflateSync` builds a whole Transform stream and a zlib state per call, and allocates its output
 * twice when the size is known (a chunk of that size, then an empty one to see the end of the stream):
 * with a history's hundreds of thousands of entries, that construction and the garbage it leaves were
 * about a fifth of a scan worker's time. Here the stream's native handle (the one `inflateSync` itself
 * drives, through the same `writeSync` call) is kept, reset between entries, and writes straight into
 * the buffer where the content will live. Where the handle is not there (a future Node that changes
 * it), `inflateSync` is used as before.
 */
import { constants, Inflate, inflateSync } from 'node:zlib';

/** The native zlib handle behind a Node zlib stream (node:zlib's `_handle`). */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, out: Uint8Array, outOffset: number, outLength: number): void;
  reset(): void;
  close(): void;
  onerror: (message: string, errno: number) => void;
}

interface NativeStream {
  handle: ZlibHandle;
  /** [output bytes left, input bytes left] after each write. */
  state: Uint32Array;
}

/** The stream's handle and write state, when this Node exposes them as the zlib module itself uses them. */
function nativeStream(): NativeStream | undefined {
  const engine = new Inflate() as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  const handle = engine._handle;
  const state = engine._writeState;
  if (!handle || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array)) return undefined;
  return { handle: handle as ZlibHandle, state };
}

/**
 * Output room given past an entry's size. zlib's fast decoding loop (inflate_fast) runs only while at least
 * 258 bytes of output room are left (one match's longest), and the byte-at-a-time state machine does the
 * rest: with room for the size alone, that was all of a small entry (a delta's instructions, a few hundred
 * bytes), ~4 µs each. Whatever zlib writes past the size is never read (the caller keeps `size` bytes).
 */
const FAST_ROOM = 320;

export class Inflater {
  private stream: NativeStream | undefined | null = null; // null: not made yet
  private failure: string | undefined;

  /**
   * The zlib stream in `data` (`length` bytes from `from`: no view per entry), which must inflate to exactly `size` bytes and end there (its checksum
   * checked), written to the start of `allocate(size + FAST_ROOM)`, which may be longer. The room past
   * `size` shows that the stream ends there, and lets zlib decode with its fast loop to the end (below).
   */
  inflate(data: Uint8Array, size: number, allocate: (size: number) => Buffer, from = 0, length = data.length - from): Buffer {
    const stream = this.stream === null ? (this.stream = this.open()) : this.stream;
    if (!stream) {
      const inflated = inflateSync(data.subarray(from, from + length), { chunkSize: Math.max(64, size) });
      if (inflated.length !== size) throw new Error(`inflates to ${inflated.length} bytes, header says ${size}`);
      return inflated;
    }
    const out = allocate(size + FAST_ROOM);
    const room = Math.min(out.length, size + FAST_ROOM); // zlib must not write past the memory given
    if (room <= size) throw new Error(`no room to inflate ${size} bytes`);
    this.failure = undefined;
    stream.handle.writeSync(constants.Z_FINISH, data, from, length, out, 0, room);
    const produced = room - stream.state[0]!;
    if (this.failure !== undefined) {
      // The handle is left in zlib's error state: a fresh stream for the next entry.
      const failure = this.failure;
      this.closeStream();
      throw new Error(`cannot inflate: ${failure}`);
    }
    stream.handle.reset();
    // With Z_FINISH and room to spare, a stream that did not end is an error (above); no room left means more output than the header said.
    if (produced > size) throw new Error(`inflates to more than the ${size} bytes its header says`);
    if (produced !== size) throw new Error(`inflates to ${produced} bytes, header says ${size}`);
    return out.subarray(0, size);
  }

  close(): void {
    this.closeStream();
  }

  private open(): NativeStream | undefined {
    const stream = nativeStream();
    if (stream) stream.handle.onerror = (message) => void (this.failure = message || 'zlib error');
    return stream;
  }

  private closeStream(): void {
    if (this.stream) this.stream.handle.close();
    this.stream = null;
  }
}
