/**
 * The `git:` source: every blob of the whole history of all refs (or of `--range` / `--since`), read
 * once through `git cat-file --batch`, scanned in worker threads, and attributed to the commit that
 * introduced it. See docs/git.md.
 */
import { resolve } from 'node:path';
import type { CliOption, CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
import type { Location } from '../../src/model/index.js';
import { DETECTOR_SET_VERSION } from '../../src/secrets/index.js';
import { attributeBlobs, walkIntroductions, type Attribution } from './attribute.js';
import { Introductions } from './introductions.js';
import type { BlobRequest } from './blob-reader.js';
import { cacheKey, defaultCacheDir, emptyCache, loadCache, saveCache, type BlobCache, type CachedBlob } from './cache.js';
import { enumerateBlobs, validateRevision, type RevSelection } from './enumerate.js';
import { Notes } from '../../src/secret-scan/notes.js';
import { runGit } from './git-process.js';
import { cloneAuthOf } from '../../src/clone-auth.js';
import { headTree, refTips, resolveRepository } from './repository.js';
import { GitScanPool } from './git-scan-pool.js';
import { PackedObjects, type OpenedPack } from './pack/packed-objects.js';
import { wantedEntriesUnder } from './pack/pack-layout.js';
import { secretCredentials, type LocatedHit } from '../../src/secret-scan/secret-inventory.js';
import { checkScanSettings, readSettings, type ScanSettings } from '../../src/secret-scan/settings.js';
import { overCapReason, type WorkResult } from '../../src/secret-scan/worker.js';

export const gitOptions: CliOption[] = [
  { name: 'since', type: 'string', description: 'git: scan only what the refs add after REV (e.g. the last scanned release)' },
  { name: 'range', type: 'string', description: 'git: scan only the commits of A..B (e.g. a pull request: origin/main..HEAD)' },
  { name: 'max-file-size', type: 'string', description: 'git/dir: skip files larger than this (default 10MiB; accepts 512k, 10MiB...)' },
  { name: 'cache-dir', type: 'string', description: 'git: where to keep the scanned-blob cache (default $XDG_CACHE_HOME/nhiscan/git/<repository>)' },
  { name: 'no-cache', type: 'boolean', description: 'git: neither read nor write the scanned-blob cache' },
  { name: 'threads', type: 'string', description: 'git/dir: worker threads for secret detection (default: all cores)' },
];

export interface GitStats {
  blobs: number;
  blobsScanned: number;
  bytesScanned: number;
  cachedBlobs: number;
  /** Blobs produced by walking pack delta trees (the rest were read through git cat-file). */
  blobsFromPacks: number;
  skippedBinary: number;
  skippedLarge: number;
  skippedLfs: number;
  missingBlobs: number;
  unreadableBlobs: number;
  nonUtf8: number;
  submodules: number;
  hits: number;
  secrets: number;
  commitsWalked?: number;
  /** Matches counted but not kept in flooded files (see MAX_HITS_PER_DETECTOR). */
  hitsOverCap?: number;
}

function newStats(): GitStats {
  return { blobs: 0, blobsScanned: 0, bytesScanned: 0, cachedBlobs: 0, blobsFromPacks: 0, skippedBinary: 0, skippedLarge: 0, skippedLfs: 0, missingBlobs: 0, unreadableBlobs: 0, nonUtf8: 0, submodules: 0, hits: 0, secrets: 0 };
}

function stringOption(ctx: ConnectorContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export const gitConnector: Connector = {
  scheme: 'git',
  description: 'Secrets in the whole history of a git repository (working copy, bare/mirror, or URL)',
  options: gitOptions,
  checkOptions: checkScanSettings('git'),
  collect: collectGit,
};

export async function collectGit(ctx: ConnectorContext): Promise<CollectResult> {
  const settings = readSettings(ctx, 'git');
  const range = stringOption(ctx, 'range');
  const since = stringOption(ctx, 'since');
  if (range && since) throw new Error('--range and --since cannot be combined');
  if (range) validateRevision(range);
  if (since) validateRevision(since);

  const repo = await resolveRepository(ctx.source.target, ctx.baseDir, cloneAuthOf(ctx));
  try {
    return await scanRepository(ctx, repo.gitDir, repo.name, { range, since, isTemporary: repo.isUrl }, settings);
  } finally {
    repo.cleanup();
  }
}

interface ScanPlan {
  range?: string;
  since?: string;
  isTemporary: boolean;
}

async function scanRepository(ctx: ConnectorContext, gitDir: string, repoName: string, plan: ScanPlan, settings: ScanSettings): Promise<CollectResult> {
  const stats = newStats();
  const notes = new Notes();
  const partial = Boolean(plan.range || plan.since);
  const key = cacheKey(DETECTOR_SET_VERSION, { allowlist: settings.allowlist, maxFileSize: settings.maxFileSize });
  const cacheDir = settings.cacheDir ? resolve(ctx.baseDir, settings.cacheDir) : defaultCacheDir(gitDir);
  const useCache = settings.cache && (!plan.isTemporary || Boolean(settings.cacheDir));
  const loaded = useCache ? loadCache(cacheDir, gitDir, key, DETECTOR_SET_VERSION) : undefined;
  if (loaded?.rejected) ctx.log.warn(`${ctx.source.spec}: ${loaded.rejected}`);
  const cache: BlobCache = loaded?.cache ?? emptyCache(key, DETECTOR_SET_VERSION);

  // Incremental full scan: only commits not reachable from the tips cached last time.
  const tipsNow = await refTips(gitDir);
  const selection: RevSelection = plan.range ? { range: plan.range } : plan.since ? { since: plan.since } : {};
  if (!partial && cache.tips.length) selection.exclude = await existingCommits(gitDir, cache.tips);
  const incremental = Boolean(selection.exclude?.length);

  // Blobs with hits in this run's selection: this run's scan plus cache entries the selection reaches.
  const found = new Map<string, CachedBlob>();
  const pending = new Map<number, { oid: string; path: string }>();
  let answered = 0;
  const recordResult = (item: { oid: string; path: string }, result: WorkResult) => {
    const part = `blob:${item.oid.slice(0, 12)} ${item.path}`;
    switch (result.outcome) {
      case 'missing':
        stats.missingBlobs += 1;
        notes.error(part, 'missing or unreadable in the object store (partial clone or corruption); not scanned');
        return;
      case 'error':
        stats.unreadableBlobs += 1;
        notes.error(part, result.error ?? 'cannot be read');
        return; // not cached: a later run retries it
      case 'not-blob':
        stats.blobs -= 1; // an annotated tag listed with its name, not a file
        return;
      case 'too-large':
        stats.skippedLarge += 1;
        notes.skipped(part, `larger than the ${settings.maxFileSize}-byte limit (${result.size} bytes); raise --max-file-size to scan it`);
        break;
      case 'binary':
        stats.skippedBinary += 1;
        break;
      case 'lfs-pointer':
        stats.skippedLfs += 1;
        notes.skipped(part, 'Git LFS pointer: the file content lives in LFS storage and is not scanned');
        break;
      default:
        stats.blobsScanned += 1;
        stats.bytesScanned += result.size ?? 0;
        if (result.nonUtf8) stats.nonUtf8 += 1;
        if (result.hitsOverCap) {
          stats.hitsOverCap = (stats.hitsOverCap ?? 0) + result.hitsOverCap;
          notes.skipped(part, overCapReason(result.hitsOverCap));
        }
        if (result.hits.length) {
          const entry: CachedBlob = { path: item.path, hits: result.hits };
          cache.hits.set(item.oid, entry);
          found.set(item.oid, entry);
        }
    }
    if (useCache) cache.scanned.add(item.oid); // 70,000 ids over a large history: kept only to be saved
    if (++answered % 5000 === 0) ctx.progress(`${answered} of ${stats.blobs - stats.cachedBlobs} blobs read`);
  };
  // Results of pack walks are keyed keyBase + entry: mapped back to the blob through the pack index.
  const walked: Array<{ keyBase: number; pack: OpenedPack }> = [];
  const handedBack: Array<{ oid: string; path: string; reason: string }> = [];
  let packed: PackedObjects | undefined;
  // With the pack walk (a large selection), attribution runs alongside the scan: one git log pass
  // records every blob's introducing commit while the workers read, ready when they finish.
  let introductions: Promise<Introductions | undefined> | undefined;
  const stopIntroductions = new AbortController();
  const startIntroductions = (packs: PackedObjects) => {
    if (introductions) return;
    const recorder = new Introductions(packs);
    introductions = walkIntroductions(gitDir, selection, (oid, path, commit) => recorder.record(oid, path, commit), stopIntroductions.signal).then(
      () => recorder,
      () => undefined, // attributed after the scan instead
    );
  };
  const onResult = (k: number, result: WorkResult) => {
    const readByGit = pending.get(k);
    pending.delete(k);
    const owner = readByGit ? undefined : walked.find((w) => k >= w.keyBase && k < w.keyBase + w.pack.layout.count);
    const item = readByGit ?? (owner && packed?.describe(owner.pack, k - owner.keyBase));
    if (!item) return;
    if (result.outcome === 'hand-back') {
      handedBack.push({ ...item, reason: result.error ?? '' });
      return;
    }
    if (owner) stats.blobsFromPacks += 1;
    recordResult(item, result);
  };
  // Workers read the blobs themselves, so reading runs on every core: large selections by walking the
  // packs' delta trees (each object inflated once), the rest through one `git cat-file` per worker.
  const pool = new GitScanPool({ gitDir, maxSize: settings.maxFileSize, threads: settings.threads, allowlist: settings.allowlist }, onResult);
  const readWithGit = async (oid: string, path: string) => pending.set(await pool.addBlob(oid, path), { oid, path });

  ctx.progress('enumerating blobs');
  try {
    let lastProgress = 0;
    let buffered: Array<{ oid: string; path: string }> = [];
    for await (const object of enumerateBlobs(gitDir, selection)) {
      if (ctx.signal.aborted) throw new Error('scan aborted');
      if (object.kind === 'missing') {
        stats.missingBlobs += 1;
        notes.error(`object:${object.oid.slice(0, 12)}`, 'missing or unreadable in the object store (partial clone, shallow history or corruption); not scanned');
        continue;
      }
      stats.blobs += 1;
      if (cache.scanned.has(object.oid)) {
        stats.cachedBlobs += 1;
        const cached = cache.hits.get(object.oid);
        if (cached) found.set(object.oid, cached);
        continue;
      }
      if (packed) {
        if (!packed.mark(object.oid, object.path)) await readWithGit(object.oid, object.path);
        continue;
      }
      // Small selections (a pull request, a rescan) go straight to git: indexing the packs would cost more.
      buffered.push({ oid: object.oid, path: object.path });
      if (buffered.length >= packWalkThreshold()) {
        ctx.progress('indexing packs');
        // A pack that cannot be walked is still read, by git: worth a log line, not a coverage gap.
        packed = new PackedObjects(gitDir, (pack, reason) => ctx.log.info(`${ctx.source.spec}: pack ${pack} is read through git cat-file: ${reason}`));
        // Started as soon as the walk is certain: it uses the core rev-list leaves idle, not the walk's.
        startIntroductions(packed);
        for (const item of buffered) if (!packed.mark(item.oid, item.path)) await readWithGit(item.oid, item.path);
        buffered = [];
      }
      if (stats.blobs - lastProgress >= 5000) {
        lastProgress = stats.blobs;
        ctx.progress(`${stats.blobs}+ blobs listed`);
      }
    }
    for (const item of buffered) await readWithGit(item.oid, item.path);
    if (packed) {
      for (const plan of packed.plan()) {
        const keyBase = pool.reserveKeys(plan.pack.layout.count);
        walked.push({ keyBase, pack: plan.pack });
        stats.blobs -= plan.notBlobs.length; // annotated tags listed with a name, not files
        for (const entry of plan.unreachable) {
          const { oid, path } = packed.describe(plan.pack, entry);
          await readWithGit(oid, path);
        }
        const ref = { id: plan.pack.id, keyBase, layout: plan.pack.layout, paths: packed.paths.paths };
        for (const roots of rootBatches(plan.roots, plan.pack.layout.wantedBelow)) {
          await pool.addPackRoots(ref, roots, wantedEntriesUnder(plan.pack.layout, roots).map((e) => keyBase + e));
        }
      }
      await pool.drain();
      // What a walk could not produce (a corrupt entry, a chain too large to hold): git reads it, and
      // reports precisely what is wrong if it cannot either.
      for (const item of handedBack.splice(0)) await readWithGit(item.oid, item.path);
    }
    await pool.close();
  } catch (error) {
    stopIntroductions.abort();
    await pool.destroy();
    await introductions;
    throw error;
  }

  // Attribution: only blobs with hits, and only those not attributed in an earlier run.
  const unattributed = new Set([...found].filter(([, entry]) => !entry.attribution).map(([oid]) => oid));
  if (!unattributed.size) stopIntroductions.abort(); // nothing to attribute: do not wait for the pass
  const introduced = unattributed.size ? await introductions : undefined;
  for (const oid of unattributed) {
    const attribution = introduced?.of(oid);
    if (!attribution) continue;
    found.get(oid)!.attribution = attribution;
    unattributed.delete(oid);
  }
  if (unattributed.size) {
    ctx.progress(`attributing ${unattributed.size} blobs to commits`);
    try {
      const attributions = await attributeBlobs(gitDir, unattributed, selection);
      for (const [oid, attribution] of attributions) found.get(oid)!.attribution = attribution;
    } catch (error) {
      notes.error('attribution', `cannot tell which commits introduced ${unattributed.size} blobs: ${(error as Error).message}`);
    }
  }

  // An incremental run reports earlier findings too: every cached blob with hits still in the repository.
  if (incremental) {
    const cachedOids = [...cache.hits.keys()].filter((oid) => !found.has(oid));
    for (const oid of await existingObjects(gitDir, cachedOids)) found.set(oid, cache.hits.get(oid)!);
  }

  // Presence at HEAD: the file at the location's path in HEAD still holds the same secret.
  const head = await headTree(gitDir);
  stats.submodules = head.gitlinks.length;
  for (const path of head.gitlinks.slice(0, 20)) notes.skipped(`submodule:${path}`, 'submodule (gitlink): its repository is not part of this one; scan it as its own git: source');
  const headHashes = await hashesAtHead(ctx, gitDir, head.files, found, cache, settings, notes, !partial);

  const located: LocatedHit[] = [];
  for (const entry of found.values()) {
    const attribution: Partial<Attribution> = entry.attribution ?? {};
    const path = attribution.path ?? entry.path;
    for (const hit of entry.hits) {
      const location: Location = { source: ctx.source.spec, repository: repoName, path, line: hit.line, column: hit.column };
      if (attribution.commit) {
        location.commit = attribution.commit;
        location.author = attribution.author;
        location.authorEmail = attribution.authorEmail;
        location.date = attribution.date;
      }
      location.presentAtHead = headHashes.get(path)?.has(hit.hash) ?? false;
      located.push({ hit, location });
      stats.hits += 1;
    }
  }
  const credentials = secretCredentials(located, ctx.source.spec);
  stats.secrets = credentials.length;

  if (useCache) {
    // Tips advance only when every blob of the walk was read: a blob that failed or was missing (a
    // partial clone, a lost object) must be walked again, so the rescan stays partial until it is read.
    if (!partial && stats.unreadableBlobs === 0 && stats.missingBlobs === 0) cache.tips = tipsNow;
    try {
      saveCache(cacheDir, gitDir, cache);
    } catch (error) {
      notes.skipped('cache', `cannot write the blob cache in ${cacheDir}: ${(error as Error).message}; the next scan reads everything again`);
    }
  }
  notes.finish();
  return {
    identities: [],
    credentials,
    status: notes.errors.length ? 'partial' : 'ok',
    errors: notes.errors,
    notCovered: notes.notCovered,
    stats: stats as unknown as Record<string, number>,
  };
}

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

/** Delta trees in batches of about 256 wanted blobs (a big tree is a batch of its own). */
function* rootBatches(roots: Int32Array, wantedBelow: Int32Array): Generator<Int32Array> {
  let start = 0, wanted = 0;
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

/** Keeps the ids that still exist (a cached tip may have been deleted by a force push and gc). */
async function existingCommits(gitDir: string, ids: string[]): Promise<string[]> {
  return existingObjects(gitDir, ids);
}

async function existingObjects(gitDir: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const { stdout } = await runGit(gitDir, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: `${ids.join('\n')}\n`, allowFail: true });
  return stdout
    .split('\n')
    .map((line) => line.split(' '))
    .filter((parts) => parts.length === 2 && parts[1] !== 'missing')
    .map((parts) => parts[0]!);
}

/**
 * For every path with a hit, the secret hashes its HEAD version holds. A whole-history scan has read
 * every HEAD blob already; with --range/--since they may not have been, so those few are read now.
 */
async function hashesAtHead(ctx: ConnectorContext, gitDir: string, headFiles: Map<string, string>, found: Map<string, CachedBlob>, cache: BlobCache, settings: ScanSettings, notes: Notes, wholeHistory: boolean): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  const toRead: BlobRequest<string>[] = [];
  const paths = new Set<string>();
  for (const entry of found.values()) paths.add(entry.attribution?.path ?? entry.path);
  for (const path of paths) {
    const oid = headFiles.get(path);
    if (!oid) continue;
    const known = found.get(oid) ?? cache.hits.get(oid);
    if (known) result.set(path, new Set(known.hits.map((h) => h.hash)));
    // A whole-history scan read every HEAD blob (this run or a cached one): not found means clean.
    else if (!wholeHistory && !cache.scanned.has(oid)) toRead.push({ oid, tag: path });
  }
  if (!toRead.length) return result;
  const outcomes = new Map<number, string>();
  const hitsByKey = new Map<number, Set<string>>();
  const pool = new GitScanPool({ gitDir, maxSize: settings.maxFileSize, threads: Math.min(2, settings.threads ?? 2), allowlist: settings.allowlist }, (k, r) => {
    if (r.outcome === 'scanned') hitsByKey.set(k, new Set(r.hits.map((h) => h.hash)));
  });
  try {
    for (const request of toRead) outcomes.set(await pool.addBlob(request.oid, request.tag), request.tag);
    await pool.close();
  } catch (error) {
    await pool.destroy();
    notes.error('HEAD', `cannot read HEAD files to check presence: ${(error as Error).message}`);
  }
  for (const [k, path] of outcomes) result.set(path, hitsByKey.get(k) ?? new Set());
  ctx.progress(`checked ${outcomes.size} files at HEAD`);
  return result;
}
