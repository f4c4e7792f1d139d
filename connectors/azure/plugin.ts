/**
 * The built-in `azure` plugin: the live Key Vault connector (`azure`, `azure:SUBSCRIPTION_ID`),
 * the offline snapshot importer (`import:FILE` with `{"nhiscanSnapshot": "azure"}`) and the Azure rules.
 */
import { definePlugin } from '../../src/plugin.js';
import { azureRules } from '../../rules/azure/index.js';
import { azureConnector } from './connector.js';
import { azureSnapshotImporter } from './importer.js';
import { azureRoleAssignmentsImporter } from './role-assignments-importer.js';

export const azurePlugin = definePlugin({
  name: 'nhiscan:azure',
  connectors: [azureConnector],
  importers: [azureSnapshotImporter, azureRoleAssignmentsImporter],
  rules: azureRules,
});
