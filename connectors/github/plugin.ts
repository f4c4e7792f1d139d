/**
 * The built-in `github` plugin: the `github:ORG` connector, the snapshot importer and the GitHub rules.
 */
import { definePlugin } from '../../src/plugin.js';
import { lazyConnector, lazyImporters, type DeferredAnalysis } from '../../src/lazy-connector.js';
import { githubConnectorMeta } from './meta.js';

export const githubPlugin = definePlugin({
  name: 'nhiscan:github',
  // The connector (collection, normalisation, history scanning) loads when a github: source runs.
  connectors: [lazyConnector(githubConnectorMeta, async () => (await import('./connector.js')).githubConnector)],
  // The snapshot importer loads when an import: source runs.
  importers: lazyImporters(['github-snapshot'], async () => [(await import('./importer.js')).githubSnapshotImporter]),
});

/** The rules: loaded when the inventory holds GitHub items (a leaked GitHub token is one). */
export const githubAnalysis: DeferredAnalysis = {
  providers: ['github'],
  load: async () => definePlugin({ name: 'nhiscan:github-analysis', rules: (await import('../../rules/github/index.js')).githubRules }),
};
