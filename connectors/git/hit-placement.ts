/**
 * Where each hit of a blob is reported. A blob is one content that may have had many paths, and some
 * rules read the path to drop a hit (a lock file, an allowlisted fixture, a code file's unquoted value:
 * path-judging.ts) or to grade it (a test path lowers severity). A hit is reported at the first commit,
 * oldest first, that writes the blob at a path that shows it, with that path's grade: its introducing
 * commit and path (attribution) when that path shows it, which is every hit of almost every blob.
 *
 * Two kinds of blobs are read again for it, a few at most:
 * - a blob judged by its other paths (its scanned path hid a secret: other-paths.ts), whose paths are
 *   known with the first commit writing each;
 * - a blob with hits scanned at another path than the one its introducing commit wrote (rev-list's
 *   listing scans a moved file's newest path): read again at the introducing path; when that path does
 *   not show every hit the other did, the blob is judged by every path it had (one filtered `git log`
 *   pass for those blobs).
 * After a whole history's listing in commit order, a blob is scanned at its introducing path, so neither
 * happens unless a path hid a secret (on redis, git/git and the synthetic history: never).
 */
import type { ConnectorContext } from '../../src/plugin.js';
import type { Notes } from '../../src/secret-scan/notes.js';
import type { RedactedHit } from '../../src/secret-scan/redacted-hit.js';
import type { ScanSettings } from '../../src/secret-scan/settings.js';
import type { WorkResult } from '../../src/secret-scan/worker.js';
import type { Attribution } from './attribute.js';
import type { CachedBlob } from './cache.js';
import type { RevSelection } from './enumerate.js';
import { judgeByPaths, noteUnread, scanBlobsAt, type Judged } from './other-paths.js';
import { placeOf } from './path-judging.js';

/** The attribution (or, for a hit its introducing path hides, the placement) a hit is reported at. */
export function reportedAt(entry: CachedBlob, hit: RedactedHit): Attribution | undefined {
  return entry.placedAt?.[placeOf(hit)] ?? entry.attribution;
}

/** The path a hit is reported at. */
export const reportedPath = (entry: CachedBlob, hit: RedactedHit): string => reportedAt(entry, hit)?.path ?? entry.path;

/**
 * Places the hits of the blobs attributed in this run (`attributed`) and of the blobs judged by their
 * other paths (`judged`, which this adds to).
 */
export async function placeHits(
  ctx: ConnectorContext,
  gitDir: string,
  selection: RevSelection,
  found: Map<string, CachedBlob>,
  attributed: Map<string, Attribution>,
  judged: Map<string, Judged>,
  settings: ScanSettings,
  notes: Notes,
): Promise<void> {
  const unshown = await readAtIntroducingPaths(ctx, gitDir, found, attributed, judged, settings, notes);
  if (unshown.size) for (const [oid, judgment] of await judgeByPaths(ctx, gitDir, selection, unshown, settings, notes)) judged.set(oid, judgment);
  for (const [oid, judgment] of judged) {
    const entry = found.get(oid);
    if (entry) place(entry, judgment);
  }
}

/**
 * Reads again, at its introducing path, each blob attributed to another path than it was scanned at.
 * When that path shows every hit, it gives them their grade; else the blob is returned (with the hits
 * each path read shows) to be judged by every path it had.
 */
async function readAtIntroducingPaths(
  ctx: ConnectorContext,
  gitDir: string,
  found: Map<string, CachedBlob>,
  attributed: Map<string, Attribution>,
  judged: Map<string, Judged>,
  settings: ScanSettings,
  notes: Notes,
): Promise<Map<string, Map<string, RedactedHit[]>>> {
  const unshown = new Map<string, Map<string, RedactedHit[]>>();
  const moved = [...attributed].flatMap(([oid, { path }]) => (!judged.has(oid) && found.get(oid)!.path !== path ? [{ oid, path }] : []));
  if (!moved.length) return unshown;
  ctx.progress(`reading ${moved.length} blobs again at the paths that introduced them`);
  const results = await scanBlobsAt(gitDir, moved, settings).catch((error: Error) => {
    notes.error('paths', `cannot read ${moved.length} blobs at the paths that introduced them: ${error.message}`);
    return [];
  });
  // A blob not read again keeps the scanned path's judgement and place, which may be a path that hides its hits: say so.
  const unread: Array<WorkResult | undefined> = [];
  moved.forEach(({ oid, path }, i) => {
    const result = results[i];
    if (result?.outcome !== 'scanned') {
      if (result) unread.push(result); // no result: the whole read failed, noted above
      return;
    }
    const entry = found.get(oid)!;
    const shown = new Set(result.hits.map(placeOf));
    if (entry.hits.every((hit) => shown.has(placeOf(hit)))) entry.hits = result.hits;
    else
      unshown.set(
        oid,
        new Map([
          [entry.path, [...entry.hits]],
          [path, result.hits],
        ]),
      );
  });
  noteUnread(notes, unread, 'again at the paths that introduced them');
  return unshown;
}

/**
 * Each hit of a judged blob at the first place that shows it: its introducing path, else the first
 * path a commit wrote it at (`placedAt`), with the hit as that path judged it. Places an earlier run
 * reported stay; a hit shown only at a path no commit of the selection writes (a blob reached only
 * through a tag) stays with the blob's attribution.
 */
function place(entry: CachedBlob, judgment: Judged): void {
  const kept = entry.hits.filter((hit) => judgment.placed.has(placeOf(hit)));
  const hits = [...kept];
  const places = new Set(kept.map(placeOf));
  const placedAt: Record<string, Attribution> = {};
  for (const hit of kept) if (entry.placedAt?.[placeOf(hit)]) placedAt[placeOf(hit)] = entry.placedAt[placeOf(hit)]!;
  const add = (hit: RedactedHit, at?: Attribution) => {
    if (places.has(placeOf(hit))) return;
    places.add(placeOf(hit));
    hits.push(hit);
    if (at) placedAt[placeOf(hit)] = at;
  };
  const introducing = entry.attribution && judgment.shown.get(entry.attribution.path);
  for (const hit of introducing ?? []) add(hit);
  for (const writer of judgment.writers) for (const hit of judgment.shown.get(writer.path) ?? []) add(hit, { ...writer.commit, path: writer.path });
  for (const shown of judgment.shown.values()) for (const hit of shown) add(hit);
  entry.hits = hits;
  if (Object.keys(placedAt).length) entry.placedAt = placedAt;
  else delete entry.placedAt;
}
