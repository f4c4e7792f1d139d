/**
 * Reader for a pack's `.idx` file (version 2, SHA-1): which objects the pack holds and where each one
 * starts. See gitformat-pack(5). Version 1 indexes (git < 1.5.2) and SHA-256 repositories are not read
 * here; the caller then falls back to `git cat-file`, which reads everything.
 */
import { readFileSync } from 'node:fs';

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

export function readPackIndex(path: string): PackIndex {
  const idx = readFileSync(path);
  if (idx.length < 8 + 256 * 4 || idx.readUInt32BE(0) !== IDX_MAGIC || idx.readUInt32BE(4) !== 2) {
    throw new PackFormatError(`${path}: not a version-2 pack index`);
  }
  const fanout = 8;
  const count = idx.readUInt32BE(fanout + 255 * 4);
  const oidsAt = fanout + 256 * 4;
  const crcAt = oidsAt + count * OID_BYTES;
  const offsetsAt = crcAt + count * 4;
  const largeAt = offsetsAt + count * 4;
  // Trailer: pack checksum + index checksum (40 bytes for SHA-1). A larger file is a SHA-256 index or
  // carries 8-byte offsets; anything smaller is truncated.
  if (idx.length < largeAt + 2 * OID_BYTES) throw new PackFormatError(`${path}: truncated pack index`);
  const largeCount = (idx.length - largeAt - 2 * OID_BYTES) / 8;
  if (!Number.isInteger(largeCount)) throw new PackFormatError(`${path}: unexpected pack index size (SHA-256 repository?)`);
  const offsets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const small = idx.readUInt32BE(offsetsAt + i * 4);
    if (small & 0x80000000) {
      const large = small & 0x7fffffff;
      if (large >= largeCount) throw new PackFormatError(`${path}: large offset ${large} out of range`);
      offsets[i] = Number(idx.readBigUInt64BE(largeAt + large * 8));
    } else offsets[i] = small;
  }
  return { count, oids: Buffer.from(idx.subarray(oidsAt, crcAt)), offsets };
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
