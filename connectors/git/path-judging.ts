/**
 * A blob is one content that may have had many paths over a history, and some detection rules read the
 * path. Some skip by it: a path allowlist skips the file, a detector's `excludePaths` (the generic
 * detectors' lock files) skips that detector, and vendored and bundled code skip the generic detectors.
 * Others read it as context for a value found: a test path lowers confidence, a code file needs a
 * generic value quoted, a very long line of a script is minified code. The scan judges a blob by the path
 * it is listed at (in a whole history's first scan, the path of the first commit that holds it, which is
 * where its finding is reported). Where a rule of the first kind applies to that path, the worker also
 * scans the same content with no path: a secret found there and not at the path marks the result
 * `hiddenByPath`, and the main thread then judges the blob by every other path it had (other-paths.ts),
 * so a secret first committed in a lock file or an allowlisted fixture and later moved to a live path is
 * found, and the reverse as well. Rules of the second kind judge the blob at the path it is reported at.
 */
import { detectors, pathAllowlisted, pluginDetectors, type Allowlist } from '../../src/secrets/index.js';
import { isBundledPath, isVendoredPath } from '../../src/secrets/paths.js';
import type { WorkResult } from '../../src/secret-scan/worker.js';
import type { Scanned, WorkerHost } from '../../src/secret-scan/worker-source.js';

/** A worker's result, marked when its path hid a secret that the same content holds under no path. */
export type JudgedResult = WorkResult & { hiddenByPath?: true };

/** Whether a rule skips this file, or some detector in it, by its path: every such rule is listed here. */
function pathMayHide(path: string, allowlist: Allowlist | undefined, excluded: RegExp[]): boolean {
  return pathAllowlisted(path, allowlist) || excluded.some((re) => re.test(path)) || isVendoredPath(path) || isBundledPath(path);
}

/** The paths every detector in use skips (`excludePaths`), built-in and plugin. */
function excludedPaths(): RegExp[] {
  const all = [...detectors, ...pluginDetectors()].flatMap((d) => (d.excludePaths ? [d.excludePaths] : []));
  return [...new Map(all.map((re) => [re.source + re.flags, re])).values()];
}

const MAX_REMEMBERED_PATHS = 65_536;

/** The worker host, with each scan of a path that may hide a hit checked against a scan of the content alone. */
export function judgingPaths(host: WorkerHost): WorkerHost {
  const mayHide = new Map<string, boolean>();
  let excluded: RegExp[] | undefined;
  const hides = (path: string): boolean => {
    let known = mayHide.get(path);
    if (known !== undefined) return known;
    known = path !== '' && pathMayHide(path, host.allowlist, (excluded ??= excludedPaths()));
    if (mayHide.size < MAX_REMEMBERED_PATHS) mayHide.set(path, known); // a history's versions of a file share its path
    return known;
  };
  return {
    allowlist: host.allowlist,
    reply: (reply) => host.reply(reply),
    scanContent(key, path, content, maxSize, known): Scanned {
      const scanned = host.scanContent(key, path, content, maxSize, known);
      if (scanned.result.outcome !== 'scanned' || !hides(path)) return scanned;
      const alone = host.scanContent(key, '', content, maxSize, scanned.keywordHits ?? known);
      const atPath = new Set(scanned.result.hits.map((hit) => hit.hash));
      if (alone.result.hits.some((hit) => !atPath.has(hit.hash))) (scanned.result as JudgedResult).hiddenByPath = true;
      return scanned;
    },
  };
}
