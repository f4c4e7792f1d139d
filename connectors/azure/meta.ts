/**
 * What the CLI needs to know about the `azure` source (scheme, options, settings, sharding) without
 * loading its implementation (the snapshot normaliser, the credential helpers): the CLI registers every
 * built-in at start-up, and a pre-commit hook must not pay for the Azure connector to run `staged:`.
 */
import type { CliOption, Connector } from '../../src/plugin.js';
import { azureSettingsSchema } from './settings.js';

export const azureCliOptions: CliOption[] = [
  {
    name: 'azure-endpoint',
    type: 'string',
    description: 'Azure Resource Manager endpoint for sovereign or test clouds (default https://management.azure.com)',
  },
];

export const azureConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'azure',
  description: 'Azure Key Vault: vaults, secrets and keys (attributes only), access policies, in every visible subscription or azure:SUBSCRIPTION_ID',
  options: azureCliOptions,
  settingsSchema: azureSettingsSchema,
  // Subscriptions (listed or discovered) are the units shards split.
  shardsUnits: () => true,
};
