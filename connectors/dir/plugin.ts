/**
 * The built-in `dir` plugin: the `dir:` source (secrets in a working tree). The secret rules that judge
 * what it finds are registered by core (src/core-plugin.ts).
 */
import { definePlugin } from '../../src/plugin.js';
import { dirConnector } from './connector.js';

export const dirPlugin = definePlugin({
  name: 'nhiscan:dir',
  connectors: [dirConnector],
});
