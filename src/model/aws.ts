/**
 * What the AWS collector puts in `Identity.attributes` / `Credential.attributes`, and what the
 * AWS analysis (effective permissions, escalation paths) and the AWS rules read. Both the live
 * client and the offline importers produce exactly this.
 */
import { isOfKind, type Credential, type Identity, type Inventory, type Resource, type WithAttributes } from './index.js';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** One policy that applies to a principal, already resolved to its default version's document. */
export interface AttachedPolicy {
  name: string;
  /** Managed policies only. */
  arn?: string;
  /** Where it attaches: directly to the principal, or through a group. */
  type: 'managed' | 'inline' | 'group-managed' | 'group-inline';
  /** For group policies, the group name. */
  group?: string;
  /** AWS-managed (arn:aws:iam::aws:policy/...) vs customer-managed. */
  awsManaged?: boolean;
  document: PolicyDocument;
  /**
   * (additive) true when the managed policy's document was not in the export (e.g. an AWS-managed policy
   * missing from a filtered or single-page export): `document` is then an empty statement list and the
   * analysis should judge the policy by its ARN or report it as not evaluated.
   */
  unresolved?: boolean;
}

/** `Identity.attributes` for kinds `iam-user`, `iam-role` (and `iam-root`). */
export interface AwsPrincipalAttributes {
  arn: string;
  accountId: string;
  path?: string;
  policies: AttachedPolicy[];
  permissionsBoundary?: { arn: string; document?: PolicyDocument };
  /** Users: the groups it belongs to. */
  groups?: string[];
  /** Roles: the trust policy (AssumeRolePolicyDocument), decoded. */
  trustPolicy?: PolicyDocument;
  /** Roles: RoleLastUsed.LastUsedDate (also on Identity.lastUsedAt). */
  roleLastUsedRegion?: string;
  /** Users, from the credential report. */
  passwordEnabled?: boolean;
  passwordLastUsed?: string;
  mfaActive?: boolean;
  /** Service-linked roles and the root user cannot carry owner tags. */
  providerManaged?: boolean;
  instanceProfiles?: string[];
  /** (additive) The stable unique id AWS assigns (AIDA… for users, AROA… for roles). */
  uniqueId?: string;
  /** (additive) Roles under /aws-service-role/: created and owned by an AWS service. */
  serviceLinked?: boolean;
}

/** `Credential.attributes` for kind `aws-access-key` (nativeId = access key id, which is not secret). */
export interface AwsAccessKeyAttributes {
  accessKeyId: string;
  userName: string;
  accountId: string;
  /** 1 or 2: the slot in the credential report. */
  slot?: number;
  lastUsedService?: string;
  lastUsedRegion?: string;
  /** AWS keys cannot carry an expiry: the neutral long-lived rule leaves them to rotation rules. */
  supportsExpiry: false;
  isRoot?: boolean;
  /** (additive) AWS records last use of every access key, so "never used" is a fact, not a guess. */
  usageTracked?: true;
  /**
   * (additive) true when only the credential report described the key: the report has no key ids, so
   * `accessKeyId` is '' and `nativeId` is `${userArn}#key${slot}` until a ListAccessKeys listing (live, or an
   * imported `aws iam list-access-keys` export) supplies the real id.
   */
  idFromReportSlot?: boolean;
}

/* Typed accessors: they check provider and kind, then type the attributes the connector wrote. */

export const AWS_PROVIDER = 'aws';
export const AWS_PRINCIPAL_KINDS = ['iam-user', 'iam-role', 'iam-root'] as const;
export type AwsPrincipalKind = (typeof AWS_PRINCIPAL_KINDS)[number];
export const KIND_ACCESS_KEY = 'aws-access-key';

export type AwsPrincipal<K extends AwsPrincipalKind = AwsPrincipalKind> = WithAttributes<Identity, AwsPrincipalAttributes, K>;
export type AwsAccessKey = WithAttributes<Credential, AwsAccessKeyAttributes, typeof KIND_ACCESS_KEY>;

/**
 * An IAM user, role or root user (of `kinds` when given). Principals known only from a credential report carry
 * no policy list: readers treat a missing `policies` as empty.
 */
export function isAwsPrincipal(item: Identity): item is AwsPrincipal;
export function isAwsPrincipal<K extends AwsPrincipalKind>(item: Identity, kinds: readonly K[]): item is AwsPrincipal<K>;
export function isAwsPrincipal(item: Identity, kinds: readonly AwsPrincipalKind[] = AWS_PRINCIPAL_KINDS): boolean {
  return isOfKind(item, AWS_PROVIDER, kinds);
}

/** An access key the provider lists (managed or found by the connector); a key id found in code has kind `leaked-secret`. */
export function isAwsAccessKey(item: Credential): item is AwsAccessKey {
  return isOfKind(item, AWS_PROVIDER, [KIND_ACCESS_KEY]);
}

export function awsPrincipalAttributes(item: Identity): AwsPrincipalAttributes | undefined {
  return isAwsPrincipal(item) ? item.attributes : undefined;
}

/**
 * `Resource.attributes` for kind `aws-account` (id `aws:aws-account:<account id>`): where the account
 * sits in its AWS Organization, so service control policies can be applied level by level.
 */
