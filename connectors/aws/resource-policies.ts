/**
 * Resource-based policies and the credentials that carry them, as the shared model: Secrets Manager
 * secrets and customer-managed KMS keys become credentials (kinds `aws-secret`, `aws-kms-key`), S3
 * buckets, Lambda functions, SNS topics and SQS queues become resources. The live collector and the
 * offline importer (`aws secretsmanager list-secrets`) go through here, so both yield the same ids.
 */
import { makeId, type Credential, type Resource } from '../../src/model/index.js';
import type { AwsKmsKeyAttributes, AwsPolicyService, AwsResourcePolicyAttributes, AwsSecretAttributes } from '../../src/model/aws.js';
import { toIsoDate } from '../../src/time.js';
import { decodePolicyDocument, PolicyDocumentError } from './documents.js';

/** A secret as ListSecrets (API or `aws secretsmanager list-secrets`) describes it. */
export interface RawSecret {
  ARN?: string;
  Name?: string;
  Description?: string;
  KmsKeyId?: string;
  RotationEnabled?: boolean;
  RotationRules?: { AutomaticallyAfterDays?: number };
  LastRotatedDate?: unknown;
  LastChangedDate?: unknown;
  LastAccessedDate?: unknown;
  DeletedDate?: unknown;
  CreatedDate?: unknown;
  OwningService?: string;
  Tags?: { Key?: string; Value?: string }[];
}

/** A customer-managed KMS key with what DescribeKey, GetKeyRotationStatus, ListKeyRotations and ListResourceTags said. */
export interface RawKmsKey {
  metadata: {
    KeyId?: string;
    Arn?: string;
    AWSAccountId?: string;
    CreationDate?: unknown;
    Description?: string;
    KeyState?: string;
    KeySpec?: string;
    KeyManager?: string;
    Origin?: string;
  };
  rotationEnabled?: boolean;
  rotationDays?: number;
  lastRotatedAt?: unknown;
  tags?: { TagKey?: string; TagValue?: string }[];
  aliases?: string[];
}

export type PolicyResourceKind = 'aws-s3-bucket' | 'aws-lambda-function' | 'aws-sns-topic' | 'aws-sqs-queue';

const SERVICE_OF: Record<PolicyResourceKind, AwsPolicyService> = {
  'aws-s3-bucket': 's3',
  'aws-lambda-function': 'lambda',
  'aws-sns-topic': 'sns',
  'aws-sqs-queue': 'sqs',
};

export interface RawPolicyResource {
  arn: string;
  name: string;
  accountId: string;
  region?: string;
  /** The policy as the API returns it (a JSON string); undefined when the resource has none. */
  policy?: unknown;
  executionRole?: string;
  tags?: Record<string, string>;
}

export const secretId = (arn: string) => makeId('aws', 'aws-secret', arn);
export const kmsKeyId = (arn: string) => makeId('aws', 'aws-kms-key', arn);

/** The decoded policy, or why it could not be read; nothing when there is no policy. */
export function policyFacts(value: unknown, what: string): Pick<AwsResourcePolicyAttributes, 'policy' | 'policyUnreadable'> {
  if (value === undefined || value === null || value === '') return {};
  try {
    return { policy: decodePolicyDocument(value, what) };
  } catch (error) {
    if (!(error instanceof PolicyDocumentError)) throw error;
    return { policyUnreadable: error.message };
  }
}

/** ARN fields: `arn:partition:service:region:account:…`. */
export function arnParts(arn: string): { region?: string; accountId?: string } {
  const [, , , region, accountId] = arn.split(':');
  return { ...(region ? { region } : {}), ...(accountId ? { accountId } : {}) };
}

