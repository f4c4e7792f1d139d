/**
 * Reads the in-commit-order listing (enumerate.ts objectsInCommitOrder) straight from git's bytes. Of its
 * lines (849,000 on git/git: 203,000 commits, 263,000 blobs, 383,000 trees), the scan needs the commits,
 * the missing objects and the objects it can read: the packed blobs and the loose objects. Every other
 * line is a tree (or a packed tag) and is skipped on its id's first six hex digits, looked up in a bitmap
 * of the readable objects' first 24 bits, without decoding it: decoding each line to a string, slicing
 * it and looking its id up took ~2 to 3 s of the main thread on git/git (half of its listing work,
 * garbage collection included), which rev-list's output waited on. An id the bitmap lets through
 * (its 24 bits shared with a readable object: ~2% of the trees on git/git) is told to the caller, which
 * locates it from the line's bytes too (PackedObjects.locateHex), so the objects told are the same as
 * decoding every line would give, less the lines that name no readable object.
 */
import type { ListedObject } from './enumerate.js';
import { hexPrefix } from './hex.js';

const HEX_ID = 40;
const NEWLINE = 0x0a,
  SPACE = 0x20,
  QUESTION_MARK = 0x3f;

/** The first 24 bits of every readable object's id, as a bitmap (2 MiB). */
export class ReadableIds {
  private readonly bits = new Uint32Array(1 << 19);

  /** Ids as 20-byte records (a pack index's table). */
  addRecords(ids: Buffer, count: number): void {
    for (let i = 0; i < count; i++) this.set((ids[i * 20]! << 16) | (ids[i * 20 + 1]! << 8) | ids[i * 20 + 2]!);
  }

  addHex(id: string): void {
    const prefix = Number.parseInt(id.slice(0, 6), 16);
    if (!Number.isNaN(prefix)) this.set(prefix);
  }

  /** False only when no readable object's id starts like the hex id at `at` (anything not hex may be one). */
  mayHold(bytes: Buffer, at: number): boolean {
    const prefix = hexPrefix(bytes, at, 6);
    if (prefix < 0) return true;
    return (this.bits[prefix >>> 5]! & (1 << (prefix & 31))) !== 0;
  }

  private set(prefix: number): void {
    this.bits[prefix >>> 5]! |= 1 << (prefix & 31);
  }
}

/** What one chunk of the listing holds, told line by line straight from its bytes (readListing). */
export interface ListingSink {
  /** A commit: its id from `start` to `end` in `chunk` (40 hex digits for SHA-1). */
  commit(chunk: Buffer, start: number, end: number): void;
  missing(oid: string): void;
  /** Any other object `readable` may hold: its id from `start` to `idEnd`, its path from `idEnd + 1` to `end`. */
  object(chunk: Buffer, start: number, idEnd: number, end: number): void;
}

/**
 * Reads one chunk of whole lines (enumerate.ts listed reads the same lines as strings): `?<id>` a missing
 * object, `<id>` alone a commit, `<id> <path>` any other object, told only when `readable` may hold it.
 */
export function readListing(chunk: Buffer, readable: ReadableIds, sink: ListingSink): void {
  for (let start = 0; start < chunk.length;) {
    let end = chunk.indexOf(NEWLINE, start);
    if (end < 0) end = chunk.length; // git's output ended without a newline
    if (chunk[start] === QUESTION_MARK) sink.missing(chunk.toString('latin1', start + 1, Math.min(end, start + 1 + HEX_ID)).trim());
    else if (end - start > HEX_ID && chunk[start + HEX_ID] === SPACE) {
      if (readable.mayHold(chunk, start)) sink.object(chunk, start, start + HEX_ID, end);
    } else if (end > start) {
      const space = chunk.indexOf(SPACE, start);
      if (space < 0 || space >= end) sink.commit(chunk, start, end);
      else sink.object(chunk, start, space, end);
    }
    start = end + 1;
  }
}

/** readListing's lines as objects, ids and paths decoded. */
export function listedObjects(chunk: Buffer, readable: ReadableIds): ListedObject[] {
  const objects: ListedObject[] = [];
  readListing(chunk, readable, {
    commit: (bytes, start, end) => objects.push({ kind: 'commit', oid: bytes.toString('utf8', start, end) }),
    missing: (oid) => objects.push({ kind: 'missing', oid }),
    object: (bytes, start, idEnd, end) =>
      objects.push({ kind: 'object', oid: bytes.toString('latin1', start, idEnd), path: bytes.toString('utf8', idEnd + 1, end) }),
  });
  return objects;
}
