/**
 * The built-in `git` plugin: its connector(s), importers, enrichers and rules.
 * Placeholder until the git connector lands: the source form fails with a clear "not yet supported" error.
 */
import { definePlugin } from '../../src/plugin.js';
import { notYetSupported } from '../../src/not-supported.js';

export const gitPlugin = definePlugin({
  name: 'nhiscan:git',
  connectors: [notYetSupported('git')],
});
