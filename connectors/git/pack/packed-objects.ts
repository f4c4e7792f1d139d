/**
 * The repository's packs, seen from the main thread: which wanted blobs each pack holds, and the delta
 * trees the workers walk to produce them. Blobs outside every pack (loose objects, packs that cannot
 * be read here) are left to `git cat-file`.
 *
 * Memory: the layouts keep ~45 bytes per packed blob (commits and trees are dropped once the headers
 * are read), plus one copy of each distinct wanted path; no per-blob strings are kept (results map
 * back to object ids through the layout's own id table).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { deltaTrees, finishPlan, markTreeWanted, OBJ_BLOB, readPackLayout, type PackBlobs, type PackLayout } from './pack-layout.js';
import { hexPrefix, sameIdAfterPrefix } from '../hex.js';
import { PathTable } from '../path-table.js';
import { indexedObjects, oidHex } from './pack-index.js';

export interface OpenedPack {
  id: number;
  layout: PackLayout;
  /** The ids of the layout's entries (its blobs). */
  index: PackBlobs;
  /** Per entry, its delta tree's whole blob (-1: no walk reaches it); per whole blob, its entries still to mark (-1: walked). */
  trees?: { rootOf: Int32Array; unmarked: Int32Array; ready: number[] };
}

/** Delta trees whose every entry is wanted, ready to walk before the listing ends. */
export interface ReadyTrees {
  pack: OpenedPack;
  roots: Int32Array;
}

export interface PackPlan {
  pack: OpenedPack;
  /** Delta trees to walk, largest (most wanted blobs) first, so the last ones to finish are small. */
  roots: Int32Array;
  /** Wanted entries no walk reaches: read through `git cat-file` instead. */
  unreachable: number[];
  /** Wanted entries that are not blobs (an annotated tag listed with a name). */
  notBlobs: number[];
}

/** `objects/` directories: the repository's own and its alternates (a `--shared` clone's source). */
export function objectDirectories(gitDir: string): string[] {
  const dirs = [join(gitDir, 'objects')];
  for (let i = 0; i < dirs.length && i < 16; i++) {
    const file = join(dirs[i]!, 'info', 'alternates');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const dir = line.trim();
      if (!dir || dir.startsWith('#')) continue;
      const full = isAbsolute(dir) ? dir : resolve(dirs[i]!, dir);
      if (!dirs.includes(full)) dirs.push(full);
    }
  }
  return dirs;
}

/**
 * Packs holding more objects than this in all are not walked: reading a pack's headers takes ~60 bytes
 * per object for a moment (~150 MB here) and its layout keeps ~45 per blob; past it git cat-file, whose
 * memory stays flat, reads everything instead. redis/redis holds 201,000 objects, git/git 849,000;
 * linux, ~10 million.
 */
export const MAX_WALKED_OBJECTS = 2_500_000;

/** The repository's pack files (with an index), in its own and its alternates' object directories. */
function packFiles(gitDir: string): string[] {
  const packs: string[] = [];
  for (const dir of objectDirectories(gitDir)) {
    const packDir = join(dir, 'pack');
    if (!existsSync(packDir)) continue;
    for (const name of readdirSync(packDir).sort()) {
      if (name.endsWith('.pack') && existsSync(join(packDir, name.replace(/\.pack$/, '.idx')))) packs.push(join(packDir, name));
    }
  }
  return packs;
}

/** Objects in every pack, from the index headers alone (cheap). */
export function packedObjectCount(gitDir: string): number {
  return packFiles(gitDir).reduce((n, pack) => n + indexedObjects(pack.replace(/\.pack$/, '.idx')), 0);
}

export class PackedObjects {
  readonly packs: OpenedPack[] = [];
  /** Every pack file was indexed: an object in none of them and not loose is not in the repository. */
  readonly complete: boolean = true;
  private readonly objectDirs: string[];
  private readyTrees = 0;
  /** Paths of the wanted blobs (`layout.wanted` holds their ids); sent to the workers with each pack. */
  readonly paths = new PathTable();
  private readonly hexScratch = Buffer.alloc(40);
  /** Per pack, built on first use (locate). */
  private lookups: PrefixLookup[] | undefined;

  /**
   * Opens every readable pack; `onSkip` hears of each one that cannot be walked (git reads its objects
   * instead), and of all of them when together they exceed MAX_WALKED_OBJECTS.
   */
  constructor(gitDir: string, onSkip: (pack: string, reason: string) => void, maxObjects = MAX_WALKED_OBJECTS) {
    this.objectDirs = objectDirectories(gitDir);
    const packs = packFiles(gitDir);
    const total = packs.reduce((n, pack) => n + indexedObjects(pack.replace(/\.pack$/, '.idx')), 0);
    if (total > maxObjects) {
      onSkip('*', `${total} packed objects exceed the ${maxObjects} the pack walk indexes in memory`);
      this.complete = false;
      return;
    }
    for (const path of packs) {
      try {
        const { layout, index } = readPackLayout(path);
        this.packs.push({ id: this.packs.length, layout, index });
      } catch (error) {
        this.complete = false;
        onSkip(path.slice(path.lastIndexOf('/') + 1), (error as Error).message);
      }
    }
  }

  /**
   * From now on, `mark` notes each delta tree whose entries are all wanted (`takeReady` hands them out), so
   * they can be walked while the listing goes on. ~8 bytes per packed blob.
   */
  trackTrees(): void {
    for (const pack of this.packs) {
      const { rootOf, size } = deltaTrees(pack.layout);
      pack.trees = { rootOf, unmarked: size, ready: [] };
    }
  }

