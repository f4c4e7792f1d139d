/**
 * Labelled resource policies, secrets and keys for the rules added with resource policies (the ablation
 * table of docs/aws-privilege.md reads its figures from here): each case says whether its rule must
 * flag it. Positives include the shapes that look restricted but are not (wildcard or `IfExists`
 * conditions, NotPrincipal, a network-only limit); traps are what must stay quiet (pinned to the
 * organisation or account, Deny statements, service principals, own, scanned and known accounts,
 * secrets a service rotates, keys that cannot rotate).
 */
import { describe, expect, it } from 'vitest';
import { awsPrivilegeRules } from '../../rules/aws-privilege/index.js';
import { awsRules } from '../../rules/aws/index.js';
import { kmsKeyCredential, policyResource, secretCredential, type PolicyResourceKind } from '../../connectors/aws/resource-policies.js';
import { defaultConfig } from '../../src/config.js';
import type { Credential, Inventory, Resource } from '../../src/model/index.js';
import { ACCOUNT, inventoryOf, user } from './helpers.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const SCANNED = '222233334444';
const KNOWN = '777788889999';
const STRANGER = '444455556666';

interface Case {
  name: string;
  flag: boolean;
  item: Resource | Credential;
}

const statement = (principal: unknown, action: string, condition?: object, extra: object = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}), ...extra }],
});
const resource = (kind: PolicyResourceKind, name: string, policy: object): Resource => {
  const arn = kind === 'aws-s3-bucket' ? `arn:aws:s3:::${name}` : `arn:aws:${kind.split('-')[1]}:us-east-1:${ACCOUNT}:${name}`;
  return policyResource(kind, { arn, name, accountId: ACCOUNT, region: 'us-east-1', policy: JSON.stringify(policy) }, 'test');
};
const secret = (name: string, policy?: object, extra: object = {}) =>
  secretCredential(
    { ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-AbCdEf`, Name: name, CreatedDate: '2024-01-01T00:00:00Z', ...extra },
    policy && JSON.stringify(policy),
    'test',
  )!;
const key = (name: string, metadata: object = {}, rotationEnabled = false, policy?: object) =>
  kmsKeyCredential(
    { metadata: { KeyId: name, Arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${name}`, CreationDate: '2022-01-01T00:00:00Z', ...metadata }, rotationEnabled },
    policy && JSON.stringify(policy),
    'test',
  )!;

const PUBLIC: Case[] = [
  { name: 'bucket-star', flag: true, item: resource('aws-s3-bucket', 'bucket-star', statement('*', 's3:GetObject')) },
  { name: 'queue-aws-star', flag: true, item: resource('aws-sqs-queue', 'queue-aws-star', statement({ AWS: '*' }, 'sqs:SendMessage')) },
  { name: 'key-anyone-decrypts', flag: true, item: key('key-anyone-decrypts', {}, true, statement({ AWS: '*' }, 'kms:Decrypt')) },
  {
    name: 'topic-source-ip',
    flag: true, // a network limit, reported as limiting, not an identity one
    item: resource('aws-sns-topic', 'topic-source-ip', statement('*', 'sns:Subscribe', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } })),
  },
  {
    name: 'secret-wildcard-org',
    flag: true,
    item: secret('secret-wildcard-org', statement('*', 'secretsmanager:GetSecretValue', { StringLike: { 'aws:PrincipalOrgID': '*' } })),
  },
  {
    name: 'function-if-exists',
    flag: true,
    item: resource(
      'aws-lambda-function',
      'function-if-exists',
      statement('*', 'lambda:InvokeFunction', { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } }),
    ),
  },
  {
    name: 'bucket-not-principal',
    flag: true, // Allow with NotPrincipal: everyone but the named one
    item: resource('aws-s3-bucket', 'bucket-not-principal', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:GetObject', Resource: '*' }],
    }),
  },
  {
    name: 'bucket-org-pinned',
    flag: false,
    item: resource('aws-s3-bucket', 'bucket-org-pinned', statement('*', 's3:GetObject', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } })),
  },
  {
    name: 'queue-account-pinned',
    flag: false,
    item: resource('aws-sqs-queue', 'queue-account-pinned', statement('*', 'sqs:SendMessage', { StringEquals: { 'aws:SourceAccount': ACCOUNT } })),
  },
  {
    name: 'function-service-pinned',
    flag: false,
    item: resource(
      'aws-lambda-function',
      'function-service-pinned',
      statement({ Service: 's3.amazonaws.com' }, 'lambda:InvokeFunction', { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } }),
    ),
  },
  {
    name: 'bucket-deny-insecure',
    flag: false, // a Deny to "*" grants nothing
    item: resource('aws-s3-bucket', 'bucket-deny-insecure', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    }),
  },
];

