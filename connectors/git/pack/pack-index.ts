/**
 * Reader for a pack's `.idx` file (version 2, SHA-1): which objects the pack holds and where each one
 * starts. See gitformat-pack(5). Version 1 indexes (git < 1.5.2) and SHA-256 repositories are not read
 * here; the caller then falls back to `git cat-file`, which reads everything.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Scratch } from './scratch.js';

export const OID_BYTES = 20;

/** Object ids, sorted: what a lookup needs. */
export interface OidTable {
  count: number;
  /** Object ids, sorted, 20 bytes each (index order). */
  oids: Buffer;
}

export interface PackIndex extends OidTable {
  /** Offset in the pack of each object, in index order (numbers: packs may exceed 4 GiB). */
  offsets: Float64Array;
}

export class PackFormatError extends Error {}

const IDX_MAGIC = 0xff744f63; // "\377tOc"

/** Bytes a pack index of `count` objects asks of a Scratch: its ids and offsets. */
export const INDEX_SCRATCH_BYTES_PER_OBJECT = OID_BYTES + 4 + 8;

/**
 * Reads the ids and offsets of a version-2 index, section by section (the CRCs are never read), into
 * `scratch` when given: a caller that keeps only part of it lets the rest go at once.
 */
export function readPackIndex(path: string, scratch?: Scratch): PackIndex {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(8 + 256 * 4);
    if (size < head.length || readSync(fd, head, 0, head.length, 0) < head.length || head.readUInt32BE(0) !== IDX_MAGIC || head.readUInt32BE(4) !== 2) {
      throw new PackFormatError(`${path}: not a version-2 pack index`);
    }
    const count = head.readUInt32BE(8 + 255 * 4);
    const oidsAt = head.length;
    const crcAt = oidsAt + count * OID_BYTES;
    const offsetsAt = crcAt + count * 4;
    const largeAt = offsetsAt + count * 4;
    // Trailer: pack checksum + index checksum (40 bytes for SHA-1). A larger file is a SHA-256 index or
    // carries 8-byte offsets; anything smaller is truncated.
    if (size < largeAt + 2 * OID_BYTES) throw new PackFormatError(`${path}: truncated pack index`);
    const largeCount = (size - largeAt - 2 * OID_BYTES) / 8;
    if (!Number.isInteger(largeCount)) throw new PackFormatError(`${path}: unexpected pack index size (SHA-256 repository?)`);
    const oids = scratch ? scratch.bytes(count * OID_BYTES) : Buffer.alloc(count * OID_BYTES);
    readExactly(fd, oids, oidsAt);
    const small = scratch ? scratch.bytes(count * 4) : Buffer.alloc(count * 4);
    readExactly(fd, small, offsetsAt);
    const large = Buffer.alloc(largeCount * 8);
    readExactly(fd, large, largeAt);
    const offsets = scratch ? scratch.take(Float64Array, count) : new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const offset = small.readUInt32BE(i * 4);
      if (offset & 0x80000000) {
        const at = offset & 0x7fffffff;
        if (at >= largeCount) throw new PackFormatError(`${path}: large offset ${at} out of range`);
        offsets[i] = Number(large.readBigUInt64BE(at * 8));
      } else offsets[i] = offset;
    }
    return { count, oids, offsets };
  } finally {
    closeSync(fd);
  }
}

function readExactly(fd: number, into: Buffer, position: number): void {
  for (let done = 0; done < into.length;) {
    const got = readSync(fd, into, done, into.length - done, position + done);
    if (got <= 0) throw new PackFormatError('truncated pack index');
    done += got;
  }
}

/** Objects a pack holds, from its index's fan-out table (its last entry is the total). */
export function indexedObjects(idxPath: string): number {
  const header = Buffer.alloc(8 + 256 * 4);
  const fd = openSync(idxPath, 'r');
  try {
    if (readSync(fd, header, 0, header.length, 0) < header.length) return 0;
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(4) === 2 ? header.readUInt32BE(8 + 255 * 4) : 0;
}

/** Index position of an object id (20 raw bytes at `at` in `oid`), or -1. Binary search. */
export function findOid(index: OidTable, oid: Uint8Array, at = 0): number {
  let lo = 0,
    hi = index.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = index.oids.compare(oid, at, at + OID_BYTES, mid * OID_BYTES, mid * OID_BYTES + OID_BYTES);
    if (cmp === 0) return mid;
    if (cmp < 0)
      lo = mid + 1; // this entry sorts before the target
    else hi = mid;
  }
  return -1;
}

export function oidHex(index: OidTable, position: number): string {
  return index.oids.toString('hex', position * OID_BYTES, position * OID_BYTES + OID_BYTES);
}
