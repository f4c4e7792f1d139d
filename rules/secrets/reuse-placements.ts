/**
 * Where a secret is kept, as the reuse rule sees it: one "placement" per secret found in code and per secret a
 * provider stores (GitHub Actions / Dependabot / Codespaces secrets, Key Vault secrets, Secrets Manager secrets).
 *
 * No store returns a stored secret's value or a hash of it, and nhiscan never reads values. What can tie two
 * placements to one secret without reading it (docs/ownership.md, "Reuse"):
 * - a secret found in code: its SHA-256 (the same value anywhere), and the identifier inside its material that
 *   the leak correlations matched to a live credential (AWS access key id, GCP `private_key_id`, Entra `hint`);
 * - a stored secret: a tag whose value is a live credential's identifier (an AWS access key id, a GCP key id,
 *   an Entra credential's keyId); the Entra application the Actions-secret correlation tied it to; a target tag;
 *   and otherwise only its name and when its value was last set.
 */
import { isAwsPrincipal, isAwsSecret } from '../../src/model/aws.js';
import { isKeyVaultItem } from '../../src/model/azure.js';
import { entraLeakMatch, isEntraApplication, linkedEntraAppId } from '../../src/model/entra.js';
import { KIND_GCP_KEY, KIND_GCP_SERVICE_ACCOUNT } from '../../src/model/gcp.js';
import { isGithub, SECRET_KINDS, type GithubSecretAttributes } from '../../src/model/github.js';
import { makeId, type Credential, type Inventory } from '../../src/model/index.js';
import { matchedCredentialOf } from '../../src/lineage/graph.js';
import { liveCredentialIds, lowered, storedSecretName, taggedCredentialOf } from '../../src/lineage/stored-copies.js';
import { isLeakedSecret, repositoryOf } from './common.js';

/** How sure nhiscan is that two placements hold the same value: `exact` is a hash or an identifier the provider gave. */
export type ReuseConfidence = 'exact' | 'high' | 'medium' | 'low';
export const CONFIDENCE_RANK: Record<ReuseConfidence, number> = { exact: 3, high: 2, medium: 1, low: 0 };

/** Why a placement belongs to its group. */
export type MatchedBy = 'hash' | 'key-id' | 'hint' | 'hint+appId' | 'hint+tenantId' | 'tag' | 'only-credential' | 'name+update-time' | 'name+target';

export interface Placement {
  credential: Credential;
  from: 'code' | 'store';
  /** Repositories (code) or the one store (`github:acme/api (environment production)`, `azure:keyvault/kv`...). */
  places: string[];
  /** Values that may name an environment: Actions environment, path segments, vault and secret name parts, tags. */
  environmentHints: string[];
  /** Stores: when the current value was set (GitHub `updated_at`, Key Vault current version's `created`, Secrets Manager `LastChangedDate`). */
  setAt?: string;
  /** Stores: the secret's own name, normalised (`AWS_ACCESS_KEY_ID`, `aws-access-key-id` and `AwsAccessKeyId` are one). */
  nameKey?: string;
  /** What the secret unlocks, when a tag or a correlation says so: a credential id, an identity id, `tag:<value>`. */
  target?: string;
  /** Stores: the identity the secret authenticates as, when a tag or a correlation names it. */
  identityId?: string;
  /** A link to one live credential (or one hashed value), with how it was made. */
  link?: { id: string; by: MatchedBy; confidence: ReuseConfidence };
}

/** `AWS_ACCESS_KEY_ID`, `aws-access-key-id`, `AwsAccessKeyId`, `aws.access.key.id` → `aws access key id`. */
export function normaliseSecretName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A string attribute, or nothing (an imported report may hold any shape). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** Identities by the names a tag or a correlation can give them (Entra appId, IAM user name or ARN, service-account email), each with its active credentials. */
export interface IdentityIndex {
  byName: Map<string, string>;
  activeCredentials: Map<string, string[]>;
}

export function identityIndex(inventory: Inventory): IdentityIndex {
  const byName = new Map<string, string>();
  for (const i of inventory.identities) {
    const names = isEntraApplication(i)
      ? [i.attributes.appId]
      : isAwsPrincipal(i, ['iam-user'])
        ? [i.name, i.attributes.arn]
        : i.provider === 'gcp' && i.kind === KIND_GCP_SERVICE_ACCOUNT
          ? [i.nativeId]
          : [];
    for (const name of names.map(lowered)) if (name) byName.set(name, i.id);
  }
  const activeCredentials = new Map<string, string[]>();
  for (const c of inventory.credentials) {
    if (!c.identityId || c.status !== 'active' || c.secret) continue;
    if (activeCredentials.has(c.identityId)) activeCredentials.get(c.identityId)!.push(c.id);
    else activeCredentials.set(c.identityId, [c.id]);
  }
  return { byName, activeCredentials };
}

