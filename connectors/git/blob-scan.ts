/**
 * The reading phase of a `git:` scan: lists the selection's blobs, skips those the cache has seen, and has the
 * workers read and scan the rest (large selections by walking the packs' delta trees, the rest through
 * `git cat-file`). It ends with the blobs that hold hits, the blobs whose path hid a secret (to be judged
 * by their other paths), and, after a whole history's listing in commit order, each blob's first commit.
 */
import type { ConnectorContext } from '../../src/plugin.js';
import type { Notes } from '../../src/secret-scan/notes.js';
import type { ScanSettings } from '../../src/secret-scan/settings.js';
import { overCapReason, type WorkResult } from '../../src/secret-scan/worker.js';
import type { BlobCache, CachedBlob } from './cache.js';
import { enumerateBlobs, firstMissingTree, objectsInCommitOrder, type RevSelection } from './enumerate.js';
import { readListing, ReadableIds, type ListingSink } from './listing-lines.js';
import { GitScanPool } from './git-scan-pool.js';
import { runGit } from './git-process.js';
import { Introductions } from './introductions.js';
import { looseObjectIds } from './loose-objects.js';
import type { JudgedResult } from './path-judging.js';
import { wantedEntriesUnder } from './pack/pack-layout.js';
import { MAX_WALKED_OBJECTS, PackedObjects, packedObjectCount, type OpenedPack } from './pack/packed-objects.js';

export type GitStats = {
  blobs: number;
  blobsScanned: number;
  bytesScanned: number;
  cachedBlobs: number;
  /** Blobs produced by walking pack delta trees (the rest were read through git cat-file). */
  blobsFromPacks: number;
  skippedBinary: number;
  skippedLarge: number;
  skippedLfs: number;
  /** nhiscan's own reports (recognised by content): never scanned. */
  skippedReports: number;
  missingBlobs: number;
  /** Trees a treeless partial clone lacks (at least one when set): the files below them went unlisted. */
  missingTrees?: number;
  unreadableBlobs: number;
  nonUtf8: number;
  submodules: number;
  hits: number;
  secrets: number;
  /** Matches counted but not kept in flooded files (see MAX_HITS_PER_DETECTOR). */
  hitsOverCap?: number;
};

function newStats(): GitStats {
  return {
    blobs: 0,
    blobsScanned: 0,
    bytesScanned: 0,
    cachedBlobs: 0,
    blobsFromPacks: 0,
    skippedBinary: 0,
    skippedLarge: 0,
    skippedLfs: 0,
    skippedReports: 0,
    missingBlobs: 0,
    unreadableBlobs: 0,
    nonUtf8: 0,
    submodules: 0,
    hits: 0,
    secrets: 0,
  };
}

export interface BlobScanResult {
  stats: GitStats;
  /** Blobs with hits in this run's selection: this run's scan plus cache entries the selection reaches. */
  found: Map<string, CachedBlob>;
  /**
   * Blobs whose path hid a secret that their content holds under no path (path-judging.ts), with the
   * path they were scanned at: to be judged by the other paths they had. Usually none.
   */
  hiddenByPath: Map<string, string>;
  /**
   * Each listed blob's first commit that holds it, when a whole history was listed in commit order: its
   * introducing commit once attribution has checked that this commit's own diff writes it.
   */
  firstHolders?: Introductions;
}

type BlobItem = { oid: string; path: string };

/**
 * Below this many blobs to read, a scan reads them through `git cat-file` rather than indexing the packs
 * (~0.5 s for a 200,000-object pack). NHISCAN_GIT_PACK_WALK_MIN overrides it: tests use it to run the
 * pack walk on small repositories, and 'off' turns the walk off to compare the two readers.
 */
function packWalkThreshold(): number {
  const value = process.env.NHISCAN_GIT_PACK_WALK_MIN;
  if (value === 'off') return Number.POSITIVE_INFINITY;
  return value !== undefined && /^\d+$/.test(value) ? Math.max(1, Number(value)) : 4096;
}

/**
 * Whether the in-commit-order listing can list this repository. It needs SHA-1 object ids, those the pack
 * layouts and its lookups take (a SHA-256 repository is listed by the blob-filtered rev-list, whose ids
 * git reads when no layout holds them; a git too old to say has no SHA-256 support). And no partial
 * clone: its listing prints the objects the clone lacks without their type, so a treeless clone's
 * missing trees would count as missing blobs; the blob-filtered rev-list tells missing blobs apart.
 */
