/**
 * The built-in `azure` plugin: the live Key Vault connector (`azure`, `azure:SUBSCRIPTION_ID`),
 * the offline snapshot importer (`import:FILE` with `{"nhiscanSnapshot": "azure"}`) and the Azure rules.
 */
import { definePlugin } from '../../src/plugin.js';
import { lazyConnector, lazyImporters, withZod, type DeferredAnalysis } from '../../src/lazy-connector.js';
import { azureConnectorMeta } from './meta.js';

export const azurePlugin = definePlugin({
  name: 'nhiscan:azure',
  // The live connector (normaliser, credential helpers, the Azure SDK) loads only when an azure source runs.
  connectors: [lazyConnector(azureConnectorMeta, async () => (await import('./connector.js')).azureConnector)],
  // The importers load when an import: source runs.
  importers: lazyImporters(['azure-snapshot', 'azure-role-assignments'], async () => [
    (await import('./importer.js')).azureSnapshotImporter,
    (await import('./role-assignments-importer.js')).azureRoleAssignmentsImporter,
  ]),
});

/** The rules: loaded when the inventory holds Azure items. */
export const azureAnalysis: DeferredAnalysis = {
  providers: ['azure'],
  load: withZod(async () => definePlugin({ name: 'nhiscan:azure-analysis', rules: (await import('../../rules/azure/index.js')).azureRules })),
};
