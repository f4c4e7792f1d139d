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

/** The MAX_LISTED most notable unrestricted actions, without sorting 22,000 of them. */
function topActions(classes: readonly ServiceClass[], catalog: ActionCatalog): string[] {
  const byService = new Map(classes.map((c) => [c.service, c]));
  const out: number[] = [];
  for (const name of NOTABLE) {
    const id = catalog.byName.get(name);
    if (id !== undefined && byService.get(catalog.serviceOf[id]!)?.freeSet().has(id)) out.push(id);
  }
  for (let level = ACCESS_LEVELS.length - 1; level >= 0 && out.length < MAX_LISTED; level--) {
    for (const c of classes) {
      for (const id of c.free) {
        if (out.length >= MAX_LISTED) break;
        if (catalog.level[id] === level && !out.includes(id)) out.push(id);
      }
    }
  }
  return out.slice(0, MAX_LISTED).map((id) => catalog.actions[id]!);
}

export function summarise(access: EffectiveAccess, catalog: ActionCatalog, partition: string, account: string): BaseSummary {
  const classes = classifyActions(access, catalog, partition, account);
  let unrestrictedCount = 0;
  let conditionalCount = 0;
  for (const c of classes) {
    unrestrictedCount += c.free.length;
    conditionalCount += c.conditional.length;
  }
  const adminReasons = adminReasonsOf(classes, unrestrictedCount, catalog);
  const adminEquivalent = adminReasons.length > 0;
  const allActions = adminReasons.includes('all-actions');
  return {
    allowedActionCount: access.allowed.size,
    unrestrictedActionCount: unrestrictedCount,
    conditionalActionCount: conditionalCount,
    adminEquivalent,
    adminReasons,
    baseLevel: baseLevelOf(adminEquivalent, classes),
    // Listed: the actions the rules care about first (escalation, credential access), then by power.
    unrestrictedActions: allActions ? ['*'] : topActions(classes, catalog),
    grants: allActions
      ? [{ resource: '*', actions: ['*'], effect: 'allow', level: 'admin', via: sourcesOf(classes).slice(0, 5).join(', ') }]
      : serviceGrants(classes, catalog),
  };
}

/** Every policy that grants something, in the order the actions they grant come. */
function sourcesOf(classes: readonly ServiceClass[]): string[] {
  const lists = new Set(classes.flatMap((c) => c.lists));
  return [...new Set([...lists].flatMap((l) => listFactsOf(l).sources))];
}

/** What one (interned) grant list says of every action it grants. */
interface ListFacts {
  conditional: boolean;
  freeEverywhere: boolean;
  keys: string[];
  sources: string[];
}

// Actions granted by the same statements share one (interned) grant list: classify each list once.
const listFacts = new WeakMap<GrantList, ListFacts>();

function listFactsOf(grants: GrantList): ListFacts {
  let facts = listFacts.get(grants);
  if (facts) return facts;
  const conditional = grants.every(isConditional);
  facts = {
    conditional,
    freeEverywhere: grants.some((g) => !isConditional(g) && coversAllResources(g)),
    keys: conditional ? [...new Set(grants.flatMap((g) => [...(g.conditions ?? []), ...(g.denyConditions ?? [])].map((c) => c.key)))] : [],
    sources: [...new Set(grants.flatMap((g) => g.sources))],
  };
  listFacts.set(grants, facts);
  return facts;
}

/** The allowed actions of one service sorted into unrestricted, scoped or conditional. */
class ServiceClass {
  readonly free: number[] = [];
  readonly scoped: number[] = [];
  readonly conditional: number[] = [];
  readonly resources = new Set<string>();
  readonly conditionalResources = new Set<string>();
  readonly sources = new Set<string>();
  readonly keys = new Set<string>();
  /** Distinct grant lists, in the order of the actions that hold them. */
  readonly lists: GrantList[] = [];
  maxLevel = -1;
  broadPermissionsManagement = false;
  private frees?: Set<number>;

  constructor(readonly service: string) {}

  freeSet(): Set<number> {
    return (this.frees ??= new Set(this.free));
  }
}

/** Per (access, partition and account): its services, classified (an overlay reuses its base's untouched ones). */
const classified = new WeakMap<EffectiveAccess, Map<string, ServiceClass[]>>();

/** Every allowed action classified, one `ServiceClass` per service, in action-id order. */
function classifyActions(access: EffectiveAccess, catalog: ActionCatalog, partition: string, account: string): ServiceClass[] {
  const where = `${partition}|${account}`;
  let byPlace = classified.get(access);
  const done = byPlace?.get(where);
  if (done) return done;
  let classes: ServiceClass[];
  if (access.overlay) {
    // Only the services of the actions the resource-policy grants name can differ from the base.
    const touched = new Set(Array.from(access.overlay.changed, (id) => catalog.serviceOf[id]!));
    classes = classifyActions(access.overlay.base, catalog, partition, account).filter((c) => !touched.has(c.service));
    for (const service of touched) {
      const ids = catalog.servicesActions.get(service) ?? new Uint32Array();
      const entries = Array.from(ids, (id) => [id, access.allowed.get(id)] as const).filter((e): e is readonly [number, GrantList] => !!e[1]);
      if (entries.length) classes.push(classifyService(service, entries, catalog, partition, account));
    }
    const first = (c: ServiceClass) => catalog.servicesActions.get(c.service)?.[0] ?? 0;
    classes.sort((a, b) => first(a) - first(b));
  } else {
    // Ids ascend, so each service's actions come in one run.
    classes = [];
    let run: [number, GrantList][] = [];
    const flush = () => {
      if (run.length) classes.push(classifyService(catalog.serviceOf[run[0]![0]]!, run, catalog, partition, account));
      run = [];
    };
    for (const entry of access.allowed) {
      if (run.length && catalog.serviceOf[entry[0]] !== catalog.serviceOf[run[0]![0]]) flush();
      run.push(entry);
    }
    flush();
  }
  if (!byPlace) classified.set(access, (byPlace = new Map()));
  byPlace.set(where, classes);
  return classes;
}

