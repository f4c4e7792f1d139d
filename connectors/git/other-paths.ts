/**
 * A blob whose path hid a secret (a lock file, an allowlisted or vendored path: path-judging.ts) is
 * judged by the other paths it had as well: one `git log` pass over the selection, filtered to these
 * blobs, lists every path a commit writes each at (with the first commit that writes it there), and each
 * is read and scanned again at the paths it was not scanned at. The hits any path finds are kept, and
 * what each path shows decides where each hit is reported (hit-placement.ts). The pass runs only when
 * such blobs exist (none in redis's, git/git's or the synthetic history).
 */
import type { ConnectorContext } from '../../src/plugin.js';
import type { RedactedHit } from '../../src/secret-scan/redacted-hit.js';
import type { Notes } from '../../src/secret-scan/notes.js';
import type { ScanSettings } from '../../src/secret-scan/settings.js';
import type { WorkResult } from '../../src/secret-scan/worker.js';
import { pathsWriting, type Writer } from './attribute.js';
import type { BlobCache, CachedBlob } from './cache.js';
import type { RevSelection } from './enumerate.js';
import { GitScanPool } from './git-scan-pool.js';
import { placeOf } from './path-judging.js';

/** A blob judged by every path a commit of the selection wrote it at. */
export interface Judged {
  /** Each path with the first commit that writes the blob there, oldest first. */
  writers: Writer[];
  /** The hits each path shows (the paths read: the writers' and the one the blob was scanned at). */
  shown: Map<string, RedactedHit[]>;
  /** Places an earlier run (the cache) reported already: they stay where they were. */
  placed: Set<string>;
}

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

/**
 * Judges the blobs in `hidden` (blob → the path it was scanned at) by their other paths: adds to `found`
 * (and the cache) the hits they hold there, and returns what each path showed, for hit-placement.ts.
 */
export async function judgeByOtherPaths(
  ctx: ConnectorContext,
  gitDir: string,
  selection: RevSelection,
  hidden: Map<string, string>,
  found: Map<string, CachedBlob>,
  cache: BlobCache,
  settings: ScanSettings,
  notes: Notes,
): Promise<Map<string, Judged>> {
  if (!hidden.size) return new Map();
  ctx.progress(`judging ${hidden.size} blobs by the other paths they had`);
  // A blob scanned in this run shows its scan's hits at that path; one an earlier run judged (an
  // incremental scan) was read there then.
  const read = new Map([...hidden].map(([oid, scannedAt]) => [oid, new Map([[scannedAt, [...(found.get(oid)?.hits ?? [])]]])]));
  const judged = await judgeByPaths(ctx, gitDir, selection, read, settings, notes);
  for (const [oid, judgment] of judged) {
    const paths = judgment.writers.map((writer) => writer.path).join(', ');
    ctx.log.debug(`${ctx.source.spec}: blob ${oid.slice(0, 12)} at ${hidden.get(oid)} hides a secret; other paths: ${paths}`);
    const earlier = found.has(oid) ? undefined : cache.hits.get(oid);
    if (earlier) judgment.placed = new Set(earlier.hits.map(placeOf));
    const entry = found.get(oid) ?? (earlier ? { ...earlier, hits: [...earlier.hits] } : { path: hidden.get(oid)!, hits: [] });
    for (const hits of judgment.shown.values()) addHits(entry, hits);
    if (!entry.hits.length) continue;
    found.set(oid, entry);
    cache.hits.set(oid, entry);
  }
  return judged;
}

/**
 * Reads each blob at every path a commit of the selection writes it at and has not been read at yet
 * (`read`: blob → the hits each path already read shows). A failure is noted: the blobs keep the hits
 * of the paths already read.
 */
export async function judgeByPaths(
  ctx: ConnectorContext,
  gitDir: string,
  selection: RevSelection,
  read: Map<string, Map<string, RedactedHit[]>>,
  settings: ScanSettings,
  notes: Notes,
): Promise<Map<string, Judged>> {
  try {
    const writers = await pathsWriting(gitDir, new Set(read.keys()), selection, ctx.signal);
    const requests = [...read].flatMap(([oid, shown]) =>
      (writers.get(oid) ?? []).filter((writer) => !shown.has(writer.path)).map((writer) => ({ oid, path: writer.path })),
    );
    const results = requests.length ? await scanBlobsAt(gitDir, requests, settings) : [];
    // A path not read counts as showing nothing, so a hit only it shows would be lost: the source is partial.
    const unread: Array<WorkResult | undefined> = [];
    requests.forEach(({ oid, path }, i) => {
      const result = results[i];
      if (result?.outcome !== 'scanned') unread.push(result);
      read.get(oid)!.set(path, result?.outcome === 'scanned' ? result.hits : []);
    });
    noteUnread(notes, unread, 'at the other paths they had');
    return new Map([...read].map(([oid, shown]) => [oid, { writers: writers.get(oid) ?? [], shown, placed: new Set<string>() }]));
  } catch (error) {
    notes.error('paths', `cannot judge ${read.size} blobs by the other paths they had: ${(error as Error).message}`);
    return new Map();
  }
}

/** Notes the blobs that were not read again at a path (`where`), with the first reason given: the source is partial. */
export function noteUnread(notes: Notes, unread: Array<WorkResult | undefined>, where: string): void {
  if (unread.length) notes.error('paths', `cannot read ${unread.length} blobs ${where}: ${unread.find((r) => r?.error)?.error ?? 'not scanned'}`);
}

/** Adds the hits a blob holds at another path to those it has (one per secret and place in the file). */
function addHits(entry: CachedBlob, hits: RedactedHit[]): void {
  const known = new Set(entry.hits.map(placeOf));
  for (const hit of hits) {
    if (known.has(placeOf(hit))) continue;
    entry.hits.push(hit);
    known.add(placeOf(hit));
  }
}
