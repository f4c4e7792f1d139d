/**
 * The built-in `aws` plugin: the live connector (`aws`, `aws:PROFILE`, `--aws-org-role`), the offline
 * importers (authorization details, credential report, list-access-keys), the access-key reconciler,
 * the credential rules (rules/aws) and the privilege analysis and rules (src/aws-iam, rules/aws-privilege).
 */
import { definePlugin } from '../../src/plugin.js';
import { awsConnector } from './live/connector.js';
import { awsImporters } from './importers.js';
import { awsKeyReconciler } from './key-reconciler.js';

export const awsPlugin = definePlugin({
  name: 'nhiscan:aws',
  connectors: [awsConnector],
  importers: awsImporters,
  enrichers: [awsKeyReconciler],
  rules: [],
});