export interface AwsAccountAttributes {
  accountId: string;
  organizationId?: string;
  /** The organisation root first, then each OU down to the account's parent (`r-…`, `ou-…`). */
  parents: string[];
  /** SCPs do not apply to the management account. */
  managementAccount?: boolean;
}

/** `Resource.attributes` for kind `aws-scp` (id `aws:aws-scp:<policy id>`): one service control policy. */
export interface AwsScpAttributes {
  policyId: string;
  arn?: string;
  document: PolicyDocument;
  /** Ids it is attached to: the root (`r-…`), OUs (`ou-…`) and accounts. */
  targets: string[];
  awsManaged?: boolean;
}

/**
 * Resources and credentials that carry a resource-based policy: who, besides the identities' own policies,
 * may act on them. Secrets Manager secrets and customer-managed KMS keys are credentials (an NHI uses them
 * to reach data); buckets, functions, topics and queues are resources.
 */
export const AWS_POLICY_RESOURCE_KINDS = ['aws-s3-bucket', 'aws-lambda-function', 'aws-sns-topic', 'aws-sqs-queue'] as const;
export const KIND_SECRET = 'aws-secret';
export const KIND_KMS_KEY = 'aws-kms-key';
export type AwsPolicyService = 'kms' | 'secretsmanager' | 's3' | 'lambda' | 'sns' | 'sqs';

/** What every holder of a resource policy carries (`Resource.attributes` / `Credential.attributes`). */
export interface AwsResourcePolicyAttributes {
  arn: string;
  accountId: string;
  service: AwsPolicyService;
  region?: string;
  /** The resource policy, decoded; absent when the resource has none. */
  policy?: PolicyDocument;
  /** Set when the resource has a policy that could not be read or decoded (the reason). */
  policyUnreadable?: string;
  /** Lambda: the execution role the function runs as (code that runs there gets its rights). */
  executionRole?: string;
}

/** `Credential.attributes` for kind `aws-secret` (nativeId = the secret's ARN; never its value). */
export interface AwsSecretAttributes extends AwsResourcePolicyAttributes {
  service: 'secretsmanager';
  rotationEnabled: boolean;
  rotationDays?: number;
  /** Secrets created and rotated by another AWS service (RDS, Redshift...) for itself. */
  owningService?: string;
  kmsKeyId?: string;
  /** (additive) `LastChangedDate`: the last change of the secret in any way (a new value, tags, settings). */
  lastChangedAt?: string;
  /** Secrets Manager records the day each secret was last read: "never accessed" is a fact. */
  usageTracked: true;
  supportsExpiry: false;
}

/** `Credential.attributes` for kind `aws-kms-key` (customer-managed keys only; nativeId = the key ARN). */
export interface AwsKmsKeyAttributes extends AwsResourcePolicyAttributes {
  service: 'kms';
  keyId: string;
  rotationEnabled: boolean;
  rotationDays?: number;
  keyState?: string;
  keySpec?: string;
  /** Symmetric keys rotate automatically; asymmetric, HMAC and imported keys cannot. */
  rotationSupported: boolean;
  /** KMS keeps no last-use date: "unused" cannot be judged from the key alone. */
  usageTracked: false;
  supportsExpiry: false;
}

export type AwsPolicyHolder =
  (Resource & { attributes: AwsResourcePolicyAttributes & Record<string, unknown> }) | WithAttributes<Credential, AwsResourcePolicyAttributes>;

export function isAwsSecret(item: Credential): item is WithAttributes<Credential, AwsSecretAttributes, typeof KIND_SECRET> {
  return isOfKind(item, AWS_PROVIDER, [KIND_SECRET]);
}

export function isAwsKmsKey(item: Credential): item is WithAttributes<Credential, AwsKmsKeyAttributes, typeof KIND_KMS_KEY> {
  return isOfKind(item, AWS_PROVIDER, [KIND_KMS_KEY]);
}

/** Every resource, secret and key of the inventory that has a resource policy, with its attributes typed. */
export function awsPolicyHolders(inventory: Inventory): AwsPolicyHolder[] {
  const out: AwsPolicyHolder[] = [];
  for (const r of inventory.resources ?? []) {
    if (r.provider === AWS_PROVIDER && (AWS_POLICY_RESOURCE_KINDS as readonly string[]).includes(r.kind) && hasPolicy(r.attributes))
      out.push(r as AwsPolicyHolder);
  }
  for (const c of inventory.credentials) if ((isAwsSecret(c) || isAwsKmsKey(c)) && hasPolicy(c.attributes)) out.push(c as AwsPolicyHolder);
  return out;
}

/** Every Lambda function of the inventory with the execution role it runs as (function ARN → role ARN). */
export function awsFunctionRoles(inventory: Inventory): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of inventory.resources ?? []) {
    const a = r.attributes as Partial<AwsResourcePolicyAttributes>;
    if (r.provider === AWS_PROVIDER && r.kind === 'aws-lambda-function' && typeof a.arn === 'string' && typeof a.executionRole === 'string')
      out.set(a.arn, a.executionRole);
  }
  return out;
}

function hasPolicy(attributes: Record<string, unknown>): boolean {
  const policy = attributes.policy as PolicyDocument | undefined;
  return typeof attributes.arn === 'string' && !!policy && typeof policy === 'object' && 'Statement' in policy;
}
