import type { Connector } from '../../../src/plugin.js';
import { awsSettingsSchema, parseAwsSettings } from './settings.js';

/** What the CLI needs to know about the live connector without loading the AWS SDK. */
export const awsConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'aws',
  description: 'AWS IAM of an account (aws, aws:PROFILE) or of every account of an Organization (--aws-org-role)',
  // accountId: the account an import of a credential report or key list belongs to (importers read it).
  settingsSchema: awsSettingsSchema.extend({ accountId: awsSettingsSchema.shape.orgExternalId }).strict(),
  // An Organization's accounts are the units shards split; a single account is one unit. Declared here, not only on the
  // implementation: the engine asks the registered (lazy) connector before anything is loaded.
  shardsUnits: (_source, options) => Boolean(parseAwsSettings(options).orgRole),
  options: [
    { name: 'aws-org-role', type: 'string', description: 'role name to assume in every account of the AWS Organization (e.g. OrganizationAccountAccessRole)' },
  ],
};
