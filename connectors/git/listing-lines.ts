/**
 * Reads the in-commit-order listing (enumerate.ts objectsInCommitOrder) straight from git's bytes. Of its
 * lines (849,000 on git/git: 203,000 commits, 263,000 blobs, 383,000 trees), the scan needs the commits,
 * the missing objects and the objects it can read: the packed blobs and the loose objects. Every other
 * line is a tree (or a packed tag) and is skipped on its id's first six hex digits, looked up in a bitmap
 * of the readable objects' first 24 bits, without decoding it: decoding each line to a string, slicing
 * it and looking its id up took ~2 to 3 s of the main thread on git/git (half of its listing work,
 * garbage collection included), which rev-list's output waited on. An id the bitmap lets through
 * (its 24 bits shared with a readable object: ~2% of the trees on git/git) is decoded and located as
 * before, so the objects yielded are the same as decoding every line would give, less the lines that
 * name no readable object.
 */
import type { ListedObject } from './enumerate.js';

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
    let prefix = 0;
    for (let i = at; i < at + 6; i++) {
      const digit = hexDigit(bytes[i]!);
      if (digit < 0) return true;
      prefix = (prefix << 4) | digit;
    }
    return (this.bits[prefix >>> 5]! & (1 << (prefix & 31))) !== 0;
  }

  private set(prefix: number): void {
    this.bits[prefix >>> 5]! |= 1 << (prefix & 31);
  }
}

function hexDigit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/**
 * The listing's objects in one chunk of whole lines (enumerate.ts listed reads the same lines as strings):
 * `?<id>` a missing object, `<id>` alone a commit, `<id> <path>` any other object, kept only when
 * `readable` may hold it.
 */
export function listedObjects(chunk: Buffer, readable: ReadableIds): ListedObject[] {
  const objects: ListedObject[] = [];
  for (let start = 0; start < chunk.length;) {
    let end = chunk.indexOf(NEWLINE, start);
    if (end < 0) end = chunk.length; // git's output ended without a newline
    if (chunk[start] === QUESTION_MARK) objects.push({ kind: 'missing', oid: chunk.toString('latin1', start + 1, Math.min(end, start + 1 + HEX_ID)).trim() });
    else if (end - start > HEX_ID && chunk[start + HEX_ID] === SPACE) {
      if (readable.mayHold(chunk, start))
        objects.push({ kind: 'object', oid: chunk.toString('latin1', start, start + HEX_ID), path: chunk.toString('utf8', start + HEX_ID + 1, end) });
    } else if (end > start) objects.push(objectOf(chunk.toString('utf8', start, end)));
    start = end + 1;
  }
  return objects;
}

/** A line that is not a SHA-1 id and a path: a commit, or as listed reads it. */
function objectOf(line: string): ListedObject {
  const space = line.indexOf(' ');
  return space < 0 ? { kind: 'commit', oid: line } : { kind: 'object', oid: line.slice(0, space), path: line.slice(space + 1) };
}