async function listableInCommitOrder(gitDir: string, clone: Promise<PartialClone>): Promise<boolean> {
  const [format, partial] = await Promise.all([runGit(gitDir, ['rev-parse', '--show-object-format'], { allowFail: true }), clone]);
  return (format.code !== 0 || format.stdout.trim() === 'sha1') && !partial.promisor;
}

type PartialClone = { promisor: boolean; treeless: boolean };

/**
 * Whether this is a partial clone, and whether its filter leaves trees out (`tree:N`, alone or in a
 * `combine:` filter). A partial clone names its promisor remote (remote.<name>.promisor;
 * extensions.partialClone before git 2.25) and the filter it was cloned with (remote.<name>.partialclonefilter).
 */
async function partialClone(gitDir: string): Promise<PartialClone> {
  const config = await runGit(gitDir, ['config', '--get-regexp', '^remote\\..*\\.(promisor|partialclonefilter)$|^extensions\\.partialclone$'], {
    allowFail: true,
  });
  const lines = config.stdout.split('\n').map((line) => line.trim().toLowerCase());
  const promisor = lines.some((line) => !line.includes('.partialclonefilter ') && line && !/ false$/.test(line));
  const treeless = lines.some((line) => line.includes('.partialclonefilter ') && /\btree(:|%3a)/.test(line));
  return { promisor, treeless };
}

/**
 * A whole history is listed in commit order (listInCommitOrder) unless NHISCAN_GIT_COMMIT_ORDER=off, which
 * benches and tests use to compare it with rev-list's newest-first listing.
 */
function commitOrder(): boolean {
  return process.env.NHISCAN_GIT_COMMIT_ORDER !== 'off';
}

/** Below this many blobs handed to their walks and not answered, the workers are about to wait: ready trees go at once. */
const LOW_WATER = 512;

/** Delta trees in batches of about 256 wanted blobs (a big tree is a batch of its own). */
function* rootBatches(roots: Int32Array, wantedBelow: Int32Array): Generator<Int32Array> {
  let start = 0,
    wanted = 0;
  for (let i = 0; i < roots.length; i++) {
    wanted += wantedBelow[roots[i]!]!;
    if (wanted >= 256) {
      yield roots.slice(start, i + 1);
      start = i + 1;
      wanted = 0;
    }
  }
  if (start < roots.length) yield roots.slice(start);
}

