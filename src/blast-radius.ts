/**
 * How far a finding reaches, for ranking what a security lead reads first (the Markdown and HTML
 * reports' "top 10" and finding order). Severity says how bad the rule thinks the problem is; the blast
 * radius says what the resource behind it can do if it is abused: an admin identity, a live credential,
 * a secret still in code, an owner who has left. Built from the report's inventory alone, so it works
 * on any saved JSON report.
 */
import { matchedCredentialOf, privilegeOf } from './lineage/graph.js';
import { SEVERITY_RANK, type Credential, type Finding, type Identity, type Inventory, type Owner } from './model/index.js';
import { isActive } from './report-model.js';

export interface BlastRadius {
  /** Higher reaches further; 0 when nothing is known about the resource. */
  score: number;
  /** Why, in a few words each, most important first (the reports print them). */
  reasons: string[];
}

/** Whether the people behind a resource are still around: `unverified` owners were not found in a directory. */
export type OwnerState = 'active' | 'departed' | 'unverified' | 'none';

export interface ResourceOwners {
  owners: Owner[];
  state: OwnerState;
}

export function ownersOf(item: Identity | Credential | undefined): Owner[] {
  if (!item) return [];
  return item.owners ?? (item.owner ? [item.owner] : []);
}

export function ownerStateOf(owners: Owner[]): OwnerState {
  if (!owners.length) return 'none';
  if (owners.every((o) => o.active === false)) return 'departed';
  if (owners.some((o) => o.active === true)) return 'active';
  return 'unverified';
}

/** Looks findings' resources up in one inventory; build once per report (linear), then ask per finding. */
export class BlastRadiusIndex {
  private readonly identities: Map<string, Identity>;
  private readonly credentials: Map<string, Credential>;

  constructor(inventory: Inventory) {
    this.identities = new Map(inventory.identities.map((i) => [i.id, i]));
    this.credentials = new Map(inventory.credentials.map((c) => [c.id, c]));
  }

  /** The identity a finding's resource acts as: itself, its credential's identity, or a leak's matched credential's. */
  private resolve(resourceId: string): { identity?: Identity; credential?: Credential; live?: Credential } {
    const identity = this.identities.get(resourceId);
    if (identity) return { identity };
    const credential = this.credentials.get(resourceId);
    if (!credential) return {};
    const live = credential.secret ? this.credentials.get(matchedCredentialOf(credential) ?? '') : undefined;
    const identityId = credential.identityId ?? live?.identityId;
    return { credential, ...(live ? { live } : {}), ...(identityId && this.identities.has(identityId) ? { identity: this.identities.get(identityId)! } : {}) };
  }

  /** The owners of what a finding is about: the resource's own, else its identity's (a credential inherits them). */
  owners(finding: Finding): ResourceOwners {
    const { identity, credential } = this.resolve(finding.resource.id);
    const own = ownersOf(credential);
    const owners = own.length ? own : ownersOf(identity);
    return { owners, state: ownerStateOf(owners) };
  }

  of(finding: Finding): BlastRadius {
    const { identity, credential, live } = this.resolve(finding.resource.id);
    const parts: Array<[number, string]> = [];
    const privilege = identity ? privilegeOf(identity) : undefined;
    if (privilege?.admin) parts.push([8, `admin: ${privilege.label}`]);
    else if (identity?.grants.some((g) => g.level === 'write' || g.level === 'admin')) parts.push([3, 'write access']);
    else if (identity?.grants.length) parts.push([1, 'read access']);
    if (live?.status === 'active') parts.push([4, 'leak matches a live credential']);
    else if (credential && !credential.secret && credential.status === 'active') parts.push([2, 'active credential']);
    const places = credential?.locations ?? [];
    if (places.some((l) => l.presentAtHead)) parts.push([2, 'secret in code at HEAD']);
    else if (places.length) parts.push([1, 'secret in git history']);
    const state = this.owners(finding).state;
    if (state === 'departed') parts.push([2, 'owner departed']);
    else if (state === 'none' && (identity || credential)) parts.push([1, 'no owner']);
    return { score: parts.reduce((sum, [points]) => sum + points, 0), reasons: parts.map(([, reason]) => reason) };
  }
}

/**
 * The order a lead reads findings in: non-human identities before people, then severity, then blast
 * radius; ties by rule and fingerprint so the order is the same on every run.
 */
export function compareByRisk(a: Finding, b: Finding, radius: (f: Finding) => number): number {
  return (
    Number(a.resource.human ?? false) - Number(b.resource.human ?? false) ||
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    radius(b) - radius(a) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

export interface RankedFinding {
  finding: Finding;
  blast: BlastRadius;
  owners: ResourceOwners;
}

/** Active findings in risk order, with each one's blast radius computed once. */
export function rankFindings(findings: Iterable<Finding>, inventory: Inventory): RankedFinding[] {
  const index = new BlastRadiusIndex(inventory);
  const ranked: RankedFinding[] = [];
  for (const finding of findings) if (isActive(finding)) ranked.push({ finding, blast: index.of(finding), owners: index.owners(finding) });
  const score = new Map(ranked.map((r) => [r.finding, r.blast.score]));
  return ranked.sort((a, b) => compareByRisk(a.finding, b.finding, (f) => score.get(f) ?? 0));
}
