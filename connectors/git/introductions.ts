/**
 * Which commit introduced each blob, gathered by the `git log` pass that runs alongside a large scan
 * (walkIntroductions), so attribution is ready when the scan ends instead of being a pass of its own
 * after it. Kept per pack entry (two int32 per packed object, plus one record per commit), not as a map
 * of object ids: the scan may cover millions of blobs, of which a handful end up with findings.
 */
import { commitInfo, type Attribution } from './attribute.js';
import type { PackedObjects } from './pack/packed-objects.js';
import { PathTable } from './path-table.js';

export class Introductions {
  /** Commit records (see commitInfo), oldest first. */
  private readonly commits: string[] = [];
  private readonly paths = new PathTable();
  /** Per pack, per entry: index in `commits` (-1: not seen yet) and path id. */
  private readonly byPack: Array<{ commit: Int32Array; path: Int32Array }>;
  /** Blobs outside the packs (loose objects): few. */
  private readonly unpacked = new Map<string, { commit: number; path: number }>();

  constructor(private readonly packed: PackedObjects) {
    this.byPack = packed.packs.map((pack) => ({ commit: new Int32Array(pack.layout.count).fill(-1), path: new Int32Array(pack.layout.count) }));
  }

  /** One (blob, path, commit) of the oldest-first walk; only a blob's first sighting is kept. */
  record(oid: string, path: string, commit: string): void {
    if (this.commits[this.commits.length - 1] !== commit) this.commits.push(commit);
    const commitIndex = this.commits.length - 1;
    const at = this.packed.locate(oid);
    if (at) {
      const table = this.byPack[at.pack.id]!;
      if (table.commit[at.entry] !== -1) return;
      table.commit[at.entry] = commitIndex;
      table.path[at.entry] = this.paths.id(path);
    } else if (!this.unpacked.has(oid)) this.unpacked.set(oid, { commit: commitIndex, path: this.paths.id(path) });
  }

  of(oid: string): Attribution | undefined {
    const at = this.packed.locate(oid);
    let seen: { commit: number; path: number } | undefined;
    if (at) {
      const table = this.byPack[at.pack.id]!;
      if (table.commit[at.entry] !== -1) seen = { commit: table.commit[at.entry]!, path: table.path[at.entry]! };
    } else seen = this.unpacked.get(oid);
    return seen ? { ...commitInfo(this.commits[seen.commit]!), path: this.paths.path(seen.path)! } : undefined;
  }
}
