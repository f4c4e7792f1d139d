/**
 * The shared inventory model. Every connector normalises what it collects into
 * these shapes; enrichers add derived facts; rules read them; reporters render them.
 *
 * Conventions:
 * - Dates are ISO 8601 UTC strings (`2026-01-31T12:00:00.000Z`); use `toIsoDate` from ./time.ts.
 * - `id` fields are nhiscan-wide unique and stable across runs: `${provider}:${kind}:${nativeId}`
 *   (see `makeId`). Rules and fingerprints rely on this stability.
 * - Never store a secret's value anywhere in the model: only `SecretEvidence` (redacted preview + hash).
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  'leaked-secret',
  'excess-privilege',
  'missing-owner',
  'unrotated-credential',
  'unused-credential',
  'long-lived-credential',
  'insecure-configuration',
  'improper-offboarding',
  'reuse',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Built-in providers; plugins may add their own strings. */
export type Provider = 'git' | 'dir' | 'github' | 'aws' | 'azure' | (string & {});

export interface Owner {
  /** Who: an email, a login, a team slug, an object id... */
  id: string;
  kind: 'user' | 'team' | 'email' | 'group' | 'service' | 'unknown';
  /** Where the owner was resolved from, e.g. `tag:owner`, `codeowners`, `added_by`, `config`. */
  source: string;
  displayName?: string;
  /** false when the owner is known to have left (deleted user, departed member). */
  active?: boolean;
}

/**
 * One privilege an identity holds. Kept deliberately generic: AWS puts IAM actions here,
 * GitHub puts permission scopes (`contents:write`), Azure puts vault access-policy permissions.
 */
export interface Grant {
  /** What the grant applies to: a resource ARN or pattern, a repository, a vault id, `*`. */
  resource: string;
  /** Permissions/actions granted, in the provider's own vocabulary. */
  actions: string[];
  effect?: 'allow' | 'deny';
  /** Where it comes from: a policy name/ARN, an installation, an access policy. */
  via?: string;
  /** Coarse level, when the provider has one. */
  level?: 'read' | 'write' | 'admin';
  /** Conditions that could not be evaluated offline, as the provider states them. */
  conditions?: unknown;
}

export interface Identity {
  id: string;
  provider: Provider;
  /** e.g. `iam-user`, `iam-role`, `github-app-installation`, `deploy-key-holder`, `azure-principal`. */
  kind: string;
  nativeId: string;
  name: string;
  /** Account / organisation / subscription / repository the identity lives in. */
  scope?: string;
  owner?: Owner;
  tags: Record<string, string>;
  grants: Grant[];
  createdAt?: string;
  lastUsedAt?: string;
  status?: 'active' | 'inactive' | 'suspended' | 'deleted';
  /** Provider-specific facts that provider rules read (policy documents, trust policies...). */
  attributes: Record<string, unknown>;
  /** Spec of the source that collected it, e.g. `aws:prod`. */
  source: string;
  /**
   * (additive) A person, not a workload (e.g. an IAM user with a console password, MFA and no access
   * keys): its rights are reported, but ranked after non-human identities.
   */
  human?: boolean;
}

/** Where a secret was seen in code. */
export interface Location {
  /** Source spec, e.g. `git:/repos/app`. */
  source: string;
  /** Repository or directory the path is relative to. */
  repository?: string;
  path: string;
  line?: number;
  column?: number;
  commit?: string;
  author?: string;
  authorEmail?: string;
  /** Commit date, ISO. */
  date?: string;
  /** Whether the secret is still in the file at HEAD (git sources). */
  presentAtHead?: boolean;
}

/** What identifies a secret without revealing it. */
export interface SecretEvidence {
  /** Detector id, e.g. `github-pat-classic`. */
  detector: string;
  /** `sha256:<hex>` of the raw value: the same secret anywhere yields the same hash. */
  hash: string;
  /** A short redacted preview such as `ghp_ab…(40 chars)`; never enough to use the secret. */
  preview: string;
  /** Facts decoded offline from the value's structure (AWS account id, JWT exp...). */
  decoded?: Record<string, string | number | boolean>;
}

