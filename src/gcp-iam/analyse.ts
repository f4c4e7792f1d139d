/**
 * Google Cloud IAM analysis on the merged inventory, one phase per function:
 *   index the policies (organization → folders → project → service account),
 *   join each service account's roles and who can act as it,
 *   judge its privilege level,
 *   find the shortest impersonation chain to an admin account (one reverse BFS from every admin),
 *   and tell each workload identity provider which accounts its principals can impersonate.
 *
 * It runs after every source is merged, so imports of separate files (a service-account list, a
 * project policy) and shards of one estate join exactly as one live scan does.
 */
import type { Grant, Identity, Inventory } from '../model/index.js';
import {
  IMPERSONATION_ROLES,
  gcpPolicyHolderAttributes,
  gcpPolicyHolders,
  gcpServiceAccountAttributes,
  gcpServiceAccounts,
  gcpWifProviderAttributes,
  gcpWifProviders,
  isAdminRole,
  serviceAccountMember,
  type GcpEffectiveSummary,
  type GcpRoleBinding,
  type GcpServiceAccountAttributes,
} from '../model/gcp.js';

interface PolicyIndex {
  /** Holders by resource name (`projects/p`, `folders/1`, `organizations/2`). */
  holders: Map<string, Identity>;
  /** Every binding anywhere, by member. */
  byMember: Map<string, GcpRoleBinding[]>;
}

function indexPolicies(inventory: Inventory, accounts: Identity[]): PolicyIndex {
  const holders = new Map<string, Identity>();
  const byMember = new Map<string, GcpRoleBinding[]>();
  const add = (bindings: GcpRoleBinding[] | undefined) => {
    for (const b of bindings ?? []) {
      const list = byMember.get(b.member);
      if (list) list.push(b);
      else byMember.set(b.member, [b]);
    }
  };
  for (const holder of gcpPolicyHolders(inventory)) {
    const attrs = gcpPolicyHolderAttributes(holder);
    holders.set(attrs.resourceName, holder);
    add(attrs.bindings);
  }
  for (const account of accounts) add(gcpServiceAccountAttributes(account).policyBindings);
  return { holders, byMember };
}

/** The project's own policy and every policy above it, nearest first. */
function inheritedBindings(index: PolicyIndex, projectId: string): GcpRoleBinding[] {
  const out: GcpRoleBinding[] = [];
  const seen = new Set<string>();
  let next: string | undefined = `projects/${projectId}`;
  while (next && !seen.has(next)) {
    seen.add(next);
    const holder = index.holders.get(next);
    if (!holder) break;
    const attrs = gcpPolicyHolderAttributes(holder);
    out.push(...(attrs.bindings ?? []));
    next = attrs.parent;
  }
  return out;
}

function grantOf(b: GcpRoleBinding): Grant {
  const level: Grant['level'] = isAdminRole(b.role) ? 'admin' : /viewer|reader|browser|observer/i.test(b.role) ? 'read' : 'write';
  return {
    resource: b.resource,
    actions: [b.role],
    effect: 'allow',
    via: `iam-policy:${b.resource}`,
    level,
    ...(b.condition ? { conditions: b.condition } : {}),
  };
}

/** Admin: owner, editor or an *Admin role on an organization, folder or project (CIS GCP 1.5). */
function privilegeOf(roleBindings: GcpRoleBinding[]): Pick<GcpEffectiveSummary, 'privilegeLevel' | 'adminRoles'> {
  const resourceWide = roleBindings.filter((b) => b.scope !== 'service-account');
  const adminRoles = resourceWide.filter((b) => isAdminRole(b.role)).map((b) => `${b.role} on ${b.resource}`);
  if (adminRoles.length) return { privilegeLevel: 'admin', adminRoles };
  if (resourceWide.some((b) => !/viewer|reader|browser|observer/i.test(b.role))) return { privilegeLevel: 'write', adminRoles };
  return { privilegeLevel: resourceWide.length ? 'read' : 'none', adminRoles };
}

function joinAccount(index: PolicyIndex, account: Identity, inheritedByProject: Map<string, GcpRoleBinding[]>): void {
  const attrs = gcpServiceAccountAttributes(account);
  let inherited = inheritedByProject.get(attrs.projectId);
  if (!inherited) {
    inherited = inheritedBindings(index, attrs.projectId).filter((b) => b.role in IMPERSONATION_ROLES);
    inheritedByProject.set(attrs.projectId, inherited);
  }
  attrs.roleBindings = index.byMember.get(serviceAccountMember(attrs.email)) ?? [];
  attrs.actAsBindings = [...(attrs.policyBindings ?? []).filter((b) => b.role in IMPERSONATION_ROLES), ...inherited];
  account.grants = attrs.roleBindings.map(grantOf);
  attrs.effective = { ...privilegeOf(attrs.roleBindings), canActAs: [] };
}

