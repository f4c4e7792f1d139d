/**
 * `import:FILE` with a GitHub organisation snapshot (`{"nhiscanSnapshot":"github", ...}`), as recorded by
 * `--github-snapshot-out` or written by hand (the sample estate): scanned offline through the same normaliser.
 */
import type { Importer } from '../../src/plugin.js';
import { normaliseSnapshot } from './normalise.js';
import { isGithubSnapshot, stripAlertSecret, stripHookSecret } from './snapshot.js';

export const githubSnapshotImporter: Importer = {
  id: 'github-snapshot',
  description: 'a GitHub organisation snapshot (nhiscanSnapshot: "github")',
  detect({ parsed }) {
    return isGithubSnapshot(parsed);
  },
  read({ parsed }, ctx) {
    if (!isGithubSnapshot(parsed)) throw new Error('not a GitHub organisation snapshot');
    // A hand-made or foreign file may carry what the collector would have stripped: strip it here too.
    const snapshot = {
      ...parsed,
      notCovered: Array.isArray(parsed.notCovered) ? parsed.notCovered : [],
      secretScanningAlerts: parsed.secretScanningAlerts?.map(stripAlertSecret),
      orgHooks: parsed.orgHooks?.map(stripHookSecret),
      repos: parsed.repos.map((r) => ({ ...r, hooks: r.hooks?.map(stripHookSecret) })),
    };
    return normaliseSnapshot(snapshot, ctx.source.spec);
  },
};
