/**
 * A blob whose path hid a secret (a lock file, an allowlisted or vendored path: path-judging.ts) is
 * judged by the other paths it had as well: one `git log` pass over the selection, filtered to these
 * blobs, lists every path a commit writes each at, and each is read and scanned again at the paths it
 * was not scanned at. The hits any path finds are kept; the finding is still reported where the blob
 * was introduced (attribution). The pass runs only when such blobs exist (none in redis's, git/git's or
 * the synthetic history).
 */
import type { ConnectorContext } from '../../src/plugin.js';
import type { RedactedHit } from '../../src/secret-scan/redacted-hit.js';
import type { Notes } from '../../src/secret-scan/notes.js';
import type { ScanSettings } from '../../src/secret-scan/settings.js';
import type { WorkResult } from '../../src/secret-scan/worker.js';
import { pathsWriting } from './attribute.js';
import type { BlobCache, CachedBlob } from './cache.js';
import type { RevSelection } from './enumerate.js';
import { GitScanPool } from './git-scan-pool.js';
import { placeOf } from './path-judging.js';

export interface BlobAtPath {
  oid: string;
  path: string;
}

/** Reads and scans each blob at the given path (a few: a handful of workers' `git cat-file`); results in the requests' order. */
export async function scanBlobsAt(gitDir: string, requests: BlobAtPath[], settings: ScanSettings): Promise<Array<WorkResult | undefined>> {
  const byKey = new Map<number, WorkResult>();
  const pool = new GitScanPool({ gitDir, maxSize: settings.maxFileSize, threads: Math.min(2, settings.threads ?? 2), allowlist: settings.allowlist }, (k, r) =>
    byKey.set(k, r),
  );
  const keys: number[] = [];
  try {
    for (const request of requests) keys.push(await pool.addBlob(request.oid, request.path));
    await pool.close();
  } catch (error) {
    await pool.destroy();
    throw error;
  }
  return keys.map((k) => byKey.get(k));
}

/** Adds to `found` (and the cache) the hits the blobs in `hidden` (blob → the path it was scanned at) hold at their other paths. */
export async function judgeByOtherPaths(
  ctx: ConnectorContext,
  gitDir: string,
  selection: RevSelection,
  hidden: Map<string, string>,
  found: Map<string, CachedBlob>,
  cache: BlobCache,
  settings: ScanSettings,
  notes: Notes,
): Promise<void> {
  if (!hidden.size) return;
  ctx.progress(`judging ${hidden.size} blobs by the other paths they had`);
  try {
    const paths = await pathsWriting(gitDir, new Set(hidden.keys()), selection, ctx.signal);
    for (const [oid, scannedAt] of hidden)
      ctx.log.debug(`${ctx.source.spec}: blob ${oid.slice(0, 12)} at ${scannedAt} hides a secret; other paths: ${(paths.get(oid) ?? []).join(', ')}`);
    const requests = [...hidden].flatMap(([oid, scannedAt]) => (paths.get(oid) ?? []).filter((path) => path !== scannedAt).map((path) => ({ oid, path })));
    if (!requests.length) return;
    const results = await scanBlobsAt(gitDir, requests, settings);
    requests.forEach(({ oid }, i) => addHits(oid, hidden.get(oid)!, results[i]?.hits ?? [], found, cache));
  } catch (error) {
    notes.error('paths', `cannot judge ${hidden.size} blobs by the other paths they had: ${(error as Error).message}`);
  }
}

/** The hits a blob holds at another path, added to those it has (one per secret and place in the file). */
function addHits(oid: string, scannedAt: string, hits: RedactedHit[], found: Map<string, CachedBlob>, cache: BlobCache): void {
  if (!hits.length) return;
  const entry = found.get(oid) ?? { path: scannedAt, hits: [] };
  const known = new Set(entry.hits.map(placeOf));
  for (const hit of hits) {
    if (known.has(placeOf(hit))) continue;
    entry.hits.push(hit);
    known.add(placeOf(hit));
  }
  found.set(oid, entry);
  cache.hits.set(oid, entry);
}