const EXTERNAL: Case[] = [
  {
    name: 'secret-stranger-root',
    flag: true,
    item: secret('secret-stranger-root', statement({ AWS: `arn:aws:iam::${STRANGER}:root` }, 'secretsmanager:GetSecretValue')),
  },
  {
    name: 'bucket-stranger-role',
    flag: true,
    item: resource('aws-s3-bucket', 'bucket-stranger-role', statement({ AWS: `arn:aws:iam::${STRANGER}:role/etl` }, 's3:GetObject')),
  },
  { name: 'topic-stranger-id', flag: true, item: resource('aws-sns-topic', 'topic-stranger-id', statement({ AWS: STRANGER }, 'sns:Publish')) },
  { name: 'key-own-account', flag: false, item: resource('aws-sqs-queue', 'key-own-account', statement({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, 'sqs:*')) },
  {
    name: 'bucket-scanned-account',
    flag: false,
    item: resource('aws-s3-bucket', 'bucket-scanned-account', statement({ AWS: `arn:aws:iam::${SCANNED}:root` }, 's3:GetObject')),
  },
  {
    name: 'queue-known-account',
    flag: false,
    item: resource('aws-sqs-queue', 'queue-known-account', statement({ AWS: `arn:aws:iam::${KNOWN}:root` }, 'sqs:SendMessage')),
  },
  {
    name: 'secret-stranger-org-pinned',
    flag: false,
    item: secret(
      'secret-stranger-org-pinned',
      statement({ AWS: `arn:aws:iam::${STRANGER}:root` }, 'secretsmanager:GetSecretValue', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }),
    ),
  },
];

const ROTATION: Case[] = [
  { name: 'secret-never-rotated', flag: true, item: secret('secret-never-rotated') },
  {
    name: 'secret-rotation-failing',
    flag: true,
    item: secret('secret-rotation-failing', undefined, {
      RotationEnabled: true,
      RotationRules: { AutomaticallyAfterDays: 30 },
      LastRotatedDate: '2025-11-01T00:00:00Z',
    }),
  },
  { name: 'key-no-rotation', flag: true, item: key('key-no-rotation') },
  {
    name: 'secret-rotating',
    flag: false,
    item: secret('secret-rotating', undefined, {
      RotationEnabled: true,
      RotationRules: { AutomaticallyAfterDays: 30 },
      LastRotatedDate: '2026-05-20T00:00:00Z',
    }),
  },
  { name: 'secret-rds-managed', flag: false, item: secret('secret-rds-managed', undefined, { OwningService: 'rds' }) },
  { name: 'secret-young', flag: false, item: secret('secret-young', undefined, { CreatedDate: '2026-05-01T00:00:00Z' }) },
  { name: 'secret-deleted', flag: false, item: secret('secret-deleted', undefined, { DeletedDate: '2026-05-30T00:00:00Z' }) },
  { name: 'key-rotating', flag: false, item: key('key-rotating', {}, true) },
  { name: 'key-asymmetric', flag: false, item: key('key-asymmetric', { KeySpec: 'RSA_2048' }) },
  { name: 'key-imported-material', flag: false, item: key('key-imported-material', { Origin: 'EXTERNAL' }) },
];

function inventoryWith(cases: Case[]): Inventory {
  const inventory = inventoryOf(user('elsewhere', { account: SCANNED }));
  for (const { item } of cases) {
    if (item.kind === 'aws-secret' || item.kind === 'aws-kms-key') inventory.credentials.push(item as Credential);
    else (inventory.resources ??= []).push(item as Resource);
  }
  return inventory;
}

function measure(ruleId: string, cases: Case[]) {
  const rule = [...awsPrivilegeRules, ...awsRules].find((r) => r.meta.id === ruleId)!;
  const options = rule.meta.optionsSchema ? rule.meta.optionsSchema.parse({}) : {};
  const config = { ...defaultConfig(), settings: { aws: { knownAccounts: [KNOWN] } } };
  const flagged = new Set(rule.check(inventoryWith(cases), options, { now: NOW, config }).map((f) => f.resource.name));
  const positives = cases.filter((c) => c.flag);
  const caught = positives.filter((c) => flagged.has(c.name)).length;
  const wrong = cases.filter((c) => !c.flag && flagged.has(c.name)).map((c) => c.name);
  return {
    recall: caught / positives.length,
    precision: caught / (caught + wrong.length),
    positives: positives.length,
    traps: cases.length - positives.length,
    wrong,
  };
}

describe('labelled resource policies, secrets and keys', () => {
  it.each([
    ['aws-resource-policy-public', PUBLIC],
    ['aws-resource-policy-external-account', EXTERNAL],
    ['aws-secret-not-rotated', ROTATION],
  ] as const)('%s: every positive caught, no trap flagged', (ruleId, cases) => {
    const m = measure(ruleId, cases);
    expect(m.wrong).toEqual([]);
    expect(m).toMatchObject({ recall: 1, precision: 1 });
  });
});
