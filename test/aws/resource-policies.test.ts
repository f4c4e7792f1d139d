import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import type { AwsKmsKeyAttributes, AwsResourcePolicyAttributes, AwsSecretAttributes } from '../../src/model/aws.js';
import { AwsEmulator, type EmulatorOptions } from '../../testkit/aws/server.js';
import { resourcesOf } from '../../testkit/aws/resources.js';
import { AccountBuilder } from '../../testkit/aws/model.js';
import { testContext } from '../support/context.js';
import { Registry } from '../../src/registry.js';
import { corePlugin } from '../../src/core-plugin.js';
import { awsAnalysis, awsPlugin } from '../../connectors/aws/plugin.js';
import { runScan } from '../../src/engine.js';
import { silentLogger } from '../../src/log.js';
import { defaultConfig } from '../../src/config.js';
import { findImporter } from '../../src/engine.js';
import { awsImporters } from '../../connectors/aws/importers.js';
import type { Credential } from '../../src/model/index.js';
import { smallAccount } from './fixtures.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizationDetailsExport } from '../../testkit/aws/exports.js';

/** The aws plugin's enrichers and rules: a scan loads them when the inventory holds aws items. */
const awsAnalysisPlugin = await awsAnalysis.load();

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
  // A user with no policy of its own, to whom a function's resource policy hands its code: the function runs as an admin role.
  const admin = [...account.policies.values()].find((p) => p.PolicyName === 'AdministratorAccess')!.Arn;
  const b = new AccountBuilder(ACCOUNT, account);
  b.user('contractor');
  b.role('fn-admin', {
    Attached: [admin],
    Trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  });
  r.functions.push({
    FunctionName: 'nightly',
    Role: `arn:aws:iam::${ACCOUNT}:role/fn-admin`,
    Policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Contractor',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/contractor` },
          Action: 'lambda:UpdateFunctionCode',
          Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:nightly`,
        },
      ],
    },
  });
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
    expect(keys[0]!.attributes as unknown as AwsKmsKeyAttributes).toMatchObject({
      rotationEnabled: false,
      rotationSupported: true,
      usageTracked: false,
      keyState: 'Enabled',
    });
    expect(keys[0]!.tags).toEqual({ team: 'payments' });

    const resources = new Map((result.resources ?? []).map((r) => [r.name, r]));
    expect([...resources.keys()].sort()).toEqual(['alerts', 'deployer', 'internal', 'jobs', 'nightly', 'private-data', 'public-site']);
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
    expect(result.stats).toMatchObject({ secretsmanagerResources: 2, kmsResources: 1, s3Resources: 2, lambdaResources: 2, snsResources: 1, sqsResources: 2 });
  });

  it('a service that refuses is not covered, named, and the others are still read', async () => {
    await start({ faults: [{ action: 'ListKeys', kind: 'access-denied', times: Infinity }] });
    const result = await awsConnector.collect(testContext('aws', { options: FAST }));
    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([
      expect.objectContaining({ part: 'resource-policies:kms', message: expect.stringMatching(/ListKeys failed.*AccessDenied/) }),
    ]);
    expect(result.notCovered).toEqual([{ part: 'resource-policies:kms', reason: expect.stringMatching(/kms resources .* could not be read/) }]);
    expect(result.credentials.some((c) => c.kind === 'aws-secret')).toBe(true);
    expect(result.resources?.length).toBe(7);
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
    expect(result.resources?.length).toBe(7);
    expect(emulator.log.filter((c) => c.action === 'ListSecrets').map((c) => c.status)).toEqual([400, 200]);
  });

  it('settings.aws.regions: the regional services are read in every region, S3 once; a region that is not one is refused', async () => {
    const account = accountWithResources();
    const r = resourcesOf(account);
    r.secrets.push({ Name: 'eu/api-key', CreatedDate: '2025-01-01T00:00:00Z', Region: 'eu-west-1' });
    r.queues.push({ Name: 'eu-jobs', Region: 'eu-west-1', Policy: PUBLIC_READ('sqs:SendMessage', `arn:aws:sqs:eu-west-1:${ACCOUNT}:eu-jobs`) });
    r.topics[0]!.Region = 'us-east-1';
    await start({ accounts: [account] });
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, regions: ['us-east-1', 'eu-west-1'] } }));
    expect(result.notCovered ?? []).toEqual([]);
    const arns = [...result.credentials, ...(result.resources ?? [])].map((x) => x.nativeId);
    expect(arns).toContain(`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:eu/api-key-AbCdEf`);
    expect(arns).toContain(`arn:aws:sqs:eu-west-1:${ACCOUNT}:eu-jobs`);
    expect(arns.filter((a) => a.includes(':secret:prod/db-password'))).toEqual([
      `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/db-password-AbCdEf`,
      `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-password-AbCdEf`,
    ]);
    expect(arns).toContain(`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`);
    expect(arns).not.toContain(`arn:aws:sns:eu-west-1:${ACCOUNT}:alerts`);
    expect(arns.filter((a) => a.startsWith('arn:aws:s3:::')).sort()).toEqual(['arn:aws:s3:::private-data', 'arn:aws:s3:::public-site']);
    const calls = (action: string) => emulator.log.filter((c) => c.action === action).length;
    expect([calls('ListBuckets'), calls('ListSecrets'), calls('ListQueues')]).toEqual([1, 2, 2]);
    expect(emulator.log.filter((c) => !READS.test(c.action))).toEqual([]);
    await expect(awsConnector.collect(testContext('aws', { options: { ...FAST, regions: ['eu-west-1', 'Europe'] } }))).rejects.toThrow(
      /regions\.1: an AWS region looks like eu-west-1/,
    );
  });

  it('with several regions, a service refused in one region is named with that region; the other region is still read', async () => {
    await start({ faults: [{ action: 'ListKeys', kind: 'access-denied', times: 1 }] });
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, maxAttempts: 1, regions: ['us-east-1', 'eu-west-1'] } }));
    expect(result.notCovered).toHaveLength(1);
    const [{ part, reason }] = result.notCovered!;
    const region = /^resource-policies:kms:(us-east-1|eu-west-1)$/.exec(part)?.[1];
    expect(reason).toMatch(new RegExp(`kms resources and their policies in ${region} could not be read`));
    const other = region === 'us-east-1' ? 'eu-west-1' : 'us-east-1';
    expect(result.credentials.filter((c) => c.kind === 'aws-kms-key').map((c) => c.nativeId.split(':')[3])).toEqual([other]);
  });

  it('resourcePolicies: false reads IAM only', async () => {
    await start();
    const result = await awsConnector.collect(testContext('aws', { options: { ...FAST, resourcePolicies: false } }));
    expect(result.resources).toBeUndefined();
    expect(new Set(emulator.log.map((c) => c.service))).toEqual(new Set(['iam', 'sts']));
  });
});

describe('resource-policy and secret rules, through the engine', () => {
  async function scan() {
    await start();
    const registry = new Registry();
    registry.register(corePlugin).register(awsPlugin).register(awsAnalysisPlugin);
    const config = defaultConfig();
    config.settings = { ...config.settings, aws: { ...FAST } };
    return runScan({ registry, config, sources: ['aws'], now: new Date('2026-11-29T00:00:00Z'), log: silentLogger });
  }

  it('flags what is open to anyone or to an unknown account, and nothing private', async () => {
    const result = await scan();
    expect(result.sources.map((s) => s.status)).toEqual(['ok']);
    const byRule = (id: string) => result.findings.filter((f) => f.ruleId === id);
    const open = byRule('aws-resource-policy-public').map((f) => [f.resource.name, f.severity]);
    expect(open.sort()).toEqual([
      ['alerts', 'critical'], // sns:Subscribe: anyone receives the topic's messages
      ['jobs', 'high'], // sqs:SendMessage: anyone writes
      ['payments', 'critical'], // kms:Decrypt to {"AWS": "*"}
      ['public-site', 'critical'],
    ]);
    // The S3-to-Lambda grant is a service principal pinned by aws:SourceArn: not public.
    expect(open.map(([n]) => n)).not.toContain('deployer');
    const external = byRule('aws-resource-policy-external-account');
    expect(external).toEqual([
      expect.objectContaining({ resource: expect.objectContaining({ name: 'prod/db-password' }), evidence: expect.objectContaining({ account: OTHER }) }),
    ]);
  });

  it('judges secrets and keys as credentials: rotation, use and owner', async () => {
    const result = await scan();
    const names = (id: string) =>
      result.findings
        .filter((f) => f.ruleId === id)
        .map((f) => f.resource.name)
        .sort();
    // The 2024 secret with rotation off, and the key without automatic rotation; the rotated secret is fine.
    expect(names('aws-secret-not-rotated')).toEqual(['payments', 'prod/db-password']);
    expect(names('credential-not-rotated').filter((n) => ['payments', 'prod/db-password', 'rotated/api-key'].includes(n))).toEqual([]);
    // Secrets Manager records access: the rotated secret was never read since 2025. KMS keys keep no such date.
    expect(names('credential-unused')).toContain('rotated/api-key');
    expect(names('credential-unused')).not.toContain('prod/db-password');
    expect(names('credential-unused')).not.toContain('payments');
    // The secret tagged owner=… has an owner; the untagged one does not.
    expect(names('missing-owner')).toContain('rotated/api-key');
    expect(names('missing-owner')).not.toContain('prod/db-password');
  });

  it('a same-account grant in a resource policy joins the principal rights: a function handed to a user is escalation to its admin role', async () => {
    const result = await scan();
    const contractor = result.inventory.identities.find((i) => i.name === 'contractor')!;
    const paths = (
      contractor.attributes.effective as { escalationPaths: { id: string; reach: string; targets?: string[]; actions: { sources: string[] }[] }[] }
    ).escalationPaths;
    const update = paths.find((p) => p.actions.some((a) => a.sources.some((s) => s.includes('resource policy of lambda-function nightly'))));
    expect(update).toMatchObject({ reach: 'admin', targets: ['fn-admin'] });
    expect(result.findings.filter((f) => f.ruleId === 'aws-privilege-escalation' && f.resource.name === 'contractor').length).toBeGreaterThan(0);
  });
});

describe('aws secretsmanager list-secrets import', () => {
  it('yields the same secret credentials as the live read, policy included when the entry carries it', async () => {
    await start();
    const live = await awsConnector.collect(testContext('aws', { options: { ...FAST, resourcePolicies: true } }));
    const liveSecrets = live.credentials.filter((c) => c.kind === 'aws-secret');
    // What `aws secretsmanager list-secrets` prints (CLI dates), with one entry's get-resource-policy merged in.
    const exported = {
      SecretList: [
        {
          ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-password-AbCdEf`,
          Name: 'prod/db-password',
          RotationEnabled: false,
          CreatedDate: '2024-01-01T00:00:00.000000+00:00',
          LastChangedDate: '2024-01-01T00:00:00+00:00',
          LastAccessedDate: '2026-11-28T00:00:00+00:00',
          Tags: [{ Key: 'owner', Value: 'dba@example.com' }],
          ResourcePolicy: JSON.stringify(resourcesOf(accountWithResources()).secrets[0]!.Policy),
        },
        {
          ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rotated/api-key-AbCdEf`,
          Name: 'rotated/api-key',
          RotationEnabled: true,
          RotationRules: { AutomaticallyAfterDays: 30 },
          CreatedDate: '2025-01-01T00:00:00+00:00',
          LastRotatedDate: '2026-11-15T00:00:00+00:00',
          LastChangedDate: '2026-11-15T00:00:00+00:00',
        },
        { Name: 'no-arn' },
      ],
    };
    const text = JSON.stringify(exported);
    const { importer, input } = findImporter(awsImporters, 'secrets.json', text);
    expect(importer?.id).toBe('aws-list-secrets');
    const imported = await importer!.read(input, testContext('import:secrets.json'));
    const strip = (c: Credential) => ({ ...c, source: '' });
    expect(imported.credentials.map(strip)).toEqual(liveSecrets.map(strip));
    expect(imported.notCovered).toEqual([{ part: 'secrets.json $.SecretList[2].ARN', reason: expect.stringMatching(/expected string.*; entry skipped$/) }]);
  });
});

describe('S3, Lambda, SNS and SQS policy imports (AWS CLI outputs)', () => {
  const r = resourcesOf(accountWithResources());
  const policy = (doc?: object) => (doc ? { Policy: JSON.stringify(doc) } : {});
  const functionArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
  /** What the loops of docs/aws.md print for the emulated account. */
  const exports = {
    'bucket-policies.json': r.buckets.map((b) => ({ ...policy(b.Policy), Bucket: b.Name, AccountId: ACCOUNT })),
    'function-policies.json': r.functions.map((f) => ({
      ...policy(f.Policy),
      ...(f.Policy ? { RevisionId: 'rev-1' } : {}),
      FunctionArn: functionArn(f.FunctionName),
      Role: f.Role,
    })),
    'topic-policies.json': r.topics.map((t) => ({
      Attributes: { ...policy(t.Policy), TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${t.Name}`, Owner: ACCOUNT, DisplayName: '' },
    })),
    'queue-policies.json': r.queues.map((q) => ({ Attributes: { ...policy(q.Policy), QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${q.Name}` } })),
  };

  async function importText(file: string, value: unknown, ctx = testContext(`import:${file}`)) {
    const { importer, input } = findImporter(awsImporters, file, JSON.stringify(value));
    return { id: importer?.id, result: await importer!.read(input, ctx) };
  }

  it('yields the same resources as the live read, each format recognised from its content', async () => {
    await start();
    const live = await awsConnector.collect(testContext('aws', { options: { ...FAST, resourcePolicies: true } }));
    // A bucket's region comes from ListBuckets; get-bucket-policy does not print it (nor does the analysis use it).
    const comparable = (x: { kind: string; attributes: object }) => ({
      ...x,
      source: '',
      attributes: { ...x.attributes, region: x.kind === 'aws-s3-bucket' ? '' : (x.attributes as { region?: string }).region },
    });
    const ids: string[] = [];
    for (const [file, value] of Object.entries(exports)) {
      const { id, result } = await importText(file, value);
      ids.push(id!);
      expect(result.notCovered).toEqual([]);
      const kind = result.resources![0]!.kind;
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect(result.resources!.map(comparable).sort(byId)).toEqual(
        live
          .resources!.filter((x) => x.kind === kind)
          .map(comparable)
          .sort(byId),
      );
    }
    expect(ids).toEqual(['aws-s3-bucket-policy', 'aws-lambda-policy', 'aws-sns-topic-attributes', 'aws-sqs-queue-attributes']);
  });

  it('a bare output names its resource by what its policy names; one that names none is skipped and named, the rest read', async () => {
    const nightly = r.functions.find((f) => f.FunctionName === 'nightly')!;
    const deployer = r.functions.find((f) => f.FunctionName === 'deployer')!; // its statement says Resource "*"
    const lambda = await importText('policies.json', [
      { Policy: JSON.stringify(nightly.Policy), RevisionId: 'a' },
      { Policy: JSON.stringify(deployer.Policy), RevisionId: 'b' },
    ]);
    expect(lambda.id).toBe('aws-lambda-policy');
    expect(lambda.result.resources!.map((x) => [x.nativeId, x.scope])).toEqual([[functionArn('nightly'), ACCOUNT]]);
    expect(lambda.result.notCovered).toEqual([{ part: 'policies.json[1]', reason: 'no `FunctionArn`, and the policy does not name one function; skipped' }]);

    const site = { Policy: JSON.stringify(r.buckets[0]!.Policy) };
    const withAccount = await importText('site.json', site, testContext('import:site.json', { options: { accountId: ACCOUNT } }));
    expect(withAccount.id).toBe('aws-s3-bucket-policy');
    expect(withAccount.result.resources!.map((x) => [x.nativeId, x.scope])).toEqual([['arn:aws:s3:::public-site', ACCOUNT]]);
    // Without an account the bucket's same-account grants cannot be told from foreign ones: not guessed.
    const without = await importText('site.json', site);
    expect(without.result.resources).toEqual([]);
    expect(without.result.notCovered![0]!.reason).toMatch(/account of bucket public-site is unknown: add `AccountId` or set settings\.aws\.accountId/);
  });

  it('through the engine: findings as live, a same-account grant joins the principal, a bad file fails alone and names itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-policy-imports-'));
    for (const [file, value] of Object.entries(exports)) writeFileSync(join(dir, file), JSON.stringify(value));
    writeFileSync(join(dir, 'auth.json'), JSON.stringify(authorizationDetailsExport(accountWithResources())[0]));
    writeFileSync(join(dir, 'broken.json'), '[{"Attributes": {"QueueArn": "not an arn"}}]');
    const registry = new Registry();
    registry.register(corePlugin).register(awsPlugin).register(awsAnalysisPlugin);
    const files = ['auth.json', ...Object.keys(exports), 'broken.json'];
    const result = await runScan({
      registry,
      config: defaultConfig(),
      sources: files.map((f) => `import:${f}`),
      now: new Date('2026-11-29T00:00:00Z'),
      log: silentLogger,
      baseDir: dir,
    });
    expect(result.sources.map((s) => [s.spec, s.status])).toEqual([...files.slice(0, -1).map((f) => [`import:${f}`, 'ok']), ['import:broken.json', 'partial']]);
    expect(JSON.stringify(result.sources.at(-1))).toContain('broken.json[0]');
    const open = result.findings.filter((f) => f.ruleId === 'aws-resource-policy-public').map((f) => f.resource.name);
    expect(open.sort()).toEqual(['alerts', 'jobs', 'public-site']);
    const contractor = result.inventory.identities.find((i) => i.name === 'contractor')!;
    const paths = (contractor.attributes.effective as { escalationPaths: { reach: string; actions: { sources: string[] }[] }[] }).escalationPaths;
    expect(paths.find((p) => p.actions.some((a) => a.sources.some((s) => s.includes('resource policy of lambda-function nightly'))))).toMatchObject({
      reach: 'admin',
    });
  });
});
