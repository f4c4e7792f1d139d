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
  /** How sure nhiscan is that this is an owner: tags and CODEOWNERS are explicit, creators and committers inferred. */
  confidence?: OwnerConfidence;
  /** Why this owner was chosen, in a sentence the report shows. */
  reason?: string;
  /** The person of the people directory this owner was joined to (`Person.id`), when one was found. */
  personId?: string;
}

export type OwnerConfidence = 'high' | 'medium' | 'low';

/**
 * A person of the organisation, from a people directory (`people:FILE`, an HR or identity-provider
 * export) or from a provider's own user list (Entra users, GitHub members). Owners are joined to
 * people to know who is still around; people are not NHIs and no rule judges them for themselves.
 */
export interface Person {
  /** `person:` + the lower-cased primary email (or login when there is no email). */
  id: string;
  email?: string;
  /** Every other handle the person is known by: GitHub logins, user principal names, commit e-mails. */
  aliases: string[];
  name?: string;
  status: 'active' | 'departed' | 'unknown';
  /** ISO date the person left (or leaves). */
  endDate?: string;
  /** The manager's email: who takes over what a departed person owned. */
  manager?: string;
  /** Sources that listed the person (`people:hr.csv`, `entra`, `github:acme`). */
  sources: string[];
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
  /** Every owner candidate found, most trusted first; `owner` is the first. Set by the ownership enricher. */
  owners?: Owner[];
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
  /** Every owner candidate found, most trusted first; `owner` is the first. Set by the ownership enricher. */
  owners?: Owner[];
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
  /** The people directory, when a `people:` source (or a provider's user list) was scanned. */
  people?: Person[];
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
  /** (additive) 1-based column of the first character, where the source knows it. */
  column?: number;
  commit?: string;
  repository?: string;
  /** (additive) The source spec that found it: SARIF resolves the path against that source's place in its repository. */
  source?: string;
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
  /** The exact commands that revoke, rotate or reassign what the finding is about, filled in with its names (suggestions; never run). */
  remediationCommands?: string[];
  /** Structured extra facts (never secret values). */
  evidence?: Record<string, unknown>;
  /** Relative to `--baseline`, when one was given. */
  status?: BaselineStatus;
  suppressed?: { reason: string; expires?: string; by: string };
}

/** `person:` + the lower-cased email or login: one person, one id, whichever source listed them. */
export function personId(emailOrLogin: string): string {
  return `person:${emailOrLogin.trim().toLowerCase()}`;
}

export function makeId(provider: string, kind: string, nativeId: string): string {
  return `${provider}:${kind}:${nativeId}`;
}

export function refOf(x: Identity | Credential | Resource): ResourceRef {
  return { provider: x.provider, kind: x.kind, id: x.id, name: x.name, ...('human' in x && x.human ? { human: true } : {}) };
}

/** Where a finding points, from where its credential was found. */
export function findingLocation(where: Location): FindingLocation {
  return {
    path: where.path,
    ...(where.line ? { line: where.line } : {}),
    ...(where.line && where.column ? { column: where.column } : {}),
    ...(where.commit ? { commit: where.commit } : {}),
    ...(where.repository ? { repository: where.repository } : {}),
    source: where.source,
  };
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

/** A type guard for one provider's kinds: `kindGuard<Identity, KeyVaultAttributes>('azure', ['keyvault'])`. */
export function kindGuard<T extends InventoryItem, A extends object>(provider: string, kinds: readonly string[]): (item: T) => item is WithAttributes<T, A> {
  return (item: T): item is WithAttributes<T, A> => isOfKind(item, provider, kinds);
}

/** The typed attributes of an item the caller knows the kind of; a TypeError naming the item when it is not `what`, so a wrong call fails loudly. */
export function attributesOf<T extends InventoryItem, A extends object>(item: T, guard: (item: T) => item is WithAttributes<T, A>, what: string): A {
  if (!guard(item)) throw new TypeError(`${item.id} is not ${what}`);
  return item.attributes;
}
