/**
 * The built-in `entra` plugin: the live Microsoft Graph connector (`entra`, `entra:TENANT_ID`), the
 * offline importer (snapshots, `az ad app/sp list`, Graph lists), the Entra rules and the correlation
 * of leaked client secrets with their applications.
 */
import { definePlugin } from '../../src/plugin.js';
import { lazyConnector, lazyImporters, withZod, type DeferredAnalysis } from '../../src/lazy-connector.js';
import { entraConnectorMeta } from './meta.js';

export const entraPlugin = definePlugin({
  name: 'nhiscan:entra',
  // The live connector (normaliser, credential helpers, the Graph client) loads only when an entra source runs.
  connectors: [lazyConnector(entraConnectorMeta, async () => (await import('./connector.js')).entraConnector)],
  // The importer loads when an import: source runs.
  importers: lazyImporters(['entra'], async () => [(await import('./importer.js')).entraImporter]),
});

/** Leak correlation and the rules: loaded when the inventory holds Entra ID items. */
export const entraAnalysis: DeferredAnalysis = {
  providers: ['entra'],
  load: withZod(async () => {
    const [{ entraLeakCorrelationEnricher }, { entraRules }] = await Promise.all([import('../../src/entra/leaks.js'), import('../../rules/entra/index.js')]);
    return definePlugin({ name: 'nhiscan:entra-analysis', enrichers: [entraLeakCorrelationEnricher], rules: entraRules });
  }),
};