export function secretCredential(raw: RawSecret, policy: unknown, source: string): Credential | undefined {
  if (!raw.ARN) return undefined;
  const { region, accountId = '' } = arnParts(raw.ARN);
  const name = raw.Name ?? raw.ARN.split(':').at(-1)!;
  const attributes: AwsSecretAttributes = {
    arn: raw.ARN,
    accountId,
    service: 'secretsmanager',
    ...(region ? { region } : {}),
    ...policyFacts(policy, `resource policy of secret ${name}`),
    rotationEnabled: raw.RotationEnabled === true,
    ...(raw.RotationRules?.AutomaticallyAfterDays ? { rotationDays: raw.RotationRules.AutomaticallyAfterDays } : {}),
    ...(raw.OwningService ? { owningService: raw.OwningService } : {}),
    ...(raw.KmsKeyId ? { kmsKeyId: raw.KmsKeyId } : {}),
    ...(toIsoDate(raw.LastChangedDate) ? { lastChangedAt: toIsoDate(raw.LastChangedDate) } : {}),
    usageTracked: true,
    supportsExpiry: false,
  };
  const createdAt = toIsoDate(raw.CreatedDate);
  return strip<Credential>({
    id: secretId(raw.ARN),
    provider: 'aws',
    kind: 'aws-secret',
    nativeId: raw.ARN,
    name,
    scope: accountId || undefined,
    tags: Object.fromEntries((raw.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ''])),
    createdAt,
    // A secret never rotated still holds the value it was created with.
    lastRotatedAt: toIsoDate(raw.LastRotatedDate) ?? createdAt,
    lastUsedAt: toIsoDate(raw.LastAccessedDate),
    status: raw.DeletedDate ? 'inactive' : 'active',
    attributes: { ...attributes },
    source,
  });
}

export function kmsKeyCredential(raw: RawKmsKey, policy: unknown, source: string): Credential | undefined {
  const m = raw.metadata;
  if (!m.Arn || !m.KeyId) return undefined;
  const { region, accountId = m.AWSAccountId ?? '' } = arnParts(m.Arn);
  const spec = m.KeySpec ?? 'SYMMETRIC_DEFAULT';
  const attributes: AwsKmsKeyAttributes = {
    arn: m.Arn,
    accountId,
    service: 'kms',
    ...(region ? { region } : {}),
    ...policyFacts(policy, `key policy of KMS key ${m.KeyId}`),
    keyId: m.KeyId,
    rotationEnabled: raw.rotationEnabled === true,
    ...(raw.rotationDays ? { rotationDays: raw.rotationDays } : {}),
    ...(m.KeyState ? { keyState: m.KeyState } : {}),
    keySpec: spec,
    // Automatic rotation exists only for symmetric keys whose material KMS generated.
    rotationSupported: spec === 'SYMMETRIC_DEFAULT' && (m.Origin ?? 'AWS_KMS') === 'AWS_KMS',
    usageTracked: false,
    supportsExpiry: false,
  };
  const createdAt = toIsoDate(m.CreationDate);
  return strip<Credential>({
    id: kmsKeyId(m.Arn),
    provider: 'aws',
    kind: 'aws-kms-key',
    nativeId: m.Arn,
    name: raw.aliases?.[0]?.replace(/^alias\//, '') ?? m.KeyId,
    scope: accountId || undefined,
    tags: Object.fromEntries((raw.tags ?? []).filter((t) => t.TagKey).map((t) => [t.TagKey!, t.TagValue ?? ''])),
    createdAt,
    lastRotatedAt: toIsoDate(raw.lastRotatedAt) ?? createdAt,
    status: m.KeyState === undefined || m.KeyState === 'Enabled' ? 'active' : 'inactive',
    attributes: { ...attributes },
    source,
  });
}

export function policyResource(kind: PolicyResourceKind, raw: RawPolicyResource, source: string): Resource {
  const attributes: AwsResourcePolicyAttributes = {
    arn: raw.arn,
    accountId: raw.accountId,
    service: SERVICE_OF[kind],
    ...(raw.region ? { region: raw.region } : {}),
    ...policyFacts(raw.policy, `resource policy of ${kind.replace(/^aws-/, '')} ${raw.name}`),
    ...(raw.executionRole ? { executionRole: raw.executionRole } : {}),
  };
  return {
    id: makeId('aws', kind, raw.arn),
    provider: 'aws',
    kind,
    nativeId: raw.arn,
    name: raw.name,
    scope: raw.accountId,
    tags: raw.tags ?? {},
    attributes: { ...attributes },
    source,
  };
}

function strip<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