function codeLink(credential: Credential): Placement['link'] {
  const matched = matchedCredentialOf(credential);
  const entra = entraLeakMatch(credential);
  if (matched && entra) return { id: matched, by: entra.entraMatchedBy, confidence: entra.entraMatchedBy === 'hint' ? 'medium' : 'high' };
  if (matched) return { id: matched, by: 'key-id', confidence: 'exact' };
  const decoded = credential.secret?.decoded ?? {};
  if (typeof decoded.accessKeyId === 'string' && /^(AKIA|ASIA)[A-Z2-7]{16}$/.test(decoded.accessKeyId))
    return { id: makeId('aws', 'aws-access-key', decoded.accessKeyId), by: 'key-id', confidence: 'exact' };
  if (typeof decoded.privateKeyId === 'string' && /^[0-9a-f]{40}$/i.test(decoded.privateKeyId))
    return { id: makeId('gcp', KIND_GCP_KEY, decoded.privateKeyId.toLowerCase()), by: 'key-id', confidence: 'exact' };
  return undefined;
}

const BRANCH_NAMES = /^(main|master)$/i;

function codePlacement(credential: Credential): Placement {
  const locations = credential.locations ?? [];
  return {
    credential,
    from: 'code',
    places: [...new Set(locations.map(repositoryOf))].sort(),
    // `main` and `master` name production branches, not folders: `src/main/resources` is no production hint.
    environmentHints: locations.flatMap((l) => [
      ...l.path.split('/').filter((part) => !BRANCH_NAMES.test(part)),
      ...(l.repository ? [l.repository.split('/').pop()!] : []),
    ]),
    link: codeLink(credential),
  };
}

function tagHints(credential: Credential, environmentTagKeys: string[]): string[] {
  return environmentTagKeys.map((k) => credential.tags[k]).filter((v): v is string => !!v);
}

/** A stored secret's place, time and environment hints, by provider; undefined for anything that is not a stored secret. */
function storeFacts(credential: Credential): Pick<Placement, 'places' | 'environmentHints' | 'setAt'> | undefined {
  if (isGithub(credential, SECRET_KINDS)) {
    const a: GithubSecretAttributes = credential.attributes;
    const place =
      a.level === 'organization'
        ? `github:${a.org} (organization ${a.store} secret)`
        : `github:${a.repository}${a.environment ? ` (environment ${a.environment})` : ''}`;
    return {
      places: [place],
      environmentHints: [text(a.environment) ?? '', ...(text(a.repository)?.split('/').pop() ?? '').split(/[-_.]/)],
      setAt: credential.lastRotatedAt,
    };
  }
  if (isKeyVaultItem(credential) && credential.kind === 'keyvault-secret') {
    const vault = text(credential.attributes.vaultName) ?? '';
    return {
      places: [`azure:keyvault/${vault}`],
      environmentHints: [...vault.split(/[-_.]/), ...storedSecretName(credential).split(/[-_.]/)],
      setAt: credential.lastRotatedAt,
    };
  }
  if (isAwsSecret(credential)) {
    const a = credential.attributes;
    const place = `aws:secretsmanager/${a.accountId}${a.region ? `/${a.region}` : ''}`;
    return { places: [place], environmentHints: credential.name.split(/[/\-_.]/), setAt: text(a.lastChangedAt) ?? credential.lastRotatedAt };
  }
  return undefined;
}

export interface PlacementOptions {
  targetTagKeys: string[];
  environmentTagKeys: string[];
}

function storePlacement(
  credential: Credential,
  index: { liveIds: Map<string, string>; identities: IdentityIndex },
  options: PlacementOptions,
): Placement | undefined {
  const facts = storeFacts(credential);
  if (!facts) return undefined;
  const linked = taggedCredentialOf(credential, index.liveIds);
  const tagged = options.targetTagKeys.map((k) => text(credential.tags[k])).find((v) => !!v);
  // The identity it authenticates as: the Entra app the Actions-secret correlation named, or a target tag naming one.
  const named = [linkedEntraAppId(credential), tagged].find((v): v is string => typeof v === 'string' && index.identities.byName.has(v.toLowerCase()));
  const identityId = named ? index.identities.byName.get(named.toLowerCase()) : undefined;
  // An identity with one active credential: every copy naming it holds that credential.
  const only = identityId ? index.identities.activeCredentials.get(identityId) : undefined;
  const link: Placement['link'] = linked
    ? { id: linked, by: 'tag', confidence: 'exact' }
    : only?.length === 1
      ? { id: only[0]!, by: 'only-credential', confidence: 'high' }
      : undefined;
  return {
    credential,
    from: 'store',
    ...facts,
    environmentHints: [...facts.environmentHints, ...tagHints(credential, options.environmentTagKeys)],
    nameKey: normaliseSecretName(storedSecretName(credential)),
    target: link?.id ?? identityId ?? (tagged ? `tag:${tagged.toLowerCase()}` : undefined),
    ...(identityId ? { identityId } : {}),
    ...(link ? { link } : {}),
  };
}

/** Every placement of a secret in the inventory: secrets found in code, and active secrets a provider stores. */
export function placementsOf(inventory: Inventory, options: PlacementOptions): Placement[] {
  const index = { liveIds: liveCredentialIds(inventory), identities: identityIndex(inventory) };
  const out: Placement[] = [];
  for (const credential of inventory.credentials) {
    if (isLeakedSecret(credential)) out.push(codePlacement(credential));
    else if (credential.status === 'active') {
      const placement = storePlacement(credential, index, options);
      if (placement) out.push(placement);
    }
  }
  return out;
}
