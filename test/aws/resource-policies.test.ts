import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import type { AwsKmsKeyAttributes, AwsResourcePolicyAttributes, AwsSecretAttributes } from '../../src/model/aws.js';
import { AwsEmulator, type EmulatorOptions } from '../../testkit/aws/server.js';
import { resourcesOf } from '../../testkit/aws/resources.js';
import { testContext } from '../support/context.js';
import { smallAccount } from './fixtures.js';

const FAST = { reportPollMs: 5, maxAttempts: 2 };
const ACCOUNT = '123456789012';
const OTHER = '999988887777';
const READS = /^(Get|List|Describe)[A-Za-z]+$|^GenerateCredentialReport$/;

export const PUBLIC_READ = (action: string | string[], resource: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: action, Resource: resource }],
});

/** The small account plus one resource of each kind: some private, some shared too widely. */
export function accountWithResources() {
  const account = smallAccount(ACCOUNT);
  const r = resourcesOf(account);
  r.secrets.push(
    {
      Name: 'prod/db-password',
      CreatedDate: '2024-01-01T00:00:00Z',
      LastAccessedDate: '2026-11-28T00:00:00Z',
      Tags: { owner: 'dba@example.com' },
      Policy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
      },
    },
    { Name: 'rotated/api-key', CreatedDate: '2025-01-01T00:00:00Z', RotationEnabled: true, RotationDays: 30, LastRotatedDate: '2026-11-15T00:00:00Z' },
  );
  r.keys.push(
    {
      KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      CreationDate: '2021-06-01T00:00:00Z',
      Aliases: ['payments'],
      Tags: { team: 'payments' },
      Policy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
          { Sid: 'Anyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' },
        ],
      },
    },
    { KeyId: 'aws-managed-0000', CreationDate: '2020-01-01T00:00:00Z', KeyManager: 'AWS', Policy: { Statement: [] } },
  );
  r.buckets.push({ Name: 'public-site', Policy: PUBLIC_READ('s3:GetObject', 'arn:aws:s3:::public-site/*') }, { Name: 'private-data' });
  r.functions.push({
    FunctionName: 'deployer',
    Role: `arn:aws:iam::${ACCOUNT}:role/app`,
    Policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: '*',
          Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::private-data' } },
        },
      ],
    },
  });
  r.topics.push({ Name: 'alerts', Policy: PUBLIC_READ('sns:Subscribe', `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`) });
  r.queues.push({ Name: 'jobs', Policy: PUBLIC_READ('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`) }, { Name: 'internal' });
  return account;
}

let emulator: AwsEmulator;
const savedEnv = { ...process.env };

async function start(options: Partial<EmulatorOptions> = {}) {
  emulator = await new AwsEmulator({ accounts: [accountWithResources()], ...options }).start();
  process.env.AWS_ENDPOINT_URL = emulator.url;
  process.env.AWS_REGION = 'us-east-1';
}

beforeEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_ENDPOINT_URL')) delete process.env[k];
});
afterEach(async () => {
  await emulator?.stop();
  process.env = { ...savedEnv };
});

