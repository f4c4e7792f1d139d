/**
 * Owner candidates of one identity or credential, each with where it came from and how sure that is,
 * most trusted first (issue order: explicit tags and labels; CODEOWNERS; the creator; the committer who
 * introduced a leaked secret). The first is the item's `owner`; all are kept in `owners` so the report
 * can say why each was chosen, and offboarding can see a creator who left behind a remaining owner.
 */
import type { Credential, Identity, Owner, OwnerConfidence } from '../model/index.js';
import { ownerFromTags } from '../enrichers/owners.js';
import { isGithub, KINDS } from '../model/github.js';

/** Where a connector-resolved owner came from → how much it is trusted, and whether it names a creator. */
const SOURCE_TRUST: { test: RegExp; confidence: OwnerConfidence; creator: boolean; reason: string }[] = [
  { test: /^tag:/, confidence: 'high', creator: false, reason: 'explicit owner tag' },
  { test: /^codeowners/, confidence: 'high', creator: false, reason: 'CODEOWNERS of the repository' },
  { test: /^(added_by|creator|created_by|token-owner|entra-owner)/, confidence: 'medium', creator: true, reason: 'created it' },
  { test: /^committer/, confidence: 'low', creator: true, reason: 'committed it' },
  { test: /^last-changed/, confidence: 'low', creator: false, reason: 'last changed it' },
];

/** Tag keys clouds and IaC tools put the creator in. */
const CREATOR_TAG_KEYS = ['createdBy', 'created_by', 'CreatedBy', 'creator', 'Creator', 'aws:createdBy'];

const RANK: Record<OwnerConfidence, number> = { high: 0, medium: 1, low: 2 };

export function trustOf(source: string): { confidence: OwnerConfidence; creator: boolean; reason: string } {
  return SOURCE_TRUST.find((t) => t.test.test(source)) ?? { confidence: 'medium', creator: false, reason: `resolved by ${source}` };
}

/** Whether an owner was recorded as the item's creator (GitHub added_by, Entra owners, createdBy tags, committers). */
export function isCreator(owner: Owner): boolean {
  return trustOf(owner.source).creator;
}

function withTrust(owner: Owner): Owner {
  const trust = trustOf(owner.source);
  return { ...owner, confidence: owner.confidence ?? trust.confidence, reason: owner.reason ?? trust.reason };
}

interface EntraOwnerLike {
  id: string;
  type?: string;
  displayName?: string;
  userPrincipalName?: string;
  accountEnabled?: boolean;
  deleted?: boolean;
}

function entraOwners(item: Identity | Credential): Owner[] {
  const owners = (item.attributes as { owners?: unknown }).owners;
  if (item.provider !== 'entra' || !Array.isArray(owners)) return [];
  return (owners as EntraOwnerLike[])
    .filter((o) => o.type === 'user' || o.deleted)
    .map((o) => ({
      id: o.userPrincipalName ?? o.id,
      kind: 'user' as const,
      source: 'entra-owner',
      ...(o.displayName ? { displayName: o.displayName } : {}),
      ...(o.deleted || o.accountEnabled === false ? { active: false } : o.accountEnabled === true ? { active: true } : {}),
    }));
}

function committer(credential: Credential): Owner | undefined {
  const first = [...(credential.locations ?? [])].filter((l) => l.authorEmail).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''))[0];
  if (!first?.authorEmail) return undefined;
  return {
    id: first.authorEmail,
    kind: 'email',
    source: 'committer',
    ...(first.author ? { displayName: first.author } : {}),
    reason: `committed it${first.commit ? ` in ${first.commit.slice(0, 12)}` : ''}${first.path ? ` (${first.path})` : ''}`,
  };
}

/**
 * The last human who changed it, where the provider says so. GitHub names who pushed a secret past push
 * protection on its secret-scanning alert. (AWS, Entra and GCP say it only in audit logs nhiscan does not read.)
 */
function lastChanger(item: Identity | Credential): Owner | undefined {
  if (!isGithub(item, [KINDS.secretScanningAlert])) return undefined;
  const login: unknown = item.attributes.pushProtectionBypassedBy;
  if (typeof login !== 'string' || !login) return undefined;
  return { id: login, kind: 'user', source: 'last-changed:push-protection-bypass', reason: 'pushed it past push protection (GitHub secret-scanning alert)' };
}

/** Every candidate, deduplicated by id (the more trusted source wins), most trusted first. */
export function ownerCandidates(item: Identity | Credential, ownerTagKeys: string[]): Owner[] {
  const found: Owner[] = [];
  const tagOwner = ownerFromTags(item.tags, ownerTagKeys);
  if (tagOwner) found.push(tagOwner);
  if (item.owner) found.push(item.owner);
  const creatorTag = ownerFromTags(item.tags, CREATOR_TAG_KEYS);
  if (creatorTag) found.push({ ...creatorTag, source: `creator:${creatorTag.source}` });
  found.push(...entraOwners(item));
  if ('secret' in item && item.secret) {
    const c = committer(item);
    if (c) found.push(c);
  }
  const changer = lastChanger(item);
  if (changer) found.push(changer);
  const byId = new Map<string, Owner>();
  for (const owner of found.map(withTrust)) {
    const key = owner.id.toLowerCase();
    const existing = byId.get(key);
    if (!existing || RANK[owner.confidence!] < RANK[existing.confidence!])
      byId.set(key, { ...owner, ...(existing?.active === false ? { active: false } : {}) });
  }
  return [...byId.values()].sort((a, b) => RANK[a.confidence!] - RANK[b.confidence!]);
}
