/**
 * The built-in `github` plugin: the `github:ORG` connector, the snapshot importer and the GitHub rules.
 */
import { definePlugin } from '../../src/plugin.js';
import { githubRules } from '../../rules/github/index.js';
import { githubConnector } from './connector.js';
import { githubSnapshotImporter } from './importer.js';

export const githubPlugin = definePlugin({
  name: 'nhiscan:github',
  connectors: [githubConnector],
  importers: [githubSnapshotImporter],
  rules: githubRules,
});
