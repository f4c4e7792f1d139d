/**
 * The built-in `git` plugin: the `git:` source (whole-history secret scanning) and the secret rules
 * (leaked-secret, secret-reuse), which also judge what `dir:` and other sources find.
 */
import { definePlugin } from '../../src/plugin.js';
import { secretsRules } from '../../rules/secrets/index.js';
import { gitConnector } from './connector.js';

export const gitPlugin = definePlugin({
  name: 'nhiscan:git',
  connectors: [gitConnector],
  rules: secretsRules,
});
