/**
 * What the AWS collector puts in `Identity.attributes` / `Credential.attributes`, and what the
 * AWS analysis (effective permissions, escalation paths) and the AWS rules read. Both the live
 * client and the offline importers produce exactly this.
 */
import { isOfKind, type Credential, type Identity, type WithAttributes } from './index.js';

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
