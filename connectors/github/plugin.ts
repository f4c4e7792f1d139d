/**
 * The built-in `github` plugin: its connector(s), importers, enrichers and rules.
 * Placeholder until the github connector lands: the source form fails with a clear "not yet supported" error.
 */
import { definePlugin } from '../../src/plugin.js';
import { notYetSupported } from '../../src/not-supported.js';

export const githubPlugin = definePlugin({
  name: 'nhiscan:github',
  connectors: [notYetSupported('github')],
});
