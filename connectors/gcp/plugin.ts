/**
 * The built-in `gcp` plugin: the live connector (`gcp`, `gcp:PROJECT_ID`, `--gcp-org`), the offline
 * importers (Cloud Asset Inventory exports, gcloud output, nhiscan snapshots), the analysis and leak
 * correlation (src/gcp-iam) and the Google Cloud rules (rules/gcp).
 */
import { definePlugin } from '../../src/plugin.js';
import { lazyConnector, lazyImporters, withZod, type DeferredAnalysis } from '../../src/lazy-connector.js';
import { gcpConnectorMeta } from './meta.js';

export const gcpPlugin = definePlugin({
  name: 'nhiscan:gcp',
  // The live connector loads google-auth-library and @googleapis/iam only when a gcp source runs.
  connectors: [lazyConnector(gcpConnectorMeta, async () => (await import('./connector.js')).gcpConnector)],
  // The importers load when an import: source runs; the ids keep their order.
  importers: lazyImporters(
    ['gcp-snapshot', 'gcp-cloud-asset-export', 'gcloud-service-accounts-list', 'gcloud-service-account-keys-list', 'gcloud-projects-get-iam-policy'],
    async () => (await import('./importers.js')).gcpImporters,
  ),
});

/** The analysis, leak correlation and the rules: loaded when the inventory holds Google Cloud items. */
export const gcpAnalysis: DeferredAnalysis = {
  providers: ['gcp'],
  load: withZod(async () => {
    const [{ gcpEnrichers }, { gcpRules }] = await Promise.all([import('../../src/gcp-iam/index.js'), import('../../rules/gcp/index.js')]);
    return definePlugin({ name: 'nhiscan:gcp-analysis', enrichers: gcpEnrichers, rules: gcpRules });
  }),
};
