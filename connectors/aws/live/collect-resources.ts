/**
 * Resource-based policies of one account, in each region of the scan (S3 once: its listing is global), read-only: Secrets Manager secrets
 * (ListSecrets, GetResourcePolicy), customer-managed KMS keys (ListKeys, ListAliases, DescribeKey,
 * GetKeyPolicy, GetKeyRotationStatus, ListKeyRotations, ListResourceTags), S3 buckets (ListBuckets,
 * GetBucketPolicy), Lambda functions (ListFunctions, GetPolicy), SNS topics (ListTopics,
 * GetTopicAttributes) and SQS queues (ListQueues, GetQueueAttributes). Each service (in each region, when
 * there are several) is a part of its own: one that cannot be read is named in `notCovered` and the others go on.
 */
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import type { ListAliasesCommandOutput, ListKeysCommandOutput } from '@aws-sdk/client-kms';
import { GetResourcePolicyCommand, ListSecretsCommand, type ListSecretsCommandOutput } from '@aws-sdk/client-secrets-manager';
import { GetBucketPolicyCommand, ListBucketsCommand, type ListBucketsCommandOutput } from '@aws-sdk/client-s3';
import { GetPolicyCommand, ListFunctionsCommand, type ListFunctionsCommandOutput } from '@aws-sdk/client-lambda';
import { GetTopicAttributesCommand, ListTopicsCommand, type ListTopicsCommandOutput } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueuesCommand, type ListQueuesCommandOutput } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import type { Credential, Resource } from '../../../src/model/index.js';
import type { SourceError } from '../../../src/plugin.js';
import { kmsKeyCredential, policyResource, secretCredential, type RawKmsKey, type RawPolicyResource } from '../resource-policies.js';
import { CallFailed, errorCode, type AwsCalls } from './calls.js';
import type { AwsClients } from './clients.js';

export interface ResourceCollection {
  credentials: Credential[];
  resources: Resource[];
  errors: SourceError[];
  notCovered: { part: string; reason: string }[];
  stats: Record<string, number>;
}

interface Scope {
  clients: AwsClients;
  calls: AwsCalls;
  accountId: string;
  region: string;
  source: string;
  limit: ReturnType<typeof pLimit>;
}

type Part = (scope: Scope) => Promise<{ credentials?: Credential[]; resources?: Resource[] }>;

const PARTS: [name: string, read: Part][] = [
  ['secretsmanager', readSecrets],
  ['kms', readKmsKeys],
  ['s3', readBuckets],
  ['lambda', readFunctions],
  ['sns', readTopics],
  ['sqs', readQueues],
];

export async function collectResourcePolicies(
  clients: AwsClients,
  calls: AwsCalls,
  target: { accountId: string; regions: readonly string[]; source: string; concurrency: number },
): Promise<ResourceCollection> {
  const out: ResourceCollection = { credentials: [], resources: [], errors: [], notCovered: [], stats: {} };
  const limit = pLimit(target.concurrency);
  const several = target.regions.length > 1;
  const reads = target.regions.flatMap((region, i) => {
    const scope: Scope = { clients: clients.inRegion(region), calls, accountId: target.accountId, region, source: target.source, limit };
    // ListBuckets names every bucket of every region: read S3 in the first region only.
    return PARTS.filter(([name]) => i === 0 || name !== 's3').map(([name, read]) => ({
      name,
      read,
      scope,
      part: `resource-policies:${name}${several && name !== 's3' ? `:${region}` : ''}`,
    }));
  });
  await Promise.all(
    reads.map(async ({ name, read, scope, part }) => {
      try {
        const got = await read(scope);
        out.credentials.push(...(got.credentials ?? []));
        out.resources.push(...(got.resources ?? []));
        out.stats[`${name}Resources`] = (out.stats[`${name}Resources`] ?? 0) + (got.credentials?.length ?? 0) + (got.resources?.length ?? 0);
      } catch (error) {
        out.errors.push({ part, message: error instanceof Error ? error.message : String(error) });
        out.notCovered.push({ part, reason: `${name} resources and their policies in ${scope.region} could not be read (${errorCode(error)})` });
      }
    }),
  );
  // Stable order whatever the call timing.
  out.credentials.sort((a, b) => a.id.localeCompare(b.id));
  out.resources.sort((a, b) => a.id.localeCompare(b.id));
  return out;
}