export class BlobScan {
  private readonly stats = newStats();
  private readonly found = new Map<string, CachedBlob>();
  /** Blobs sent to a worker's `git cat-file`, by result key. */
  private readonly pending = new Map<number, BlobItem>();
  /** Results of pack walks are keyed keyBase + entry: mapped back to the blob through the pack index. */
  private readonly walked: Array<{ keyBase: number; pack: OpenedPack }> = [];
  private readonly handedBack: Array<BlobItem & { reason: string }> = [];
  private readonly pool: GitScanPool;
  private packed: PackedObjects | undefined;
  private readonly hiddenByPath = new Map<string, string>();
  private firstHolders: Introductions | undefined;
  private answered = 0;
  /** Blobs of the walks handed to the workers while the listing runs, not answered yet. */
  private walkedBlobsOut = 0;
  /** Pack walks handed to the workers while the listing runs, in order. */
  private walking: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ConnectorContext,
    private readonly gitDir: string,
    private readonly selection: RevSelection,
    private readonly settings: ScanSettings,
    private readonly cache: BlobCache,
    private readonly useCache: boolean,
    private readonly notes: Notes,
  ) {
    // Workers read the blobs themselves, so reading runs on every core.
    this.pool = new GitScanPool(
      { gitDir, maxSize: settings.maxFileSize, threads: settings.threads, allowlist: settings.allowlist, listing: true },
      (k, result) => this.onResult(k, result),
    );
  }

  async run(): Promise<BlobScanResult> {
    this.ctx.progress('enumerating blobs');
    try {
      await this.listBlobs();
      this.pool.listingEnded(); // the workers yielded to the listing: they get every core now
      if (this.packed) await this.walkPacks(this.packed);
      await this.pool.close();
    } catch (error) {
      await this.pool.destroy();
      throw error;
    }
    return { stats: this.stats, found: this.found, hiddenByPath: this.hiddenByPath, firstHolders: this.firstHolders };
  }

  /** Lists the selection's blobs; reads through git until the selection is large enough to walk the packs. */
  private async listBlobs(): Promise<void> {
    // Asked once: both the choice of listing and the missing-tree check need it.
    const clone = partialClone(this.gitDir);
    if (this.wholeHistoryInPacks() && (await listableInCommitOrder(this.gitDir, clone))) {
      // git walks the commits (~3 s on git/git) while the packs are indexed.
      const listing = objectsInCommitOrder(this.gitDir, this.selection);
      let packed: PackedObjects;
      try {
        packed = this.openPacks();
      } catch (error) {
        listing.stop(); // else git blocks on a full pipe and holds the process open
        throw error;
      }
      if (packed.complete && packed.packs.length) return this.listInCommitOrder(listing.chunks, packed);
      listing.stop();
      this.usePacks(packed); // some pack cannot be indexed: rev-list says what is missing
    }
    await this.reportMissingTrees(clone);
    let lastProgress = 0;
    let buffered: BlobItem[] = [];
    for await (const object of enumerateBlobs(this.gitDir, this.selection)) {
      if (this.ctx.signal.aborted) throw new Error('scan aborted');
      if (object.kind === 'missing') {
        this.missing(object.oid);
        continue;
      }
      this.stats.blobs += 1;
      if (this.fromCache(object.oid)) continue;
      if (this.packed) {
        if (!this.packed.mark(object.oid, object.path)) await this.readWithGit(object);
        else this.walkReadyTreesSoon(this.packed);
        continue;
      }
      // Small selections (a pull request, a rescan) go straight to git: indexing the packs would cost more.
      buffered.push({ oid: object.oid, path: object.path });
      if (buffered.length >= packWalkThreshold()) {
        await this.startPackWalk(buffered);
        buffered = [];
      }
      if (this.stats.blobs - lastProgress >= 5000) {
        lastProgress = this.stats.blobs;
        this.ctx.progress(`${this.stats.blobs}+ blobs listed`);
      }
    }
    for (const item of buffered) await this.readWithGit(item);
  }

  /** A blob scanned in an earlier run: its cached hits count, it is not read again. */
  private fromCache(oid: string): boolean {
    if (!this.cache.scanned.has(oid)) return false;
    this.stats.cachedBlobs += 1;
    const cached = this.cache.hits.get(oid);
    if (cached) this.found.set(oid, cached);
    return true;
  }

  private async startPackWalk(buffered: BlobItem[]): Promise<void> {
    const packed = this.openPacks();
    this.usePacks(packed);
    for (const item of buffered) if (!packed.mark(item.oid, item.path)) await this.readWithGit(item);
  }

  private openPacks(): PackedObjects {
    this.ctx.progress('indexing packs');
    // A pack that cannot be walked is still read, by git: worth a log line, not a coverage gap.
    return new PackedObjects(this.gitDir, (pack, reason) => this.ctx.log.info(`${this.ctx.source.spec}: pack ${pack} is read through git cat-file: ${reason}`));
  }

  /**
   * From now on each listed blob is marked in its pack, and a delta tree whose entries are all listed goes
   * to the workers at once: the walk runs while rev-list lists the rest (on git/git rev-list alone takes
   * ~10 s of one core).
   */
  private usePacks(packed: PackedObjects): void {
    this.packed = packed;
    for (const pack of packed.packs) this.walked.push({ keyBase: this.pool.reserveKeys(pack.layout.count), pack });
    packed.trackTrees();
  }

  /**
   * The whole history (no range, no --since, no cached tips: a first scan) of a repository whose packs the
   * walk can index, and large enough to walk them: rev-list then lists it commit by commit, oldest first,
   * so each blob comes with the first commit that holds it, and attribution needs no whole `git log`
   * pass after the walk (~9 s of one core on git/git).
   */
  private wholeHistoryInPacks(): boolean {
    if (!commitOrder() || this.selection.range || this.selection.since || this.selection.exclude?.length) return false;
    const objects = packedObjectCount(this.gitDir);
    return objects >= packWalkThreshold() && objects <= MAX_WALKED_OBJECTS;
  }

  /**
   * Lists a whole history from rev-list's in-commit-order walk: each blob at the path of the first commit
   * that holds it (oldest first; the path it is reported at), with that commit recorded. Trees are listed
   * too: an id no pack layout holds (they keep blobs only) is a loose object, read by git, or else a
   * packed tree or tag, skipped. Delta trees go to the workers as soon as all their entries are listed.
   * Each line is read from git's bytes: a packed blob's id is located without a string of it.
   */
  private async listInCommitOrder(chunks: AsyncGenerator<Buffer>, packed: PackedObjects): Promise<void> {
    this.usePacks(packed);
    const holders = new Introductions(packed);
    const loose = looseObjectIds(this.gitDir);
    const readable = new ReadableIds(); // the lines of other objects (trees) are skipped undecoded
    for (const { index } of packed.packs) readable.addRecords(index.oids, index.count);
    for (const oid of loose) readable.addHex(oid);
    // The listing names each object once, so only the ids of an earlier run can be in the cache when listed.
    const cached = this.cache.scanned.size > 0;
    const toRead: BlobItem[] = [];
    const sink: ListingSink = {
      commit: (line, start, end) => holders.commitListed(end - start === 40 ? line : undefined, start),
      missing: (oid) => this.missing(oid),
      object: (line, start, idEnd, end) => {
        const at = idEnd - start === 40 ? packed.locateHex(line, start) : undefined;
        const oid = at && !cached ? undefined : line.toString('latin1', start, idEnd);
        if (!at && !loose.has(oid!)) return;
        holders.record(at, oid); // the path comes from the diff that confirms the commit
        if (++this.stats.blobs % 5000 === 0) this.ctx.progress(`${this.stats.blobs}+ blobs listed`);
        if (oid !== undefined && this.fromCache(oid)) return;
        const path = line.toString('utf8', idEnd + 1, end);
        if (!at) toRead.push({ oid: oid!, path });
        else {
          packed.markAt(at, path);
          this.walkReadyTreesSoon(packed);
        }
      },
    };
    this.ctx.progress('listing blobs commit by commit');
    for await (const chunk of chunks) {
      if (this.ctx.signal.aborted) throw new Error('scan aborted');
      readListing(chunk, readable, sink);
      for (const item of toRead.splice(0)) await this.readWithGit(item);
    }
    this.firstHolders = holders;
    this.walkReadyTrees(packed);
  }

  /**
   * Hands the ready delta trees to the workers 64 at a time (fewer, larger messages), or at once when the
   * workers are about to run out of blobs: early in a listing few trees complete, and in a git/git scan
   * the workers had answered every blob handed to them while up to 63 ready trees waited for the 64th.
   */
  private walkReadyTreesSoon(packed: PackedObjects): void {
    if (packed.ready >= 64 || (packed.ready > 0 && this.walkedBlobsOut < LOW_WATER)) this.walkReadyTrees(packed);
  }

  /** Hands the delta trees whose entries are all listed to the workers (not awaited: the listing goes on). */
  private walkReadyTrees(packed: PackedObjects): void {
    for (const { pack, roots } of packed.takeReady()) {
      const { keyBase } = this.walked.find((w) => w.pack === pack)!;
      const ref = { id: pack.id, keyBase, layout: pack.layout };
      for (const batch of rootBatches(roots, pack.layout.wantedBelow)) {
        const keys = wantedEntriesUnder(pack.layout, batch).map((e) => keyBase + e);
        this.walkedBlobsOut += keys.length;
        this.walking = this.walking.then(() => this.pool.addPackRoots(ref, packed.paths.paths, batch, keys));
        this.walking.catch(() => {}); // awaited (and thrown) by walkPacks
      }
    }
  }

  /** A treeless clone's missing trees hide the files below them from the blob listing: say so. */
  private async reportMissingTrees(clone: Promise<PartialClone>): Promise<void> {
    if (!(await clone).treeless) return;
    const tree = await firstMissingTree(this.gitDir, this.selection);
    if (tree === undefined) return;
    this.stats.missingTrees = 1;
    this.notes.error(
      `object:${tree.slice(0, 12)}`,
      'a tree this partial clone lacks (the first of maybe many): the files below the missing trees were not listed or scanned; clone without --filter=tree:N (or git fetch --refetch) to scan them',
    );
  }

  private missing(oid: string): void {
    this.stats.missingBlobs += 1;
    this.notes.error(`object:${oid.slice(0, 12)}`, 'missing or unreadable in the object store (partial clone, shallow history or corruption); not scanned');
  }

  /** Hands the marked blobs' delta trees to the workers, then has git read what a walk could not produce. */
  private async walkPacks(packed: PackedObjects): Promise<void> {
    await this.walking; // the trees handed out while the listing ran
    for (const plan of packed.plan()) {
      const { keyBase } = this.walked.find((w) => w.pack === plan.pack)!; // reserved by usePacks
      this.stats.blobs -= plan.notBlobs.length; // annotated tags listed with a name, not files
      for (const entry of plan.unreachable) await this.readWithGit(packed.describe(plan.pack, entry));
      const ref = { id: plan.pack.id, keyBase, layout: plan.pack.layout };
      for (const roots of rootBatches(plan.roots, plan.pack.layout.wantedBelow)) {
        const keys = wantedEntriesUnder(plan.pack.layout, roots).map((e) => keyBase + e);
        this.walkedBlobsOut += keys.length;
        await this.pool.addPackRoots(ref, packed.paths.paths, roots, keys);
      }
    }
    await this.pool.drain();
    // What a walk could not produce (a corrupt entry, a chain too large to hold): git reads it, and
    // reports precisely what is wrong if it cannot either.
    for (const item of this.handedBack.splice(0)) await this.readWithGit(item);
  }

  private async readWithGit(item: BlobItem): Promise<void> {
    this.pending.set(await this.pool.addBlob(item.oid, item.path), { oid: item.oid, path: item.path });
  }

  private onResult(k: number, result: WorkResult): void {
    const readByGit = this.pending.get(k);
    this.pending.delete(k);
    const owner = readByGit ? undefined : this.walked.find((w) => k >= w.keyBase && k < w.keyBase + w.pack.layout.count);
    const packed = this.packed;
    if (!readByGit && !(owner && packed)) return;
    if (owner) this.walkedBlobsOut -= 1;
    // Its id and path as strings only where they are kept or told (most blobs of a history hold nothing).
    const item = () => readByGit ?? packed!.describe(owner!.pack, k - owner!.keyBase);
    if (result.outcome === 'hand-back') {
      this.handedBack.push({ ...item(), reason: result.error ?? '' });
      return;
    }
    if (owner) this.stats.blobsFromPacks += 1;
    if (!this.count(item, result)) return; // not cached: a later run retries it
    // A blob whose path hid a secret is not cached as scanned: a later commit may move it to a path that
    // does not hide it, and an incremental scan must then read it again (such blobs are few).
    if ((result as JudgedResult).hiddenByPath) {
      const { oid, path } = item();
      this.hiddenByPath.set(oid, path);
    } else if (this.useCache) this.cache.scanned.add(item().oid); // a whole history's ids, as 20-byte records: kept to be saved
    if (++this.answered % 5000 === 0) this.ctx.progress(`${this.answered} of ${this.stats.blobs - this.stats.cachedBlobs} blobs read`);
  }

  /** Counts one worker result and keeps its hits; false when the blob was not read and must be tried again. */
  private count(blob: () => BlobItem, result: WorkResult): boolean {
    const part = () => {
      const { oid, path } = blob();
      return `blob:${oid.slice(0, 12)} ${path}`;
    };
    switch (result.outcome) {
      case 'missing':
        this.stats.missingBlobs += 1;
        this.notes.error(part(), 'missing or unreadable in the object store (partial clone or corruption); not scanned');
        return false;
      case 'error':
        this.stats.unreadableBlobs += 1;
        this.notes.error(part(), result.error ?? 'cannot be read');
        return false;
      case 'not-blob':
        this.stats.blobs -= 1; // an annotated tag listed with its name, not a file
        return false;
      case 'too-large':
        this.stats.skippedLarge += 1;
        this.notes.skipped(part(), `larger than the ${this.settings.maxFileSize}-byte limit (${result.size} bytes); raise --max-file-size to scan it`);
        return true;
      case 'binary':
        this.stats.skippedBinary += 1;
        return true;
      case 'nhiscan-report':
        this.stats.skippedReports += 1;
        return true;
      case 'lfs-pointer':
        this.stats.skippedLfs += 1;
        this.notes.skipped(part(), 'Git LFS pointer: the file content lives in LFS storage and is not scanned');
        return true;
      default:
        this.stats.blobsScanned += 1;
        this.stats.bytesScanned += result.size ?? 0;
        if (result.nonUtf8) this.stats.nonUtf8 += 1;
        if (result.hitsOverCap) {
          this.stats.hitsOverCap = (this.stats.hitsOverCap ?? 0) + result.hitsOverCap;
          this.notes.skipped(part(), overCapReason(result.hitsOverCap));
        }
        if (result.hits.length) {
          const { oid, path } = blob();
          const entry: CachedBlob = { path, hits: result.hits };
          this.cache.hits.set(oid, entry);
          this.found.set(oid, entry);
        }
        return true;
    }
  }
}