export interface Credential {
  id: string;
  provider: Provider;
  /** e.g. `aws-access-key`, `deploy-key`, `actions-secret`, `fine-grained-pat`, `keyvault-secret`, `leaked-secret`. */
  kind: string;
  nativeId: string;
  name: string;
  /** Identity the credential authenticates as, when known. */
  identityId?: string;
  scope?: string;
  owner?: Owner;
  tags: Record<string, string>;
  createdAt?: string;
  lastUsedAt?: string;
  lastRotatedAt?: string;
  expiresAt?: string;
  status: 'active' | 'inactive' | 'expired' | 'revoked' | 'unknown';
  /** For secrets found in code: every place the same secret was seen. */
  locations?: Location[];
  secret?: SecretEvidence;
  attributes: Record<string, unknown>;
  source: string;
}

/**
 * Something an identity's rights depend on that is neither an identity nor a credential: an AWS
 * account with its place in the organisation, a service control policy, a bucket or queue with a
 * resource policy. Merged by id like identities.
 */
export interface Resource {
  id: string;
  provider: Provider;
  /** e.g. `aws-account`, `aws-scp`, `aws-s3-bucket`, `aws-lambda-function`, `aws-sns-topic`, `aws-sqs-queue`. */
  kind: string;
  nativeId: string;
  name: string;
  scope?: string;
  tags: Record<string, string>;
  attributes: Record<string, unknown>;
  source: string;
}

export interface Inventory {
  identities: Identity[];
  credentials: Credential[];
  /** (additive) Resources that decide effective rights (SCPs, resource policies). */
  resources?: Resource[];
}

export interface ResourceRef {
  provider: Provider;
  kind: string;
  id: string;
  name: string;
  /** (additive) The resource is a person's identity: findings on it sort after non-human ones. */
  human?: boolean;
}

export interface FindingLocation {
  path: string;
  line?: number;
  commit?: string;
  repository?: string;
}

export type BaselineStatus = 'new' | 'persisting' | 'resolved';

export interface Finding {
  fingerprint: string;
  ruleId: string;
  category: Category;
  severity: Severity;
  title: string;
  message: string;
  resource: ResourceRef;
  location?: FindingLocation;
  owasp: string[];
  cis?: string[];
  remediation: string;
  /** Structured extra facts (never secret values). */
  evidence?: Record<string, unknown>;
  /** Relative to `--baseline`, when one was given. */
  status?: BaselineStatus;
  suppressed?: { reason: string; expires?: string; by: string };
}

export function makeId(provider: string, kind: string, nativeId: string): string {
  return `${provider}:${kind}:${nativeId}`;
}

export function refOf(x: Identity | Credential | Resource): ResourceRef {
  return { provider: x.provider, kind: x.kind, id: x.id, name: x.name, ...('human' in x && x.human ? { human: true } : {}) };
}

export function emptyInventory(): Inventory {
  return { identities: [], credentials: [] };
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/**
 * Typed attributes. `Identity.attributes` / `Credential.attributes` are plain records in the shared model; each
 * provider's contract (`src/model/<provider>.ts`) says what they hold for its kinds. Connectors store a contract
 * with `contractAttributes`; enrichers and rules read it through the provider's accessors (`isGithub`,
 * `awsPrincipalAttributes`, `keyVaultAttributes`, …), which check provider and kind before they type anything.
 */
export type Attributes = Record<string, unknown>;
export type InventoryItem = Identity | Credential;

/** An item whose attributes follow contract `A` (and whose kind is `K`). */
export type WithAttributes<T extends InventoryItem, A extends object, K extends string = string> = T & { kind: K; attributes: A & Attributes };

/**
 * Stores a provider contract as the model's attribute record. TypeScript does not widen an interface to an
 * index-signature record by itself; the contract's fields are all still there, so this is a widening, not a guess.
 */
export function contractAttributes<A extends object>(contract: A): A & Attributes {
  return contract as A & Attributes;
}

/** Whether `item` comes from `provider` and is of one of `kinds`: the check every typed accessor makes first. */
export function isOfKind<T extends InventoryItem, K extends string>(item: T, provider: string, kinds: readonly K[]): item is T & { kind: K } {
  return item.provider === provider && (kinds as readonly string[]).includes(item.kind);
}
