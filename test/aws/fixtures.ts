/** A small but complete emulated account used by the collection tests. */
import { AccountBuilder } from '../../testkit/aws/model.js';

export const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
export const READ_S3 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::app-data', 'arn:aws:s3:::app-data/*'] }],
};

export function smallAccount(accountId = '123456789012') {
  const b = new AccountBuilder(accountId);
  const admin = b.policy('AdministratorAccess', ADMIN, { aws: true });
  const deploy = b.policy(
    'deploy',
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['lambda:*', 'iam:PassRole'], Resource: '*' }] },
    { versions: [READ_S3] },
  );
  const boundary = b.policy('boundary', READ_S3);
  b.group('admins', {
    attached: [admin],
    inline: { 'deny-billing': { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' }] } },
  });
  b.user('ci-deployer', {
    Path: '/ci/',
    Attached: [deploy],
    Groups: ['admins'],
    Tags: { owner: 'platform@example.com' },
    keys: [{ CreateDate: '2024-01-15T10:00:00Z', LastUsed: { LastUsedDate: '2026-11-27T08:00:00Z', ServiceName: 'lambda', Region: 'eu-west-1' } }],
  });
  b.user('alice', {
    Password: { CreateDate: '2023-01-01T00:00:00Z', LastUsed: '2026-11-20T00:00:00Z' },
    Mfa: true,
    Inline: { s3: READ_S3 },
    Boundary: boundary,
    keys: [{ CreateDate: '2026-09-01T00:00:00Z' }, { Status: 'Inactive', CreateDate: '2022-05-05T05:05:05Z' }],
  });
  b.user('no-keys');
  b.role('app', {
    Attached: [deploy],
    Tags: { team: 'payments' },
    LastUsed: { LastUsedDate: '2026-11-01T00:00:00Z', Region: 'us-east-1' },
    InstanceProfiles: ['app-profile'],
  });
  b.role('AWSServiceRoleForSupport', {
    Path: '/aws-service-role/support.amazonaws.com/',
    Trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'support.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  });
  b.rootKey({ CreateDate: '2017-03-03T00:00:00Z' });
  return b.account;
}