describe('resource-based policies, secrets and KMS keys (live, against the emulator)', () => {
  it('reads every service in its own protocol with read-only calls and models what it read', async () => {
    await start();
    const result = await awsConnector.collect(testContext('aws', { options: FAST }));
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('ok');

    const secret = result.credentials.find((c) => c.kind === 'aws-secret' && c.name === 'prod/db-password')!;
    expect(secret).toMatchObject({
      id: `aws:aws-secret:arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-password-AbCdEf`,
      scope: ACCOUNT,
      tags: { owner: 'dba@example.com' },
      createdAt: '2024-01-01T00:00:00.000Z',
      lastRotatedAt: '2024-01-01T00:00:00.000Z',
      lastUsedAt: '2026-11-28T00:00:00.000Z',
      status: 'active',
    });
    const secretAttrs = secret.attributes as unknown as AwsSecretAttributes;
    expect(secretAttrs).toMatchObject({ rotationEnabled: false, usageTracked: true, region: 'us-east-1', accountId: ACCOUNT });
    expect(JSON.stringify(secretAttrs.policy)).toContain(OTHER);
    const rotated = result.credentials.find((c) => c.name === 'rotated/api-key')!;
    expect(rotated).toMatchObject({ lastRotatedAt: '2026-11-15T00:00:00.000Z', attributes: { rotationEnabled: true, rotationDays: 30 } });
    expect(rotated.attributes.policy).toBeUndefined();

    // Customer-managed keys only: the AWS-managed key is the service's.
    const keys = result.credentials.filter((c) => c.kind === 'aws-kms-key');
    expect(keys.map((k) => k.name)).toEqual(['payments']);
    expect(keys[0]!.attributes as unknown as AwsKmsKeyAttributes).toMatchObject({ rotationEnabled: false, rotationSupported: true, usageTracked: false, keyState: 'Enabled' });
    expect(keys[0]!.tags).toEqual({ team: 'payments' });

    const resources = new Map((result.resources ?? []).map((r) => [r.name, r]));
    expect([...resources.keys()].sort()).toEqual(['alerts', 'deployer', 'internal', 'jobs', 'private-data', 'public-site']);
    expect(resources.get('public-site')).toMatchObject({ kind: 'aws-s3-bucket', nativeId: 'arn:aws:s3:::public-site', scope: ACCOUNT });
    expect((resources.get('public-site')!.attributes as unknown as AwsResourcePolicyAttributes).policy).toMatchObject({ Statement: [{ Principal: '*' }] });
    expect(resources.get('private-data')!.attributes.policy).toBeUndefined(); // NoSuchBucketPolicy is "no policy"
    expect(resources.get('deployer')!.attributes).toMatchObject({ service: 'lambda', executionRole: `arn:aws:iam::${ACCOUNT}:role/app` });
    expect(resources.get('alerts')).toMatchObject({ kind: 'aws-sns-topic', nativeId: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts` });
    expect(resources.get('jobs')).toMatchObject({ kind: 'aws-sqs-queue', nativeId: `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs` });
    expect(resources.get('internal')!.attributes.policy).toBeUndefined();

    // Every service was reached through its own protocol, and nhiscan only read.
    const services = new Set(emulator.log.map((c) => c.service));
    for (const s of ['kms', 'secretsmanager', 's3', 'lambda', 'sns', 'sqs']) expect(services).toContain(s);
    for (const c of emulator.log) expect(c.action).toMatch(READS);
    expect(emulator.log.every((c) => c.status === 200 || /GetBucketPolicy|GetPolicy/.test(c.action))).toBe(true);
    expect(result.stats).toMatchObject({ secretsmanagerResources: 2, kmsResources: 1, s3Resources: 2, lambdaResources: 1, snsResources: 1, sqsResources: 2 });
  });

  it('a service that refuses is not covered, named, and the others are still read', async () => {
    await start({ faults: [{ action: 'ListKeys', kind: 'access-denied', times: Infinity }] });
    const result = await awsConnector.collect(testContext('aws', { options: FAST }));
    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([expect.objectContaining({ part: 'resource-policies:kms', message: expect.stringMatching(/ListKeys failed.*AccessDenied/) })]);
    expect(result.notCovered).toEqual([{ part: 'resource-policies:kms', reason: expect.stringMatching(/kms resources .* could not be read/) }]);
    expect(result.credentials.some((c) => c.kind === 'aws-secret')).toBe(true);
    expect(result.resources?.length).toBe(6);
  });

  it('throttling and 5xx are retried in each protocol', async () => {
    await start({
      faults: [
        { action: 'ListSecrets', kind: 'throttle' },
        { action: 'GetBucketPolicy', kind: 'server-error' },
        { action: 'ListFunctions', kind: 'throttle' },
        { action: 'GetTopicAttributes', kind: 'server-error' },
        { action: 'ListQueues', kind: 'throttle' },
      ],
    });
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, maxAttempts: 3 } }));
    expect(result.errors).toEqual([]);
    expect(result.resources?.length).toBe(6);
    expect(emulator.log.filter((c) => c.action === 'ListSecrets').map((c) => c.status)).toEqual([400, 200]);
  });

  it('resourcePolicies: false reads IAM only', async () => {
    await start();
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, resourcePolicies: false } }));
    expect(result.resources).toBeUndefined();
    expect(new Set(emulator.log.map((c) => c.service))).toEqual(new Set(['iam', 'sts']));
  });
});