/** A call whose "not found" answer means "no policy" rather than a failure. */
async function orNone<T>(call: Promise<T>, notFound: RegExp): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof CallFailed && notFound.test(error.code)) return undefined;
    throw error;
  }
}

async function readSecrets(s: Scope): Promise<{ credentials: Credential[] }> {
  const secrets: NonNullable<ListSecretsCommandOutput['SecretList']> = [];
  let token: string | undefined;
  do {
    const page: ListSecretsCommandOutput = await s.calls.send(
      s.clients.secretsManager,
      new ListSecretsCommand({ NextToken: token, MaxResults: 100 }),
      'resource-policies:secretsmanager',
    );
    secrets.push(...(page.SecretList ?? []));
    token = page.NextToken;
  } while (token);
  const credentials = await Promise.all(
    secrets.map((secret) =>
      s.limit(async () => {
        const policy = await s.calls.send<{ ResourcePolicy?: string }>(
          s.clients.secretsManager,
          new GetResourcePolicyCommand({ SecretId: secret.ARN }),
          `resource-policies:secretsmanager:${secret.Name}`,
        );
        return secretCredential(secret, policy.ResourcePolicy, s.source);
      }),
    ),
  );
  return { credentials: credentials.filter((c): c is Credential => !!c) };
}

async function readKmsKeys(s: Scope): Promise<{ credentials: Credential[] }> {
  const part = 'resource-policies:kms';
  const keys: NonNullable<ListKeysCommandOutput['Keys']> = [];
  let marker: string | undefined;
  do {
    const page: ListKeysCommandOutput = await s.calls.send(s.clients.kms, new ListKeysCommand({ Marker: marker }), part);
    keys.push(...(page.Keys ?? []));
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  const aliases = new Map<string, string[]>();
  marker = undefined;
  do {
    const page: ListAliasesCommandOutput = await s.calls.send(s.clients.kms, new ListAliasesCommand({ Marker: marker }), part);
    for (const a of page.Aliases ?? []) if (a.TargetKeyId && a.AliasName) aliases.set(a.TargetKeyId, [...(aliases.get(a.TargetKeyId) ?? []), a.AliasName]);
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
  const credentials = await Promise.all(keys.map((k) => s.limit(() => readKmsKey(s, k.KeyId!, aliases.get(k.KeyId!) ?? []))));
  return { credentials: credentials.filter((c): c is Credential => !!c) };
}

async function readKmsKey(s: Scope, keyId: string, aliases: string[]): Promise<Credential | undefined> {
  const part = `resource-policies:kms:${keyId}`;
  const described = await s.calls.send<{ KeyMetadata?: RawKmsKey['metadata'] }>(s.clients.kms, new DescribeKeyCommand({ KeyId: keyId }), part);
  const metadata = described.KeyMetadata;
  // AWS-managed keys (aws/s3, aws/secretsmanager...) belong to the services: their policies are AWS's.
  if (!metadata || metadata.KeyManager !== 'CUSTOMER' || metadata.KeyState === 'PendingDeletion') return undefined;
  const policy = await s.calls.send<{ Policy?: string }>(s.clients.kms, new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }), part);
  const symmetric = (metadata.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT';
  // Rotation status exists only for symmetric keys; asking for others is an UnsupportedOperationException.
  const rotation = symmetric
    ? await s.calls.send<{ KeyRotationEnabled?: boolean; RotationPeriodInDays?: number }>(
        s.clients.kms,
        new GetKeyRotationStatusCommand({ KeyId: keyId }),
        part,
      )
    : undefined;
  const rotations = symmetric
    ? await s.calls.send<{ Rotations?: { RotationDate?: Date }[] }>(s.clients.kms, new ListKeyRotationsCommand({ KeyId: keyId }), part)
    : undefined;
  const tags = await s.calls.send<{ Tags?: RawKmsKey['tags'] }>(s.clients.kms, new ListResourceTagsCommand({ KeyId: keyId }), part);
  const lastRotatedAt = (rotations?.Rotations ?? [])
    .map((r) => r.RotationDate)
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => a.getTime() - b.getTime())
    .at(-1);
  return kmsKeyCredential(
    { metadata, rotationEnabled: rotation?.KeyRotationEnabled, rotationDays: rotation?.RotationPeriodInDays, lastRotatedAt, tags: tags.Tags, aliases },
    policy.Policy,
    s.source,
  );
}

