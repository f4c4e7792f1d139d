/**
 * A blob is one content that may have had many paths over a history, and some detection rules read the
 * path: a path allowlist skips the file, a detector's `excludePaths` (the generic detectors' lock files)
 * skips that detector, vendored and bundled code and the minified lines of a script skip the generic
 * detectors, and the generic validator rejects an unquoted value in a code file. The scan judges a blob
 * by the path it is listed at (in a whole history's first scan, the path of the first commit that holds
 * it; else the newest). The engine says when such a rule dropped a candidate (`droppedByPath`); only then
 * does the worker scan the same content again with no path: a hit found there and not at the path (the
 * same secret at the same line and column) marks the result `hiddenByPath`, and the main thread then
 * judges the blob by every other path it had (other-paths.ts). So every listing finds what any path of
 * the blob shows, and a blob no rule touched costs nothing more. Where each hit is reported, and graded
 * (a test path lowers confidence), is the first path that shows it (hit-placement.ts).
 */
import type { RedactedHit } from '../../src/secret-scan/redacted-hit.js';
import type { WorkResult } from '../../src/secret-scan/worker.js';
import type { Scanned, WorkerHost } from '../../src/secret-scan/worker-source.js';

/** A worker's result, marked when its path hid a secret that the same content holds under no path. */
export type JudgedResult = WorkResult & { hiddenByPath?: true };

/** One hit's secret and place in the file: a secret found at another line counts as another hit. */
export const placeOf = (hit: Pick<RedactedHit, 'hash' | 'line' | 'column'>): string => `${hit.hash} ${hit.line} ${hit.column}`;

/** The worker host, with each scan from which a path rule dropped a candidate checked against a scan of the content alone. */
export function judgingPaths(host: WorkerHost): WorkerHost {
  return {
    allowlist: host.allowlist,
    reply: (reply) => host.reply(reply),
    scanContent(key, path, content, maxSize, known): Scanned {
      const scanned = host.scanContent(key, path, content, maxSize, known);
      if (scanned.result.outcome !== 'scanned' || !scanned.droppedByPath || path === '') return scanned;
      const alone = host.scanContent(key, '', content, maxSize, scanned.keywordHits ?? known);
      const atPath = new Set(scanned.result.hits.map(placeOf));
      if (alone.result.hits.some((hit) => !atPath.has(placeOf(hit)))) (scanned.result as JudgedResult).hiddenByPath = true;
      return scanned;
    },
  };
}
