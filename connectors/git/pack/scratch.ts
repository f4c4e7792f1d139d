/**
 * Scratch tables for reading one pack, carved out of a single allocation. Reading a pack's headers
 * needs whole-pack tables for a moment (~60 bytes per object: 50 MB for git/git) before they shrink to
 * the blob layout. Allocated one by one, glibc serves such blocks from its heap and keeps them after
 * they are freed (its mmap threshold rises with every large free), so the process stayed ~50 MB larger
 * for the rest of the scan. One block of at least 32 MiB is always given its own mapping, returned to
 * the system whole once collected; its untouched pages cost nothing.
 */
import { MessageChannel } from 'node:worker_threads';

const ALWAYS_MAPPED = 33 * 1024 * 1024;

type TypedArrayOf<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

export class Scratch {
  private buffer: ArrayBuffer;
  private used = 0;

  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(Math.max(bytes + 64, ALWAYS_MAPPED));
  }

  /** A zeroed table of `length` elements (falls back to its own allocation if the block is full). */
  take<T>(Type: TypedArrayOf<T>, length: number): T {
    const at = Math.ceil(this.used / 8) * 8;
    const bytes = length * Type.BYTES_PER_ELEMENT;
    if (at + bytes > this.buffer.byteLength) return new Type(new ArrayBuffer(bytes), 0, length);
    this.used = at + bytes;
    return new Type(this.buffer, at, length);
  }

  /**
   * Returns the block to the system now, not whenever a garbage collection next runs: the tables must
   * no longer be used. A small heap can go the whole scan without a full collection, keeping the block
   * (~60 MB on git/git) resident to the end. Transferred into a closed channel, it is detached here and
   * its memory freed as the undelivered message is dropped.
   */
  release(): void {
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(this.buffer, [this.buffer]);
    port1.close();
    port2.close();
    this.buffer = new ArrayBuffer(0);
    this.used = 0;
  }

  /** Bytes of the block as a Buffer (for reading a file's section into it). */
  bytes(length: number): Buffer {
    const view = this.take(Uint8Array, length);
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  }
}
