import { gcpSettingsSchema } from './settings.js';
import type { Connector } from '../../src/plugin.js';

/** What the CLI needs to know about the live connector without loading Google's client libraries. */
export const gcpConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'gcp',
  settingsSchema: gcpSettingsSchema,
  // Projects (listed or discovered) are the units shards split. Declared here, not only on the implementation: the
  // engine asks the registered (lazy) connector before anything is loaded.
  shardsUnits: () => true,
  description: 'Google Cloud IAM: service accounts, keys, impersonation and role bindings of every visible project (gcp) or of gcp:PROJECT_ID',
  options: [
    { name: 'gcp-org', type: 'string', description: 'organization id whose organization and folder IAM policies are read too' },
    { name: 'gcp-endpoint', type: 'string', description: 'one root URL for every Google API and the token endpoint (private endpoints, tests)' },
    { name: 'gcp-project', type: 'string', description: 'project id of an imported `gcloud projects get-iam-policy` file that does not name it' },
  ],
};
