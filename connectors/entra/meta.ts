/**
 * What the CLI needs to know about the `entra` source (scheme, options, settings) without loading its
 * implementation (the snapshot normaliser, the credential helpers): the CLI registers every built-in at
 * start-up, and a pre-commit hook must not pay for the Entra connector to run `staged:`.
 */
import type { CliOption, Connector } from '../../src/plugin.js';
import { entraSettingsSchema } from './settings.js';

export const entraCliOptions: CliOption[] = [
  {
    name: 'graph-endpoint',
    type: 'string',
    description: 'Microsoft Graph endpoint for national or test clouds (default https://graph.microsoft.com)',
  },
];

export const entraConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'entra',
  description:
    'Microsoft Entra ID workload identities: applications, service principals, managed identities, their credentials, permissions, owners and sign-ins (entra or entra:TENANT_ID)',
  options: entraCliOptions,
  settingsSchema: entraSettingsSchema,
};
