/**
 * Writes the sample estate's AWS account 123456789012 as the exports a team without live
 * credentials would hand over: `aws iam get-account-authorization-details` (CLI JSON), the credential
 * report CSV, `aws iam list-access-keys` outputs, the organisation's SCPs, `aws secretsmanager
 * list-secrets` and `aws kms describe-key` (with their resource policies merged in). Run: `npx tsx examples/estate/aws/generate.ts`.
 *
 * Access key ids are identifiers, not secrets (the secret access key is never in any export). The key
 * id of `ci-deployer` is the one leaked in the sample repository (see ESTATE_AWS_KEY_ID).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeAccessKeyId } from '../../../connectors/aws/key-id.js';
import { AccountBuilder } from '../../../testkit/aws/model.js';
import { authorizationDetailsExport, credentialReportCsv, listAccessKeysExport } from '../../../testkit/aws/exports.js';

export const ESTATE_AWS_ACCOUNT = '123456789012';
/** Encodes account 123456789012, like a real key id; the git sample repository leaks this one. */
export const ESTATE_AWS_KEY_ID = makeAccessKeyId(ESTATE_AWS_ACCOUNT, 4242);

const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

export function estateAccount() {
  const b = new AccountBuilder(ESTATE_AWS_ACCOUNT);
  const admin = b.policy('AdministratorAccess', doc(allow('*')), { aws: true });
  const readOnlyBilling = b.policy('AWSBillingReadOnlyAccess', doc(allow(['aws-portal:View*', 'budgets:View*', 'ce:Get*'])), { aws: true });
  const siteDeploy = b.policy(
    'site-deploy',
    doc(
      allow(['s3:PutObject', 's3:DeleteObject', 's3:ListBucket'], ['arn:aws:s3:::acme-site', 'arn:aws:s3:::acme-site/*']),
      allow('cloudfront:CreateInvalidation', 'arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE'),
    ),
    {
      versions: [doc(allow('s3:*'))],
    },
  );
  const lambdaDeploy = b.policy(
    'lambda-deploy',
    doc(allow(['lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:InvokeFunction', 'lambda:GetFunction']), allow('iam:PassRole')),
  );
  const devRead = b.policy('developer-read', doc(allow(['s3:Get*', 's3:List*', 'logs:Get*', 'logs:Describe*', 'cloudwatch:Get*'])));
  const boundary = b.policy('workload-boundary', doc(allow(['s3:*', 'logs:*', 'cloudwatch:*'])), { path: '/boundaries/' });

  b.group('Admins', { attached: [admin] });
  b.group('Developers', {
    attached: [devRead],
    inline: { 'deny-iam-writes': doc({ Effect: 'Deny', Action: ['iam:Create*', 'iam:Put*', 'iam:Attach*', 'iam:Delete*'], Resource: '*' }) },
  });

  // The classic leak: an admin CI user with a two-year-old key that is still in use, and no owner tag.
  b.user('ci-deployer', {
    Path: '/ci/',
    CreateDate: '2024-03-12T09:30:00Z',
    Attached: [admin],
    keys: [
      {
        AccessKeyId: ESTATE_AWS_KEY_ID,
        CreateDate: '2024-03-12T09:41:17Z',
        LastUsed: { LastUsedDate: '2026-11-27T22:10:00Z', ServiceName: 'cloudformation', Region: 'eu-west-1' },
      },
    ],
  });
  // A person's login and a machine key on one user, without MFA.
  b.user('jenkins', {
    Path: '/ci/',
    CreateDate: '2021-06-01T12:00:00Z',
    Tags: { team: 'build-infra' },
    Password: { CreateDate: '2021-06-01T12:05:00Z', LastUsed: '2026-10-30T08:00:00Z' },
    Inline: { 'artifact-upload': doc(allow(['s3:PutObject', 's3:GetObject'], 'arn:aws:s3:::acme-artifacts/*')) },
    keys: [{ CreateDate: '2026-10-05T10:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T03:00:00Z', ServiceName: 's3', Region: 'eu-west-1' } }],
  });
  // Owned, but the key was never used since it was created in June.
  b.user('backup-agent', {
    CreateDate: '2026-06-01T00:00:00Z',
    Tags: { owner: 'storage-team@example.com' },
    Boundary: boundary,
    Inline: { 'backup-write': doc(allow(['s3:PutObject'], 'arn:aws:s3:::acme-backups/*')) },
    keys: [{ CreateDate: '2026-06-01T00:10:00Z' }],
  });
  // An unfinished rotation: two active keys, the old one idle since spring.
  b.user('legacy-etl', {
    CreateDate: '2019-02-01T00:00:00Z',
    Tags: { owner: 'data-eng@example.com' },
    Attached: [devRead],
    Groups: ['Developers'],
    keys: [
      { CreateDate: '2023-02-01T00:00:00Z', LastUsed: { LastUsedDate: '2026-04-02T00:00:00Z', ServiceName: 's3', Region: 'us-east-1' } },
      { CreateDate: '2026-09-15T00:00:00Z', LastUsed: { LastUsedDate: '2026-11-28T06:00:00Z', ServiceName: 's3', Region: 'us-east-1' } },
    ],
  });
  b.user('alice.admin', {
    CreateDate: '2020-01-10T00:00:00Z',
    Groups: ['Admins'],
    Tags: { owner: 'alice@example.com' },
    Password: { CreateDate: '2020-01-10T00:00:00Z', LastUsed: '2026-11-27T09:00:00Z' },
    Mfa: true,
  });
  b.user('finance-reports', { CreateDate: '2022-05-05T00:00:00Z', Tags: { owner: 'finance@example.com' }, Attached: [readOnlyBilling], Mfa: false });

  // GitHub OIDC without a `sub` condition: any repository on GitHub can assume it.
  b.role('github-actions-deploy', {
    CreateDate: '2025-02-01T00:00:00Z',
    Tags: { owner: 'platform@example.com' },
    Attached: [siteDeploy],
    LastUsed: { LastUsedDate: '2026-11-28T15:00:00Z', Region: 'eu-west-1' },
    Trust: doc({
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ESTATE_AWS_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
    }),
  });
  // PassRole + Lambda: can create a function running as the admin execution role below.
  b.role('lambda-deployer', {
    CreateDate: '2023-08-01T00:00:00Z',
    Tags: { team: 'payments' },
    Attached: [lambdaDeploy],
    LastUsed: { LastUsedDate: '2026-11-20T00:00:00Z', Region: 'eu-west-1' },
    Trust: doc({ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }),
  });
  b.role('lambda-admin-exec', {
    CreateDate: '2023-08-01T00:00:00Z',
    Attached: [admin],
    LastUsed: { LastUsedDate: '2026-05-01T00:00:00Z', Region: 'eu-west-1' },
    Trust: doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
  });
  // A vendor role from an old integration: external account, no ExternalId, unused for a year.
  b.role('analytics-vendor', {
    CreateDate: '2022-03-01T00:00:00Z',
    Tags: { contact: 'vendor-mgmt@example.com' },
    Inline: { 'read-exports': doc(allow(['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::acme-exports', 'arn:aws:s3:::acme-exports/*'])) },
    LastUsed: { LastUsedDate: '2025-10-01T00:00:00Z', Region: 'us-east-1' },
    Trust: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' }),
  });
  b.role('AWSServiceRoleForSupport', {
    Path: '/aws-service-role/support.amazonaws.com/',
    CreateDate: '2019-01-01T00:00:00Z',
    Trust: doc({ Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' }),
  });
  b.role('web-app', {
    CreateDate: '2024-01-01T00:00:00Z',
    Tags: { team: 'web' },
    Boundary: boundary,
    InstanceProfiles: ['web-app'],
    Inline: { 'app-data': doc(allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-app-data/*')) },
    LastUsed: { LastUsedDate: '2026-11-28T23:00:00Z', Region: 'eu-west-1' },
  });
  // An old root access key nobody deleted.
  b.rootKey({ CreateDate: '2016-04-01T00:00:00Z', LastUsed: { LastUsedDate: '2025-12-24T00:00:00Z', ServiceName: 'iam', Region: 'us-east-1' } });
  b.account.root.PasswordLastUsed = '2026-09-01T00:00:00Z';
  return b.account;
}

/**
 * The organisation over the account: FullAWSAccess at every level (as AWS attaches by default) and,
 * on the workloads OU, a guardrail SCP denying new long-lived keys and leaving the organisation.
 */
export function organizationExport() {
  const root = 'r-a1b2';
  const ou = 'ou-a1b2-workload';
  const policy = (Id: string, Name: string, content: unknown, targets: string[], AwsManaged = false) => ({
    PolicySummary: {
      Id,
      Arn: `arn:aws:organizations::999999999999:policy/o-exampleorg/service_control_policy/${Id}`,
      Name,
      Type: 'SERVICE_CONTROL_POLICY',
      AwsManaged,
    },
    Content: JSON.stringify(content),
    Targets: targets.map((TargetId) => ({
      TargetId,
      Type: TargetId.startsWith('r-') ? 'ROOT' : TargetId.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT',
    })),
  });
  return {
    Accounts: [{ Id: ESTATE_AWS_ACCOUNT, Parents: [root, ou], OrganizationId: 'o-exampleorg' }],
    Policies: [
      policy('p-FullAWSAccess', 'FullAWSAccess', doc(allow('*')), [root, ou, ESTATE_AWS_ACCOUNT], true),
      policy(
        'p-workload-guardrails',
        'workload-guardrails',
        doc(
          {
            Sid: 'NoNewLongLivedKeys',
            Effect: 'Deny',
            Action: ['iam:CreateAccessKey', 'iam:CreateLoginProfile'],
            Resource: '*',
            Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ESTATE_AWS_ACCOUNT}:role/break-glass` } },
          },
          { Sid: 'StayInOrg', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
        ),
        [ou],
      ),
    ],
  };
}

/**
 * `aws secretsmanager list-secrets` with one secret's `get-resource-policy` merged in: the payments database
 * password, never rotated since 2023, shared with an account nobody recognises.
 */
export function secretsExport() {
  return {
    SecretList: [
      {
        ARN: `arn:aws:secretsmanager:eu-west-1:${ESTATE_AWS_ACCOUNT}:secret:payments/db-password-Xy12Ab`,
        Name: 'payments/db-password',
        Description: 'Payments database master password',
        RotationEnabled: false,
        CreatedDate: '2023-02-01T09:00:00+00:00',
        LastChangedDate: '2023-02-01T09:00:00+00:00',
        LastAccessedDate: '2026-11-27T00:00:00+00:00',
        Tags: [{ Key: 'team', Value: 'payments' }],
        ResourcePolicy: JSON.stringify(
          doc(allow('secretsmanager:GetSecretValue', '*', { Sid: 'PartnerReads', Principal: { AWS: 'arn:aws:iam::210987654321:root' } })),
        ),
      },
    ],
  };
}

/** `aws kms describe-key` with `get-key-policy` and `get-key-rotation-status` merged in: a key anyone may decrypt with. */
export function kmsKeysExport() {
  const keyId = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  return [
    {
      KeyMetadata: {
        AWSAccountId: ESTATE_AWS_ACCOUNT,
        KeyId: keyId,
        Arn: `arn:aws:kms:eu-west-1:${ESTATE_AWS_ACCOUNT}:key/${keyId}`,
        CreationDate: '2022-05-10T08:00:00+00:00',
        Enabled: true,
        Description: 'exports bucket encryption',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
      },
      KeyRotationEnabled: false,
      Policy: JSON.stringify(
        doc(
          allow('kms:*', '*', { Sid: 'AccountAdmin', Principal: { AWS: `arn:aws:iam::${ESTATE_AWS_ACCOUNT}:root` } }),
          allow(['kms:Decrypt', 'kms:DescribeKey'], '*', { Sid: 'AnyoneDecrypts', Principal: { AWS: '*' } }),
        ),
      ),
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const account = estateAccount();
  const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
  writeFileSync(here('authorization-details.json'), JSON.stringify(authorizationDetailsExport(account)[0], null, 4) + '\n');
  writeFileSync(here('credential-report.csv'), credentialReportCsv(account));
  writeFileSync(here('access-keys.json'), JSON.stringify(listAccessKeysExport(account), null, 4) + '\n');
  writeFileSync(here('organization.json'), JSON.stringify(organizationExport(), null, 4) + '\n');
  writeFileSync(here('secrets.json'), JSON.stringify(secretsExport(), null, 4) + '\n');
  writeFileSync(here('kms-keys.json'), JSON.stringify(kmsKeysExport(), null, 4) + '\n');
  console.log(`wrote account ${ESTATE_AWS_ACCOUNT}; ci-deployer key id ${ESTATE_AWS_KEY_ID}`);
}
