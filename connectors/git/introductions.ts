/**
 * Which commit introduced each blob, gathered while a large scan lists its blobs (by the in-commit-order
 * listing, each blob's first commit that holds it, which attribution then confirms), so attribution
 * needs no whole pass of its own after it. Kept per pack entry (two int32 per packed object), with each commit as its 20-byte id in
 * one growing buffer: the scan may cover millions of blobs and hundreds of thousands of commits, of
 * which a handful end up with findings. Their authors and dates are read afterwards (commitInfos):
 * keeping every commit's log record as a string held ~40 MB on git/git's history.
 */
import type { PackedObjects } from './pack/packed-objects.js';
import { PathTable } from './path-table.js';

const OID_HEX = 40;
/** Commit index values besides a commit: the blob was never seen, or seen without a commit (tagged). */
const NOT_SEEN = -1,
  NO_COMMIT = -2;
const OID_BYTES = 20;

export interface Introduction {
  commit: string;
  path: string;
}

export class Introductions {
  /** Commit ids, oldest first, 20 bytes each. */
  private commits = Buffer.alloc(64 * OID_BYTES);
  private commitCount = 0;
  private lastCommit = '';
  private readonly paths = new PathTable();
  /** Per pack, per entry: index of the commit (or NOT_SEEN, NO_COMMIT) and path id. */
  private readonly byPack: Array<{ commit: Int32Array; path: Int32Array }>;
  /** Blobs outside the packs (loose objects): few. */
  private readonly unpacked = new Map<string, { commit: number; path: number }>();

  constructor(private readonly packed: PackedObjects) {
    this.byPack = packed.packs.map((pack) => ({ commit: new Int32Array(pack.layout.count).fill(NOT_SEEN), path: new Int32Array(pack.layout.count) }));
  }

  /**
   * One (blob, path, commit) of the oldest-first walk, the commit as its id or its log record (the id
   * first); only a blob's first sighting is kept. True when this is it. Without a commit (a blob a tag
   * points at), the blob is only noted as seen. `at`: where the blob is packed, when the caller knows.
   */
  record(oid: string, path: string, commitRecord?: string, at = this.packed.locate(oid)): boolean {
    const commitIndex = commitRecord === undefined ? NO_COMMIT : this.commitIndexOf(commitRecord);
    if (at) {
      const table = this.byPack[at.pack.id]!;
      if (table.commit[at.entry] !== NOT_SEEN) return false;
      table.commit[at.entry] = commitIndex;
      table.path[at.entry] = this.paths.id(path);
    } else if (!this.unpacked.has(oid)) this.unpacked.set(oid, { commit: commitIndex, path: this.paths.id(path) });
    else return false;
    return true;
  }

  /** The commit (id) that introduced a blob, and the path it wrote it at. */
  of(oid: string): Introduction | undefined {
    const at = this.packed.locate(oid);
    let seen: { commit: number; path: number } | undefined;
    if (at) {
      const table = this.byPack[at.pack.id]!;
      seen = { commit: table.commit[at.entry]!, path: table.path[at.entry]! };
    } else seen = this.unpacked.get(oid);
    if (!seen || seen.commit < 0) return undefined;
    const from = seen.commit * OID_BYTES;
    return { commit: this.commits.toString('hex', from, from + OID_BYTES), path: this.paths.path(seen.path)! };
  }

  /** The index of the record's commit, appended when it is not the last one seen (the walk lists a commit's blobs together). */
  private commitIndexOf(commitRecord: string): number {
    const id = commitRecord.slice(0, OID_HEX);
    // A SHA-256 repository's ids do not fit: the pass fails and attribution runs after the scan instead.
    if (commitRecord.length !== OID_HEX && commitRecord.charCodeAt(OID_HEX) !== 0x02) throw new Error('introductions: not a SHA-1 commit id');
    if (id === this.lastCommit) return this.commitCount - 1;
    if ((this.commitCount + 1) * OID_BYTES > this.commits.length) {
      const grown = Buffer.alloc(this.commits.length * 2);
      this.commits.copy(grown);
      this.commits = grown;
    }
    this.commits.write(id, this.commitCount * OID_BYTES, OID_BYTES, 'hex');
    this.lastCommit = id;
    return this.commitCount++;
  }
}
