/**
 * The built-in `dir` plugin: its connector(s), importers, enrichers and rules.
 * Placeholder until the dir connector lands: the source form fails with a clear "not yet supported" error.
 */
import { definePlugin } from '../../src/plugin.js';
import { notYetSupported } from '../../src/not-supported.js';

export const dirPlugin = definePlugin({
  name: 'nhiscan:dir',
  connectors: [notYetSupported('dir')],
});
