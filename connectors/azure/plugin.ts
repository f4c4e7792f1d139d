/**
 * The built-in `azure` plugin: its connector(s), importers, enrichers and rules.
 * Placeholder until the azure connector lands: the source form fails with a clear "not yet supported" error.
 */
import { definePlugin } from '../../src/plugin.js';
import { notYetSupported } from '../../src/not-supported.js';

export const azurePlugin = definePlugin({
  name: 'nhiscan:azure',
  connectors: [notYetSupported('azure')],
});
