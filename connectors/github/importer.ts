/**
 * `import:FILE` with a GitHub organisation snapshot (`{"nhiscanSnapshot":"github", ...}`), as recorded by
 * `--github-snapshot-out` or written by hand (the sample estate): scanned offline through the same normaliser.
 */
import type { Importer } from '../../src/plugin.js';
import { normaliseSnapshot } from './normalise.js';
import { basename } from 'node:path';
import { isGithubSnapshot, stripAlertSecret, stripHookSecret } from './snapshot.js';
import { checkGithubSnapshot } from './snapshot-check.js';

export const githubSnapshotImporter: Importer = {
  id: 'github-snapshot',
  description: 'a GitHub organisation snapshot (nhiscanSnapshot: "github")',
  detect({ parsed }) {
    return isGithubSnapshot(parsed);
  },
  read({ path, parsed }, ctx) {
    if (!isGithubSnapshot(parsed)) throw new Error('not a GitHub organisation snapshot');
    // Entries that do not fit are skipped and ambiguous values read the riskier way, each said in notCovered.
    const { snapshot: checked, notCovered } = checkGithubSnapshot(parsed, basename(path));
    // A hand-made or foreign file may carry what the collector would have stripped: strip it here too.
    const snapshot = {
      ...checked,
      secretScanningAlerts: checked.secretScanningAlerts?.map(stripAlertSecret),
      orgHooks: checked.orgHooks?.map(stripHookSecret),
      repos: checked.repos.map((r) => ({ ...r, hooks: r.hooks?.map(stripHookSecret) })),
    };
    const result = normaliseSnapshot(snapshot, ctx.source.spec);
    const all = [...(result.notCovered ?? []), ...notCovered];
    return { ...result, notCovered: all, status: all.length ? 'partial' : 'ok' };
  },
};