/** Edges "A can act as B" between service accounts of the inventory. */
function impersonationEdges(accounts: Map<string, GcpServiceAccountAttributes>): void {
  for (const target of accounts.values()) {
    for (const b of target.actAsBindings ?? []) {
      if (!b.member.startsWith('serviceAccount:')) continue;
      const from = accounts.get(b.member.slice('serviceAccount:'.length));
      if (!from || from === target) continue;
      if (!from.effective!.canActAs.some((e) => e.email === target.email && e.role === b.role))
        from.effective!.canActAs.push({ email: target.email, role: b.role });
    }
  }
}

/**
 * Chains longer than this are not followed. Real escalation chains are a few hops; the bound keeps
 * the work and the reported chains linear in the number of accounts even on pathological estates
 * (a 5,000-account ladder would otherwise report millions of hops).
 */
export const MAX_CHAIN_HOPS = 10;

/**
 * Shortest impersonation chain from each non-admin account to an admin one: a BFS on the reversed
 * graph from all admin accounts at once, so the cost is linear in accounts and edges.
 */
function escalationChains(accounts: Map<string, GcpServiceAccountAttributes>): void {
  const reverse = new Map<string, { from: string; role: string }[]>();
  for (const a of accounts.values()) {
    for (const e of a.effective!.canActAs) {
      const list = reverse.get(e.email) ?? [];
      list.push({ from: a.email, role: e.role });
      reverse.set(e.email, list);
    }
  }
  const next = new Map<string, { to: string; role: string }>();
  const queue = [...accounts.values()].filter((a) => a.effective!.privilegeLevel === 'admin').map((a) => a.email);
  const depth = new Map(queue.map((email) => [email, 0]));
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i]!;
    if (depth.get(current)! >= MAX_CHAIN_HOPS) continue;
    for (const { from, role } of reverse.get(current) ?? []) {
      if (depth.has(from)) continue;
      depth.set(from, depth.get(current)! + 1);
      next.set(from, { to: current, role });
      queue.push(from);
    }
  }
  for (const a of accounts.values()) {
    if (a.effective!.privilegeLevel === 'admin' || !next.has(a.email)) continue;
    const hops: { from: string; to: string; role: string }[] = [];
    for (let at = a.email; next.has(at); at = next.get(at)!.to) hops.push({ from: at, to: next.get(at)!.to, role: next.get(at)!.role });
    a.effective!.escalation = { hops, reaches: accounts.get(hops.at(-1)!.to)!.effective!.adminRoles };
  }
}

/** `principalSet://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/POOL/…` → `N/POOL`. */
function poolKeyOfMember(member: string): string | undefined {
  const m = /^principal(?:Set)?:\/\/iam\.googleapis\.com\/projects\/([^/]+)\/locations\/global\/workloadIdentityPools\/([^/]+)/.exec(member);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function federationReach(inventory: Inventory, accounts: Map<string, GcpServiceAccountAttributes>, projectNumbers: Map<string, string>): void {
  const byPool = new Map<string, string[]>();
  for (const a of accounts.values()) {
    for (const b of a.actAsBindings ?? []) {
      const key = poolKeyOfMember(b.member);
      if (key && !(byPool.get(key) ?? []).includes(a.email)) byPool.set(key, [...(byPool.get(key) ?? []), a.email]);
    }
  }
  for (const provider of gcpWifProviders(inventory)) {
    const attrs = gcpWifProviderAttributes(provider);
    const poolId = attrs.pool.split('/').pop()!;
    const projectNumber = /^projects\/(\d+)\//.exec(attrs.pool)?.[1] ?? projectNumbers.get(attrs.projectId);
    attrs.canImpersonate = [...(byPool.get(`${projectNumber}/${poolId}`) ?? []), ...(byPool.get(`${attrs.projectId}/${poolId}`) ?? [])];
  }
}

export function analyseGcp(inventory: Inventory): { accounts: number; chains: number } {
  const accountIdentities = gcpServiceAccounts(inventory);
  if (!accountIdentities.length && !gcpWifProviders(inventory).length) return { accounts: 0, chains: 0 };
  const index = indexPolicies(inventory, accountIdentities);
  const inheritedByProject = new Map<string, GcpRoleBinding[]>();
  for (const account of accountIdentities) joinAccount(index, account, inheritedByProject);
  const accounts = new Map(accountIdentities.map((i) => [gcpServiceAccountAttributes(i).email, gcpServiceAccountAttributes(i)]));
  impersonationEdges(accounts);
  escalationChains(accounts);
  const projectNumbers = new Map<string, string>();
  for (const a of accounts.values()) if (a.projectNumber) projectNumbers.set(a.projectId, a.projectNumber);
  for (const h of gcpPolicyHolders(inventory)) {
    const attrs = gcpPolicyHolderAttributes(h);
    if (attrs.projectId && attrs.projectNumber) projectNumbers.set(attrs.projectId, attrs.projectNumber);
  }
  federationReach(inventory, accounts, projectNumbers);
  return { accounts: accounts.size, chains: [...accounts.values()].filter((a) => a.effective?.escalation).length };
}
