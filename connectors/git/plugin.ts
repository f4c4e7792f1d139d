/**
 * The built-in `git` plugin: the `git:` source (whole-history secret scanning) and `staged:` (the index, for pre-commit). The secret rules that
 * judge what it finds are registered by core (src/core-plugin.ts), since they judge `dir:` findings too.
 */
import { definePlugin } from '../../src/plugin.js';
import { gitConnector } from './connector.js';
import { stagedConnector } from './staged.js';

export const gitPlugin = definePlugin({
  name: 'nhiscan:git',
  connectors: [gitConnector, stagedConnector],
});
