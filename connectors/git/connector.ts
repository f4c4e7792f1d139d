/**
 * The `git:` source: every blob of the whole history of all refs (or of `--range` / `--since`), read
 * once through `git cat-file --batch`, scanned in worker threads, and attributed to the commit that
 * introduced it. See docs/git.md.
 */
import { resolve } from 'node:path';
import type { CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
import type { Location } from '../../src/model/index.js';
import { detectorSetVersionInUse } from '../../src/secrets/index.js';
import { attributeBlobs, confirmFirstHolders, type Attribution } from './attribute.js';
import type { Introductions } from './introductions.js';
import { BlobScan } from './blob-scan.js';
import { cacheKey, defaultCacheDir, emptyCache, loadCache, saveCache, type BlobCache, type CachedBlob } from './cache.js';
import { validateRevision, type RevSelection } from './enumerate.js';
import { Notes } from '../../src/secret-scan/notes.js';
import { runGit } from './git-process.js';
import { boundaryCommitsReached, checkRevisions, FETCH_HISTORY_HINT, shallowBoundary } from './shallow.js';
import { cloneAuthOf } from '../../src/clone-auth.js';
import { headTree, refTips, resolveRepository } from './repository.js';
import { judgeByOtherPaths, scanBlobsAt } from './other-paths.js';
import { placeHits, reportedAt, reportedPath } from './hit-placement.js';
import { placeOf } from './path-judging.js';
import type { RedactedHit } from '../../src/secret-scan/redacted-hit.js';
import { secretCredentials, type LocatedHit } from '../../src/secret-scan/secret-inventory.js';
import { verifyLeakedSecrets } from '../../src/secret-scan/verify.js';
import { readSettings, type ScanSettings } from '../../src/secret-scan/settings.js';
import { gitConnectorMeta } from './meta.js';

function stringOption(ctx: ConnectorContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export const gitConnector: Connector = { ...gitConnectorMeta, collect: collectGit };

export async function collectGit(ctx: ConnectorContext): Promise<CollectResult> {
  const settings = readSettings(ctx, 'git');
  const range = stringOption(ctx, 'range');
  const since = stringOption(ctx, 'since');
  if (range && since) throw new Error('--range and --since cannot be combined');
  if (range) validateRevision(range);
  if (since) validateRevision(since);

  const repo = await resolveRepository(ctx.source.target, ctx.baseDir, cloneAuthOf(ctx));
  try {
    await checkRevisions(repo.gitDir, { range, since }, await shallowBoundary(repo.gitDir));
    const result = await scanRepository(ctx, repo.gitDir, repo.name, { range, since, isTemporary: repo.isUrl }, settings);
    // A local repository's paths are relative to its root; a URL's clone is not a checkout of anything here.
    return repo.isUrl ? result : { ...result, repositoryPrefix: '' };
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
  const notes = new Notes();
  const partial = Boolean(plan.range || plan.since);
  const store = openCache(ctx, gitDir, plan.isTemporary, settings);
  const tipsNow = await refTips(gitDir);
  const selection = await selectionFor(gitDir, plan, store.cache.tips);
  const shallowCut = await boundaryCommitsReached(gitDir, selection, await shallowBoundary(gitDir));
  if (shallowCut)
    notes.skipped(
      `history behind ${shallowCut} shallow-clone boundary commit(s)`,
      `the repository is a shallow clone: older commits are not in it, so their content was not scanned; ${FETCH_HISTORY_HINT}`,
    );
  const { stats, found, hiddenByPath, firstHolders } = await new BlobScan(ctx, gitDir, selection, settings, store.cache, store.useCache, notes).run();
  // An incremental scan judges the blobs earlier runs found hidden too, by the paths its new commits write
  // them at: a commit that only moves one (to a live path) lists no new blob.
  const hidden = new Map(selection.exclude?.length ? [...store.cache.hidden, ...hiddenByPath] : hiddenByPath);
  const judged = await judgeByOtherPaths(ctx, gitDir, selection, hidden, found, store.cache, settings, notes);
  for (const [oid, path] of hiddenByPath) store.cache.hidden.set(oid, path);

  const attributed = await attributionsOf(ctx, gitDir, selection, found, firstHolders, notes);
  for (const [oid, attribution] of attributed) found.get(oid)!.attribution = attribution;
  await placeHits(ctx, gitDir, selection, found, attributed, judged, settings, notes);
  // An incremental run reports earlier findings too: every cached blob with hits still in the repository.
  if (selection.exclude?.length) for (const [oid, entry] of await earlierFindings(gitDir, store.cache, found)) found.set(oid, entry);

  // Presence at HEAD: the file at the location's path in HEAD still holds the same secret.
  const head = await headTree(gitDir);
  stats.submodules = head.gitlinks.length;
  for (const path of head.gitlinks.slice(0, 20))
    notes.skipped(`submodule:${path}`, 'submodule (gitlink): its repository is not part of this one; scan it as its own git: source');
  const headHashes = await hashesAtHead(ctx, gitDir, head.files, found, store.cache, settings, notes, !partial);

  const where = { source: ctx.source.spec, repository: repoName };
  const primary = locateHits(where.source, where.repository, found, headHashes);
  const located = [...primary, ...(await copiesAtHead(gitDir, head.files, found, primary, settings, notes, where))];
  const credentials = secretCredentials(located, ctx.source.spec);
  stats.hits = located.length;
  stats.secrets = credentials.length;
  if (settings.verify) {
    ctx.progress('verifying credentials with their providers (--verify)');
    const verified = await verifyLeakedSecrets(
      credentials,
      (credential) => readBlobWith(gitDir, found, credential.secret!.hash),
      settings.verify,
      settings.allowlist,
    );
    Object.assign(stats, { verified: verified.checked, verifiedLive: verified.live });
  }
  // Tips advance only when every blob of the walk was read: a blob that failed or was missing (a
  // partial clone, a lost object) must be walked again, so the rescan stays partial until it is read.
  // Nor in a shallow clone: the history fetched later lies behind today's tips and would be excluded.
  const complete = !partial && !shallowCut && stats.unreadableBlobs === 0 && stats.missingBlobs === 0 && !stats.missingTrees;
  if (store.useCache) persistCache(store, complete ? tipsNow : undefined, gitDir, notes);
  // The history a range leaves out is not covered: a secret gone from this scan may still be there, never "resolved".
  if (partial)
    notes.skipped(
      'history',
      `only ${plan.range ? `the range ${plan.range}` : `what the refs add after ${plan.since}`} was scanned; earlier history is out of range`,
    );
  notes.finish();
  const status = notes.errors.length || shallowCut ? 'partial' : 'ok';
  return { identities: [], credentials, status, errors: notes.errors, notCovered: notes.notCovered, stats };
}

interface CacheStore {
  cache: BlobCache;
  cacheDir: string;
  useCache: boolean;
}

/** The blob cache of this repository and these settings, or an empty one (no cache, a temporary clone, a rejected file). */
function openCache(ctx: ConnectorContext, gitDir: string, isTemporary: boolean, settings: ScanSettings): CacheStore {
  const detectorSet = detectorSetVersionInUse(); // built-in and plugin detectors
  const key = cacheKey(detectorSet, { allowlist: settings.allowlist, maxFileSize: settings.maxFileSize });
  const cacheDir = settings.cacheDir ? resolve(ctx.baseDir, settings.cacheDir) : defaultCacheDir(gitDir);
  const useCache = settings.cache && (!isTemporary || Boolean(settings.cacheDir));
  const loaded = useCache ? loadCache(cacheDir, gitDir, key, detectorSet) : undefined;
  if (loaded?.rejected) ctx.log.warn(`${ctx.source.spec}: ${loaded.rejected}`);
  return { cache: loaded?.cache ?? emptyCache(key, detectorSet), cacheDir, useCache };
}

/** What to walk: the range or since, else the whole history minus the commits cached tips already cover (incremental). */
async function selectionFor(gitDir: string, plan: ScanPlan, cachedTips: string[]): Promise<RevSelection> {
  if (plan.range) return { range: plan.range };
  if (plan.since) return { since: plan.since };
  return cachedTips.length ? { exclude: await existingCommits(gitDir, cachedTips) } : {};
}

/**
 * Introducing commits of the blobs with hits that no earlier run attributed: the in-commit-order
 * listing's first holders, once confirmed, else looked up now for these blobs only by whole passes.
 */
async function attributionsOf(
  ctx: ConnectorContext,
  gitDir: string,
  selection: RevSelection,
  found: Map<string, CachedBlob>,
  firstHolders: Introductions | undefined,
  notes: Notes,
): Promise<Map<string, Attribution>> {
  const result = new Map<string, Attribution>();
  const unattributed = new Set([...found].filter(([, entry]) => !entry.attribution).map(([oid]) => oid));
  if (!unattributed.size) return result;
  for (const [oid, attribution] of await confirmedFirstHolders(gitDir, firstHolders, unattributed, ctx.signal)) {
    result.set(oid, attribution);
    unattributed.delete(oid);
  }
  if (!unattributed.size) return result;
  ctx.progress(`attributing ${unattributed.size} blobs to commits`);
  try {
    for (const [oid, attribution] of await attributeBlobs(gitDir, unattributed, selection, ctx.signal)) result.set(oid, attribution);
  } catch (error) {
    notes.error('attribution', `cannot tell which commits introduced ${unattributed.size} blobs: ${(error as Error).message}`);
  }
  return result;
}

/** The first holders of these blobs that are their introducing commits (a failed check leaves them to the whole passes). */
async function confirmedFirstHolders(
  gitDir: string,
  firstHolders: Introductions | undefined,
  oids: Set<string>,
  signal: AbortSignal,
): Promise<Map<string, Attribution>> {
  if (!firstHolders) return new Map();
  const holders = new Map<string, string>();
  for (const oid of oids) {
    const holder = firstHolders.of(oid);
    if (holder) holders.set(oid, holder.commit);
  }
  return confirmFirstHolders(gitDir, holders, signal).catch(() => new Map<string, Attribution>());
}

/** Cached blobs with hits that this run did not reach and that are still in the repository. */
async function earlierFindings(gitDir: string, cache: BlobCache, found: Map<string, CachedBlob>): Promise<Map<string, CachedBlob>> {
  const cachedOids = [...cache.hits.keys()].filter((oid) => !found.has(oid));
  return new Map((await existingObjects(gitDir, cachedOids)).map((oid) => [oid, cache.hits.get(oid)!]));
}

/** One located hit per hit of every blob found, at its introducing commit when known. */
/** The content of a blob holding the secret with this hash (for --verify, which needs the value back). */
async function readBlobWith(gitDir: string, found: Map<string, CachedBlob>, hash: string): Promise<string | undefined> {
  for (const [oid, entry] of found) {
    if (!entry.hits.some((h) => h.hash === hash)) continue;
    const { stdout, code } = await runGit(gitDir, ['cat-file', 'blob', oid], { allowFail: true });
    return code === 0 ? stdout : undefined;
  }
  return undefined;
}

/**
 * A blob with secrets that HEAD also holds at other paths than those its hits are reported at (a copied
 * or moved file): every such place is listed, with the hits that path shows. Each copy is read again at
 * its path (a few blobs), since a path's rules may skip a hit another path shows (an allowlisted
 * fixture, a lock file). A path where the secret is reported already (`primary`) gets no copy of it.
 */
async function copiesAtHead(
  gitDir: string,
  headFiles: Map<string, string>,
  found: Map<string, CachedBlob>,
  primary: LocatedHit[],
  settings: ScanSettings,
  notes: Notes,
  where: { source: string; repository: string },
): Promise<LocatedHit[]> {
  const reported = new Set(primary.map(({ hit, location }) => `${location.path}\0${hit.hash}`));
  const unreported = (path: string, hit: RedactedHit) => !reported.has(`${path}\0${hit.hash}`);
  const copies = [...headFiles].flatMap(([path, oid]) => (found.get(oid)?.hits.some((hit) => unreported(path, hit)) ? [{ oid, path }] : []));
  if (!copies.length) return [];
  const shown = await scanBlobsAt(gitDir, copies, settings).catch((error: Error) => {
    notes.error('HEAD', `cannot read the copies of ${copies.length} files at HEAD: ${error.message}`);
    return [];
  });
  return copies.flatMap(({ oid, path }, i) => {
    const result = shown[i];
    const content = found.get(oid)!.hits;
    // The copy's own hits, graded at its path; a copy not read again (an error, a missing blob) keeps every hit of its content.
    const known = new Set(content.map(placeOf));
    const own = result?.outcome === 'scanned' ? result.hits.filter((hit) => known.has(placeOf(hit))) : content;
    const hits = own.filter((hit) => unreported(path, hit));
    return hits.map((hit) => ({ hit, location: { ...where, path, line: hit.line, column: hit.column, presentAtHead: true } }));
  });
}

function locateHits(source: string, repository: string, found: Map<string, CachedBlob>, headHashes: Map<string, Set<string>>): LocatedHit[] {
  const located: LocatedHit[] = [];
  for (const entry of found.values()) {
    for (const hit of entry.hits) {
      const attribution: Partial<Attribution> = reportedAt(entry, hit) ?? {};
      const path = attribution.path ?? entry.path;
      const location: Location = { source, repository, path, line: hit.line, column: hit.column };
      if (attribution.commit) {
        location.commit = attribution.commit;
        location.author = attribution.author;
        location.authorEmail = attribution.authorEmail;
        location.date = attribution.date;
      }
      location.presentAtHead = headHashes.get(path)?.has(hit.hash) ?? false;
      located.push({ hit, location });
    }
  }
  return located;
}

/** Saves the cache, with the tips its history now covers when the walk was complete; a failure costs only a full next scan. */
function persistCache(store: CacheStore, tips: string[] | undefined, gitDir: string, notes: Notes): void {
  if (tips) store.cache.tips = tips;
  try {
    saveCache(store.cacheDir, gitDir, store.cache);
  } catch (error) {
    notes.skipped('cache', `cannot write the blob cache in ${store.cacheDir}: ${(error as Error).message}; the next scan reads everything again`);
  }
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
async function hashesAtHead(
  ctx: ConnectorContext,
  gitDir: string,
  headFiles: Map<string, string>,
  found: Map<string, CachedBlob>,
  cache: BlobCache,
  settings: ScanSettings,
  notes: Notes,
  wholeHistory: boolean,
): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  const toRead: Array<{ oid: string; path: string }> = [];
  const paths = new Set<string>();
  for (const entry of found.values()) for (const hit of entry.hits) paths.add(reportedPath(entry, hit));
  for (const path of paths) {
    const oid = headFiles.get(path);
    if (!oid) continue;
    const known = found.get(oid) ?? cache.hits.get(oid);
    if (known) result.set(path, new Set(known.hits.map((h) => h.hash)));
    // A whole-history scan read every HEAD blob (this run or a cached one): not found means clean.
    else if (!wholeHistory && !cache.scanned.has(oid)) toRead.push({ oid, path });
  }
  if (!toRead.length) return result;
  try {
    const results = await scanBlobsAt(gitDir, toRead, settings);
    toRead.forEach(({ path }, i) => result.set(path, new Set(results[i]?.outcome === 'scanned' ? results[i]!.hits.map((h) => h.hash) : [])));
  } catch (error) {
    notes.error('HEAD', `cannot read HEAD files to check presence: ${(error as Error).message}`);
  }
  ctx.progress(`checked ${toRead.length} files at HEAD`);
  return result;
}
