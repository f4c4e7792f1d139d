/**
 * The built-in `gcp` plugin: the live connector (`gcp`, `gcp:PROJECT_ID`, `--gcp-org`), the offline
 * importers (Cloud Asset Inventory exports, gcloud output, nhiscan snapshots), the analysis and leak
 * correlation (src/gcp-iam) and the Google Cloud rules (rules/gcp).
 */
import { definePlugin } from '../../src/plugin.js';
import { gcpEnrichers } from '../../src/gcp-iam/index.js';
import { lazyConnector, lazyImporters } from '../../src/lazy-connector.js';
import { gcpRules } from '../../rules/gcp/index.js';
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
  enrichers: gcpEnrichers,
  rules: gcpRules,
});
