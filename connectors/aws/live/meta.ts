import type { Connector } from '../../../src/plugin.js';

/** What the CLI needs to know about the live connector without loading the AWS SDK. */
export const awsConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'aws',
  description: 'AWS IAM of an account (aws, aws:PROFILE) or of every account of an Organization (--aws-org-role)',
  options: [
    { name: 'aws-org-role', type: 'string', description: 'role name to assume in every account of the AWS Organization (e.g. OrganizationAccountAccessRole)' },
  ],
};
