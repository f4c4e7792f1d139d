/**
 * The built-in `entra` plugin: the live Microsoft Graph connector (`entra`, `entra:TENANT_ID`), the
 * offline importer (snapshots, `az ad app/sp list`, Graph lists), the Entra rules and the correlation
 * of leaked client secrets with their applications.
 */
import { definePlugin } from '../../src/plugin.js';
import { entraRules } from '../../rules/entra/index.js';
import { entraLeakCorrelationEnricher } from '../../src/entra/leaks.js';
import { lazyConnector, lazyImporters } from '../../src/lazy-connector.js';
import { entraConnectorMeta } from './meta.js';

export const entraPlugin = definePlugin({
  name: 'nhiscan:entra',
  // The live connector (normaliser, credential helpers, the Graph client) loads only when an entra source runs.
  connectors: [lazyConnector(entraConnectorMeta, async () => (await import('./connector.js')).entraConnector)],
  // The importer loads when an import: source runs.
  importers: lazyImporters(['entra'], async () => [(await import('./importer.js')).entraImporter]),
  enrichers: [entraLeakCorrelationEnricher],
  rules: entraRules,
});
