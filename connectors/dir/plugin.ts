/**
 * The built-in `dir` plugin: the `dir:` source (secrets in a working tree). The secret rules that judge
 * what it finds are registered by core (src/core-plugin.ts).
 */
import { definePlugin } from '../../src/plugin.js';
import { lazyConnector } from '../../src/lazy-connector.js';
import { dirConnectorMeta } from './meta.js';

export const dirPlugin = definePlugin({
  name: 'nhiscan:dir',
  connectors: [lazyConnector(dirConnectorMeta, async () => (await import('./connector.js')).dirConnector)],
});
