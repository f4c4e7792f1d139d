import type { Connector } from '../../../src/plugin.js';
import { awsSettingsSchema } from './settings.js';

/** What the CLI needs to know about the live connector without loading the AWS SDK. */
export const awsConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'aws',
  description: 'AWS IAM of an account (aws, aws:PROFILE) or of every account of an Organization (--aws-org-role)',
  // accountId: the account an import of a credential report or key list belongs to (importers read it).
  settingsSchema: awsSettingsSchema.extend({ accountId: awsSettingsSchema.shape.orgExternalId }).strict(),
  options: [
    { name: 'aws-org-role', type: 'string', description: 'role name to assume in every account of the AWS Organization (e.g. OrganizationAccountAccessRole)' },
  ],
};
