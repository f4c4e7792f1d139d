/**
 * The built-in `github` plugin: the `github:ORG` connector, the snapshot importer and the GitHub rules.
 */
import { definePlugin } from '../../src/plugin.js';
import { githubRules } from '../../rules/github/index.js';
import { lazyConnector } from '../../src/lazy-connector.js';
import { githubConnectorMeta } from './meta.js';
import { githubSnapshotImporter } from './importer.js';

export const githubPlugin = definePlugin({
  name: 'nhiscan:github',
  // The connector (collection, normalisation, history scanning) loads when a github: source runs.
  connectors: [lazyConnector(githubConnectorMeta, async () => (await import('./connector.js')).githubConnector)],
  importers: [githubSnapshotImporter],
  rules: githubRules,
});