  /** A loose object file (in this repository or an alternate). */
  isLoose(oid: string): boolean {
    return /^[0-9a-f]{40}$/.test(oid) && this.objectDirs.some((dir) => existsSync(join(dir, oid.slice(0, 2), oid.slice(2))));
  }

  /**
   * The pack and entry holding an object, if any pack does (SHA-1 ids only): a lookup over the ids' first
   * four bytes as numbers (PrefixLookup), the rest of the id compared only where they match.
   */
  locate(oid: string): { pack: OpenedPack; entry: number } | undefined {
    if (oid.length !== 40) return undefined;
    for (let i = 0; i < 40; i++) {
      const code = oid.charCodeAt(i);
      this.hexScratch[i] = code < 0x80 ? code : 0; // no other character is a hex digit
    }
    return this.locateHex(this.hexScratch, 0);
  }

  /**
   * locate for an id written as 40 hex digits at `at` in `bytes` (a line of git's output), without making
   * a string of it: the in-commit-order listing locates its 263,000 blob ids on git/git this way.
   */
  locateHex(bytes: Uint8Array, at: number): { pack: OpenedPack; entry: number } | undefined {
    const prefix = hexPrefix(bytes, at);
    if (prefix < 0) return undefined;
    this.lookups ??= this.packs.map(({ index }) => prefixLookup(index));
    for (let p = 0; p < this.packs.length; p++) {
      const { prefixes, fan, shift } = this.lookups[p]!;
      const { index } = this.packs[p]!;
      const bucket = prefix >>> shift;
      for (let position = fan[bucket]!; position < fan[bucket + 1]!; position++) {
        const candidate = prefixes[position]!;
        if (candidate > prefix) break;
        if (candidate === prefix && sameIdAfterPrefix(index.oids, position * 20, bytes, at)) return { pack: this.packs[p]!, entry: index.entryOf[position]! };
      }
    }
    return undefined;
  }

  /** Marks a blob to scan at `path`. False when no pack holds it (or the id is not SHA-1). */
  mark(oid: string, path: string): boolean {
    const at = this.locate(oid);
    if (!at) return false;
    this.markAt(at, path);
    return true;
  }

  /** Marks the blob packed at `at` to scan at `path`. */
  markAt(at: { pack: OpenedPack; entry: number }, path: string): void {
    const { wanted } = at.pack.layout;
    if (wanted[at.entry]! >= 0) return; // listed twice: scanned once
    wanted[at.entry] = this.paths.id(path);
    const trees = at.pack.trees;
    const root = trees?.rootOf[at.entry] ?? -1;
    if (trees && root >= 0 && --trees.unmarked[root]! === 0) {
      trees.ready.push(root);
      this.readyTrees += 1;
    }
  }

  /** Trees ready to walk. */
  get ready(): number {
    return this.readyTrees;
  }

  /** The trees completed since the last call, counted and marked as walked. */
  takeReady(): ReadyTrees[] {
    const out: ReadyTrees[] = [];
    for (const pack of this.packs) {
      const trees = pack.trees;
      if (!trees?.ready.length) continue;
      for (const root of trees.ready) {
        trees.unmarked[root] = -1;
        markTreeWanted(pack.layout, root);
      }
      out.push({ pack, roots: Int32Array.from(trees.ready) });
      trees.ready = [];
    }
    this.readyTrees = 0;
    return out;
  }

  /** Once every blob is marked: the walks to run, per pack. */
  plan(): PackPlan[] {
    return this.packs.map((pack) => {
      const { layout } = pack;
      const notBlobs: number[] = [];
      for (let e = 0; e < layout.count; e++) {
        if (layout.wanted[e]! >= 0 && layout.types[e] !== OBJ_BLOB && layout.types[e] !== 0) {
          notBlobs.push(e);
          layout.wanted[e] = -1;
        }
      }
      const walked = pack.trees?.unmarked;
      const { roots, unreachable } = finishPlan(layout, walked ? (root) => walked[root] === -1 : undefined);
      roots.sort((a, b) => layout.wantedBelow[b]! - layout.wantedBelow[a]! || a - b);
      return { pack, roots, unreachable, notBlobs };
    });
  }

  describe(pack: OpenedPack, entry: number): { oid: string; path: string } {
    return { oid: oidHex(pack.index, pack.layout.positions[entry]!), path: this.paths.path(pack.layout.wanted[entry]!) ?? '' };
  }
}

/**
 * A pack's ids' first four bytes as numbers, in index order (4 bytes per blob), and a fan-out over their
 * top bits, ~4 ids a bucket (at most 2^16 buckets, 256 KiB): a lookup reads a bucket or two instead of
 * bisecting the whole table. Over git/git's 262,000 blob ids, located in the listing's (random) order:
 * 0.13 to 0.18 s, against 0.38 to 0.62 s for a bisection of the prefixes with the id decoded first.
 */
interface PrefixLookup {
  prefixes: Uint32Array;
  /** fan[b]: the first position whose prefix's top bits (prefix >>> shift) are b or more; fan[buckets] = count. */
  fan: Uint32Array;
  shift: number;
}

function prefixLookup(index: PackBlobs): PrefixLookup {
  const prefixes = new Uint32Array(index.count);
  for (let i = 0; i < index.count; i++) prefixes[i] = index.oids.readUInt32BE(i * 20);
  const bits = Math.max(1, Math.min(16, Math.ceil(Math.log2(Math.max(1, index.count))) - 2)); // 1 or more: a shift by 32 is none
  const shift = 32 - bits;
  const fan = new Uint32Array((1 << bits) + 1);
  let position = 0;
  for (let bucket = 0; bucket < fan.length; bucket++) {
    while (position < index.count && prefixes[position]! >>> shift < bucket) position++;
    fan[bucket] = position;
  }
  return { prefixes, fan, shift };
}
