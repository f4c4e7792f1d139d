/**
 * Turns an evaluated policy set into the compact facts stored on the identity: counts, admin
 * equivalence, the principal's own privilege level, and provider-neutral `Grant`s grouped per service
 * (one grant per service and scope, never one per action: 15,000 principals × 22,000 actions would
 * not fit in a report).
 */
import type { Grant } from '../model/index.js';
import { ACCESS_LEVELS, type ActionCatalog } from './catalog.js';
import { coversAllResources, isConditional, type EffectiveAccess, type GrantList } from './evaluate.js';
import { instantiateTemplate, isAll, subsumes } from './patterns.js';
import type { PrivilegeLevel } from './types.js';
import { ESCALATION_ACTIONS } from './escalation-paths.js';
import { SENSITIVE_ACTIONS } from './sensitive-actions.js';

const PERMISSIONS_MANAGEMENT = ACCESS_LEVELS.indexOf('Permissions management');
const WRITE = ACCESS_LEVELS.indexOf('Write');
const TAGGING = ACCESS_LEVELS.indexOf('Tagging');

/** IAM actions that let a principal grant itself anything in one call. */
const SELF_GRANTING = ['iam:attachuserpolicy', 'iam:putuserpolicy', 'iam:attachrolepolicy', 'iam:putrolepolicy', 'iam:createpolicyversion'];

export interface BaseSummary {
  allowedActionCount: number;
  unrestrictedActionCount: number;
  conditionalActionCount: number;
  adminEquivalent: boolean;
  adminReasons: string[];
  baseLevel: PrivilegeLevel;
  unrestrictedActions: string[];
  grants: Grant[];
}

/** Whether an action is allowed on all its resources (in the account) without conditions. */
function unrestricted(grants: GrantList, templates: readonly string[], partition: string, account: string): boolean {
  return grants.some((g) => {
    if (isConditional(g)) return false;
    if (coversAllResources(g)) return true;
    if (g.notResources?.length || g.except?.length || !templates.length) return false;
    return templates.some((t) => {
      const all = instantiateTemplate(t, partition, account);
      return g.resources.some((r) => subsumes(r, all));
    });
  });
}

const MAX_LISTED = 25;
const NOTABLE = [...new Set([...ESCALATION_ACTIONS, ...SENSITIVE_ACTIONS.map((s) => s.action)].map((a) => a.toLowerCase()))];

/** The MAX_LISTED most notable ids, without sorting 22,000 of them. */
function topActions(ids: number[], catalog: ActionCatalog): string[] {
  const set = new Set(ids);
  const out: number[] = [];
  for (const name of NOTABLE) {
    const id = catalog.byName.get(name);
    if (id !== undefined && set.has(id)) out.push(id);
  }
  for (let level = ACCESS_LEVELS.length - 1; level >= 0 && out.length < MAX_LISTED; level--) {
    for (const id of ids) {
      if (out.length >= MAX_LISTED) break;
      if (catalog.level[id] === level && !out.includes(id)) out.push(id);
    }
  }
  return out.slice(0, MAX_LISTED).map((id) => catalog.actions[id]!);
}

export function summarise(access: EffectiveAccess, catalog: ActionCatalog, partition: string, account: string): BaseSummary {
  const classified = classifyActions(access, catalog, partition, account);
  const { unrestrictedIds } = classified;
  const adminReasons = adminReasonsOf(unrestrictedIds, catalog);
  const adminEquivalent = adminReasons.length > 0;
  // Listed: the actions the rules care about first (escalation, credential access), then by power.
  const unrestrictedActions = adminReasons.includes('all-actions') ? ['*'] : topActions(unrestrictedIds, catalog);
  return {
    allowedActionCount: access.allowed.size,
    unrestrictedActionCount: unrestrictedIds.length,
    conditionalActionCount: classified.conditionalCount,
    adminEquivalent,
    adminReasons,
    baseLevel: baseLevelOf(adminEquivalent, classified),
    unrestrictedActions,
    grants: adminReasons.includes('all-actions')
      ? [
          {
            resource: '*',
            actions: ['*'],
            effect: 'allow',
            level: 'admin',
            via: [...new Set([...classified.listFacts.values()].flatMap((f) => f.sources))].slice(0, 5).join(', '),
          },
        ]
      : serviceGrants(classified.byService, catalog),
  };
}

/** What one (interned) grant list says of every action it grants. */
interface ListFacts {
  conditional: boolean;
  freeEverywhere: boolean;
  keys: string[];
  sources: string[];
}

function listFactsOf(grants: GrantList): ListFacts {
  const conditional = grants.every(isConditional);
  return {
    conditional,
    freeEverywhere: grants.some((g) => !isConditional(g) && coversAllResources(g)),
    keys: conditional ? [...new Set(grants.flatMap((g) => [...(g.conditions ?? []), ...(g.denyConditions ?? [])].map((c) => c.key)))] : [],
    sources: [...new Set(grants.flatMap((g) => g.sources))],
  };
}

/** Every allowed action sorted into unrestricted, scoped or conditional, per service. */
interface ClassifiedActions {
  unrestrictedIds: number[];
  conditionalCount: number;
  maxLevel: number;
  broadPermissionsManagement: boolean;
  byService: Map<string, ServiceBucket>;
  listFacts: Map<GrantList, ListFacts>;
}

function bucketOf(byService: Map<string, ServiceBucket>, service: string): ServiceBucket {
  let bucket = byService.get(service);
  if (!bucket) {
    bucket = { all: [], free: [], scoped: [], conditional: [], resources: new Set(), conditionalResources: new Set(), sources: new Set(), keys: new Set() };
    byService.set(service, bucket);
  }
  return bucket;
}

