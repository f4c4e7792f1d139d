/**
 * Which commit introduced each blob, gathered while a large scan lists its blobs (by the in-commit-order
 * listing, each blob's first commit that holds it, which attribution then confirms), so attribution
 * needs no whole pass of its own after it. Kept per pack entry (one int32 per packed blob), with each
 * commit as its 20-byte id in one growing buffer: the scan may cover millions of blobs and hundreds of
 * thousands of commits, of which a handful end up with findings. Their authors, dates and paths are read
 * afterwards (attribute.ts): keeping every commit's log record as a string held ~40 MB on git/git's history.
 */
import { decodeHexId } from './hex.js';
import type { OpenedPack, PackedObjects } from './pack/packed-objects.js';

/** Commit index values besides a commit: the blob was never seen, or seen without a commit (tagged). */
const NOT_SEEN = -1,
  NO_COMMIT = -2;
const OID_BYTES = 20;

export class Introductions {
  /** Commit ids, oldest first, 20 bytes each. */
  private commits = Buffer.alloc(64 * OID_BYTES);
  private commitCount = 0;
  /** The commit the listing named last, decoded; appended to `commits` when it first holds a new blob. */
  private readonly listed = Buffer.alloc(OID_BYTES);
  private current = NO_COMMIT;
  private appended = true;
  /** Per pack, per entry: index of the commit (or NOT_SEEN, NO_COMMIT). */
  private readonly byPack: Int32Array[];
  /** Blobs outside the packs (loose objects): few. */
  private readonly unpacked = new Map<string, number>();

  constructor(private readonly packed: PackedObjects) {
    this.byPack = packed.packs.map((pack) => new Int32Array(pack.layout.count).fill(NOT_SEEN));
  }

  /**
   * The listing named a commit: the objects it names next are first held by it. Its id as 40 hex digits at
   * `at` in `line`; no id (or one that is not SHA-1 hex) for the objects that no commit holds (what a tag
   * names, listed after the first commit).
   */
  commitListed(line?: Uint8Array, at = 0): void {
    if (line && decodeHexId(line, at, this.listed)) {
      this.current = this.commitCount;
      this.appended = false;
    } else this.current = NO_COMMIT;
  }

  /**
   * One object of the oldest-first walk, held first by the commit listed last: where it is packed, else its
   * id (a loose object). Only a blob's first sighting is kept.
   */
  record(at: { pack: OpenedPack; entry: number } | undefined, oid?: string): void {
    if (at) {
      const table = this.byPack[at.pack.id]!;
      if (table[at.entry] === NOT_SEEN) table[at.entry] = this.commitIndex();
    } else if (oid !== undefined && !this.unpacked.has(oid)) this.unpacked.set(oid, this.commitIndex());
  }

  /** The commit (id) that introduced a blob, if the listing saw one hold it. */
  of(oid: string): { commit: string } | undefined {
    const at = this.packed.locate(oid);
    const seen = at ? this.byPack[at.pack.id]![at.entry]! : this.unpacked.get(oid);
    if (seen === undefined || seen < 0) return undefined;
    return { commit: this.commits.toString('hex', seen * OID_BYTES, (seen + 1) * OID_BYTES) };
  }

  /** The index of the commit listed last, appended when it first holds a new blob (the walk lists a commit's blobs together). */
  private commitIndex(): number {
    if (this.current === NO_COMMIT || this.appended) return this.current;
    if ((this.commitCount + 1) * OID_BYTES > this.commits.length) {
      const grown = Buffer.alloc(this.commits.length * 2);
      this.commits.copy(grown);
      this.commits = grown;
    }
    this.listed.copy(this.commits, this.commitCount * OID_BYTES);
    this.appended = true;
    return this.commitCount++;
  }
}