async function readBuckets(s: Scope): Promise<{ resources: Resource[] }> {
  const buckets: NonNullable<ListBucketsCommandOutput['Buckets']> = [];
  let token: string | undefined;
  do {
    const page: ListBucketsCommandOutput = await s.calls.send(s.clients.s3, new ListBucketsCommand({ ContinuationToken: token }), 'resource-policies:s3');
    buckets.push(...(page.Buckets ?? []));
    token = page.ContinuationToken;
  } while (token);
  return {
    resources: await Promise.all(
      buckets
        .filter((b) => b.Name)
        .map((b) =>
          s.limit(async () => {
            const got = await orNone(
              s.calls.send<{ Policy?: string }>(s.clients.s3, new GetBucketPolicyCommand({ Bucket: b.Name }), `resource-policies:s3:${b.Name}`),
              /NoSuchBucketPolicy/,
            );
            const raw: RawPolicyResource = {
              arn: `arn:aws:s3:::${b.Name}`,
              name: b.Name!,
              accountId: s.accountId,
              region: b.BucketRegion ?? s.region,
              policy: got?.Policy,
            };
            return policyResource('aws-s3-bucket', raw, s.source);
          }),
        ),
    ),
  };
}

async function readFunctions(s: Scope): Promise<{ resources: Resource[] }> {
  const functions: NonNullable<ListFunctionsCommandOutput['Functions']> = [];
  let marker: string | undefined;
  do {
    const page: ListFunctionsCommandOutput = await s.calls.send(s.clients.lambda, new ListFunctionsCommand({ Marker: marker }), 'resource-policies:lambda');
    functions.push(...(page.Functions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return {
    resources: await Promise.all(
      functions
        .filter((f) => f.FunctionArn && f.FunctionName)
        .map((f) =>
          s.limit(async () => {
            const part = `resource-policies:lambda:${f.FunctionName}`;
            const got = await orNone(
              s.calls.send<{ Policy?: string }>(s.clients.lambda, new GetPolicyCommand({ FunctionName: f.FunctionName }), part),
              /ResourceNotFound/,
            );
            const raw: RawPolicyResource = {
              arn: f.FunctionArn!,
              name: f.FunctionName!,
              accountId: s.accountId,
              region: s.region,
              policy: got?.Policy,
              executionRole: f.Role,
            };
            return policyResource('aws-lambda-function', raw, s.source);
          }),
        ),
    ),
  };
}

async function readTopics(s: Scope): Promise<{ resources: Resource[] }> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page: ListTopicsCommandOutput = await s.calls.send(s.clients.sns, new ListTopicsCommand({ NextToken: token }), 'resource-policies:sns');
    for (const t of page.Topics ?? []) if (t.TopicArn) arns.push(t.TopicArn);
    token = page.NextToken;
  } while (token);
  return {
    resources: await Promise.all(
      arns.map((arn) =>
        s.limit(async () => {
          const name = arn.split(':').at(-1)!;
          const got = await s.calls.send<{ Attributes?: Record<string, string> }>(
            s.clients.sns,
            new GetTopicAttributesCommand({ TopicArn: arn }),
            `resource-policies:sns:${name}`,
          );
          return policyResource('aws-sns-topic', { arn, name, accountId: s.accountId, region: s.region, policy: got.Attributes?.Policy }, s.source);
        }),
      ),
    ),
  };
}

async function readQueues(s: Scope): Promise<{ resources: Resource[] }> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const page: ListQueuesCommandOutput = await s.calls.send(
      s.clients.sqs,
      new ListQueuesCommand({ NextToken: token, MaxResults: 1000 }),
      'resource-policies:sqs',
    );
    urls.push(...(page.QueueUrls ?? []));
    token = page.NextToken;
  } while (token);
  return {
    resources: await Promise.all(
      urls.map((url) =>
        s.limit(async () => {
          const name = url.split('/').at(-1)!;
          const got = await s.calls.send<{ Attributes?: Record<string, string> }>(
            s.clients.sqs,
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy', 'QueueArn'] }),
            `resource-policies:sqs:${name}`,
          );
          const arn = got.Attributes?.QueueArn ?? `arn:aws:sqs:${s.region}:${s.accountId}:${name}`;
          return policyResource('aws-sqs-queue', { arn, name, accountId: s.accountId, region: s.region, policy: got.Attributes?.Policy }, s.source);
        }),
      ),
    ),
  };
}