function classifyActions(access: EffectiveAccess, catalog: ActionCatalog, partition: string, account: string): ClassifiedActions {
  const out: ClassifiedActions = {
    unrestrictedIds: [],
    conditionalCount: 0,
    maxLevel: -1,
    broadPermissionsManagement: false,
    byService: new Map(),
    listFacts: new Map(),
  };
  // Actions granted by the same statements share one (interned) grant list: classify each list once.
  const factsOf = (grants: GrantList) => {
    let facts = out.listFacts.get(grants);
    if (!facts) out.listFacts.set(grants, (facts = listFactsOf(grants)));
    return facts;
  };
  let lastList: GrantList | undefined;
  let lastBucket: unknown;
  for (const [id, grants] of access.allowed) {
    const level = catalog.level[id]!;
    if (level > out.maxLevel) out.maxLevel = level;
    const bucket = bucketOf(out.byService, catalog.serviceOf[id]!);
    bucket.all.push(id);
    const facts = factsOf(grants);
    // The resources, keys and sources of a list are added once per run of actions that share it.
    const fresh = grants !== lastList || bucket !== lastBucket;
    lastList = grants;
    lastBucket = bucket;
    if (fresh) for (const src of facts.sources) bucket.sources.add(src);
    if (facts.conditional) {
      out.conditionalCount++;
      bucket.conditional.push(id);
      if (fresh) {
        for (const k of facts.keys) bucket.keys.add(k);
        for (const g of grants) for (const r of g.notResources?.length ? ['*'] : g.resources) bucket.conditionalResources.add(r);
      }
    } else if (facts.freeEverywhere || unrestricted(grants, catalog.arnTemplates[id]!, partition, account)) {
      out.unrestrictedIds.push(id);
      bucket.free.push(id);
      if (level === PERMISSIONS_MANAGEMENT) out.broadPermissionsManagement = true;
    } else {
      bucket.scoped.push(id);
      if (fresh)
        for (const g of grants)
          if (!isConditional(g)) for (const r of g.notResources?.length ? g.notResources.map((n) => `NOT ${n}`) : g.resources) bucket.resources.add(r);
    }
  }
  return out;
}

/** Why a principal is admin-equivalent: every action, or full control of IAM including granting itself anything. */
function adminReasonsOf(unrestrictedIds: number[], catalog: ActionCatalog): string[] {
  const free = new Set(unrestrictedIds);
  const iamPm = [...(catalog.servicesActions.get('iam') ?? [])].filter((id) => catalog.level[id] === PERMISSIONS_MANAGEMENT);
  const iamFree = iamPm.filter((id) => free.has(id)).length;
  const selfGranting = SELF_GRANTING.every((name) => {
    const id = catalog.byName.get(name);
    return id !== undefined && free.has(id);
  });
  const adminReasons: string[] = [];
  // 99.9%: a Deny on one small service (billing, say) does not make "*" on "*" any less admin,
  // while NotAction iam:* (about 1% of actions) does.
  if (unrestrictedIds.length >= catalog.actions.length * 0.999) adminReasons.push('all-actions');
  if (selfGranting && iamPm.length && iamFree >= iamPm.length * 0.95) adminReasons.push('iam-full-control');
  return adminReasons;
}

function baseLevelOf(adminEquivalent: boolean, { broadPermissionsManagement, maxLevel }: ClassifiedActions): PrivilegeLevel {
  if (adminEquivalent) return 'admin';
  if (broadPermissionsManagement) return 'high';
  if (maxLevel >= TAGGING) return 'write';
  if (maxLevel >= 0) return 'read';
  return 'none';
}

function grantLevel(ids: number[], catalog: ActionCatalog): Grant['level'] {
  let max = 0;
  for (const id of ids) max = Math.max(max, catalog.level[id]!);
  return max === PERMISSIONS_MANAGEMENT ? 'admin' : max >= WRITE || max === TAGGING ? 'write' : 'read';
}

function actionList(ids: number[], service: string, catalog: ActionCatalog): string[] {
  const total = catalog.servicesActions.get(service)?.length ?? 0;
  if (ids.length === total) return [`${service}:*`];
  const names = ids.slice(0, 20).map((id) => catalog.actions[id]!);
  if (ids.length > 20) names.push(`(+${ids.length - 20} more of ${total} ${service} actions)`);
  return names;
}

interface ServiceBucket {
  all: number[];
  free: number[];
  scoped: number[];
  conditional: number[];
  resources: Set<string>;
  conditionalResources: Set<string>;
  sources: Set<string>;
  keys: Set<string>;
}

function resourceText(resources: Set<string>): string {
  const list = [...resources];
  if (list.some(isAll)) return '*';
  return list.length > 3 ? `${list.slice(0, 3).join(' ')} (+${list.length - 3} more)` : list.join(' ');
}

function serviceGrants(byService: Map<string, ServiceBucket>, catalog: ActionCatalog): Grant[] {
  const out: Grant[] = [];
  for (const [service, b] of [...byService].sort(([a], [c]) => a.localeCompare(c))) {
    const via = [...b.sources].slice(0, 5).join(', ');
    if (b.free.length) out.push({ resource: '*', actions: actionList(b.free, service, catalog), effect: 'allow', level: grantLevel(b.free, catalog), via });
    if (b.scoped.length) {
      out.push({
        resource: resourceText(b.resources),
        actions: actionList(b.scoped, service, catalog),
        effect: 'allow',
        level: grantLevel(b.scoped, catalog),
        via,
      });
    }
    if (b.conditional.length)
      out.push({
        resource: resourceText(b.conditionalResources),
        actions: actionList(b.conditional, service, catalog),
        effect: 'allow',
        level: grantLevel(b.conditional, catalog),
        via,
        conditions: { keys: [...b.keys].sort() },
      });
  }
  return out;
}