function classifyService(
  service: string,
  entries: Iterable<readonly [number, GrantList]>,
  catalog: ActionCatalog,
  partition: string,
  account: string,
): ServiceClass {
  const out = new ServiceClass(service);
  const seen = new Set<GrantList>();
  let lastList: GrantList | undefined;
  for (const [id, grants] of entries) {
    const level = catalog.level[id]!;
    if (level > out.maxLevel) out.maxLevel = level;
    const facts = listFactsOf(grants);
    if (!seen.has(grants)) {
      seen.add(grants);
      out.lists.push(grants);
    }
    // The resources, keys and sources of a list are added once per run of actions that share it.
    const fresh = grants !== lastList;
    lastList = grants;
    if (fresh) for (const src of facts.sources) out.sources.add(src);
    if (facts.conditional) {
      out.conditional.push(id);
      if (fresh) {
        for (const k of facts.keys) out.keys.add(k);
        for (const g of grants) for (const r of g.notResources?.length ? ['*'] : g.resources) out.conditionalResources.add(r);
      }
    } else if (facts.freeEverywhere || unrestricted(grants, catalog.arnTemplates[id]!, partition, account)) {
      out.free.push(id);
      if (level === PERMISSIONS_MANAGEMENT) out.broadPermissionsManagement = true;
    } else {
      out.scoped.push(id);
      if (fresh)
        for (const g of grants)
          if (!isConditional(g)) for (const r of g.notResources?.length ? g.notResources.map((n) => `NOT ${n}`) : g.resources) out.resources.add(r);
    }
  }
  return out;
}

/** Why a principal is admin-equivalent: every action, or full control of IAM including granting itself anything. */
function adminReasonsOf(classes: readonly ServiceClass[], unrestrictedCount: number, catalog: ActionCatalog): string[] {
  const free = classes.find((c) => c.service === 'iam')?.freeSet() ?? new Set<number>();
  const iamPm = [...(catalog.servicesActions.get('iam') ?? [])].filter((id) => catalog.level[id] === PERMISSIONS_MANAGEMENT);
  const iamFree = iamPm.filter((id) => free.has(id)).length;
  const selfGranting = SELF_GRANTING.every((name) => {
    const id = catalog.byName.get(name);
    return id !== undefined && free.has(id);
  });
  const adminReasons: string[] = [];
  // 99.9%: a Deny on one small service (billing, say) does not make "*" on "*" any less admin,
  // while NotAction iam:* (about 1% of actions) does.
  if (unrestrictedCount >= catalog.actions.length * 0.999) adminReasons.push('all-actions');
  if (selfGranting && iamPm.length && iamFree >= iamPm.length * 0.95) adminReasons.push('iam-full-control');
  return adminReasons;
}

function baseLevelOf(adminEquivalent: boolean, classes: readonly ServiceClass[]): PrivilegeLevel {
  if (adminEquivalent) return 'admin';
  if (classes.some((c) => c.broadPermissionsManagement)) return 'high';
  const maxLevel = Math.max(-1, ...classes.map((c) => c.maxLevel));
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

function resourceText(resources: Set<string>): string {
  const list = [...resources];
  if (list.some(isAll)) return '*';
  return list.length > 3 ? `${list.slice(0, 3).join(' ')} (+${list.length - 3} more)` : list.join(' ');
}

/** Services in the order grants are listed (by name, as `localeCompare` sorts them), per catalogue. */
const serviceOrder = new WeakMap<ActionCatalog, Map<string, number>>();

function serviceGrants(classes: readonly ServiceClass[], catalog: ActionCatalog): Grant[] {
  let order = serviceOrder.get(catalog);
  if (!order) serviceOrder.set(catalog, (order = new Map([...catalog.servicesActions.keys()].sort((a, b) => a.localeCompare(b)).map((s, i) => [s, i]))));
  const rank = (c: ServiceClass) => order.get(c.service) ?? -1;
  return [...classes].sort((a, c) => rank(a) - rank(c) || a.service.localeCompare(c.service)).flatMap((c) => grantsOfService(c, catalog));
}

/** A service's grants (shared by every summary that holds the same classified service). */
const serviceGrantsMemo = new WeakMap<ServiceClass, Grant[]>();

function grantsOfService(b: ServiceClass, catalog: ActionCatalog): Grant[] {
  const known = serviceGrantsMemo.get(b);
  if (known) return known;
  const out: Grant[] = [];
  const service = b.service;
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
  serviceGrantsMemo.set(b, out);
  return out;
}
