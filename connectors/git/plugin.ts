/**
 * The built-in `git` plugin: the `git:` source (whole-history secret scanning) and `staged:` (the index, for pre-commit). The secret rules that
 * judge what it finds are registered by core (src/core-plugin.ts), since they judge `dir:` findings too.
 */
import { definePlugin } from '../../src/plugin.js';
import { lazyConnector } from '../../src/lazy-connector.js';
import { gitConnectorMeta, stagedConnectorMeta } from './meta.js';

export const gitPlugin = definePlugin({
  name: 'nhiscan:git',
  // Each implementation loads when a source of its scheme runs: `staged:` in a pre-commit hook never loads the history scanner.
  connectors: [
    lazyConnector(gitConnectorMeta, async () => (await import('./connector.js')).gitConnector),
    lazyConnector(stagedConnectorMeta, async () => (await import('./staged.js')).stagedConnector),
  ],
});
