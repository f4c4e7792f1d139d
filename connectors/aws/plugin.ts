/**
 * The built-in `aws` plugin: its connector(s), importers, enrichers and rules.
 * Placeholder until the aws connector lands: the source form fails with a clear "not yet supported" error.
 */
import { definePlugin } from '../../src/plugin.js';
import { notYetSupported } from '../../src/not-supported.js';

export const awsPlugin = definePlugin({
  name: 'nhiscan:aws',
  connectors: [notYetSupported('aws')],
});
