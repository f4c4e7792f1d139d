/**
 * Resource scopes of a principal's grants, as the escalation judges read them: the principal's own
 * policy variables resolved, "does this grant cover that ARN", "does it cover every resource of the
 * action's type", and the most privileged principals of a list a grant covers.
 *
 * Every helper that looks at the principal's own ARN or name says so in its result (`self`): a
 * judgement that never did is shared by every principal with the same policies (the cache that keeps
 * 15,000 principals cheap), one that did is the principal's own.
 */
import type { ActionCatalog } from './catalog.js';
import { coversAllResources, isConditional, type EffectiveAccess, type GrantList, type ResourceGrant } from './evaluate.js';
import type { EstateView, PrincipalView } from './estate.js';
import { ESCALATION_ACTIONS } from './escalation-paths.js';
import { instantiateTemplate, isAll, isLiteral, matches, subsumes, substituteVariables } from './patterns.js';
import { SENSITIVE_ACTIONS } from './sensitive-actions.js';

/** What every judge reads. Never mutated: judges return their decisions. */
export interface JudgeInput {
  catalog: ActionCatalog;
  access: EffectiveAccess;
  principal: PrincipalView;
  estate: EstateView;
}

/** A grant with the principal's own policy variables (`${aws:username}`) resolved. */
export interface Scoped {
  grant: ResourceGrant;
  resources: string[];
  notResources: string[];
  except: string[];
  /** The resources named a policy variable, so the scope is the principal's own. */
  usesVariables: boolean;
}

/** A result and whether computing it looked at the principal itself. */
export interface Picked<T> {
  value: T;
  self: boolean;
}

export function scope(grant: ResourceGrant, principal: PrincipalView): Scoped {
  const usesVariables = [grant.resources, grant.notResources ?? [], grant.except ?? []].some((l) => l.some((r) => r.includes('${')));
  const vars: Record<string, string> = { 'aws:principalaccount': principal.accountId };
  if (principal.kind === 'iam-user') vars['aws:username'] = principal.name;
  const sub = (list: readonly string[] | undefined) => (list ?? []).map((p) => substituteVariables(p, vars));
  return { grant, resources: sub(grant.resources), notResources: sub(grant.notResources), except: sub(grant.except), usesVariables };
}

export function covers(s: Scoped, arn: string): boolean {
  const inScope = s.notResources.length ? !s.notResources.some((n) => matches(n, arn)) : s.resources.some((r) => matches(r, arn));
  return inScope && !s.except.some((e) => matches(e, arn));
}

/** Whether some grant covers the principal itself (self-dependent unless every grant covers everything). */
export function coversSelf(grants: readonly Scoped[], principal: PrincipalView): Picked<boolean> {
  const self = !grants.every((g) => !g.notResources.length && !g.except.length && g.resources.some(isAll));
  return { value: grants.some((g) => covers(g, principal.arn)), self };
}

/** Whether the grant covers every resource of some type the action accepts, in the principal's account. */
export function isBroad(s: Scoped, input: JudgeInput, action: string): boolean {
  const id = input.catalog.byName.get(action.toLowerCase());
  const templates = id === undefined ? [] : input.catalog.arnTemplates[id]!;
  if (coversAllResources(s.grant) || (!s.notResources.length && s.resources.some((r) => r === '*'))) return true;
  if (!templates.length) return true;
  return templates.some((t) => {
    const all = instantiateTemplate(t, input.principal.partition, input.principal.accountId);
    if (s.except.some((e) => subsumes(e, all))) return false;
    return s.notResources.length ? !s.notResources.some((n) => subsumes(n, all)) : s.resources.some((r) => subsumes(r, all));
  });
}

export function anyBroad(grants: readonly Scoped[], input: JudgeInput, action: string): boolean {
  return grants.some((g) => isBroad(g, input, action));
}

/** The only actions the judges read (escalation paths and sensitive actions): `judgedKey` relies on it. */
const JUDGED = new Set([...ESCALATION_ACTIONS, ...SENSITIVE_ACTIONS.map((s) => s.action)].map((a) => a.toLowerCase()));
const JUDGED_LIST = [...JUDGED];
const readIds = new WeakMap<readonly string[], WeakMap<ActionCatalog, Set<number>>>();

/**
 * Cache key of what a reader of `actions` (lower-case names) sees of an access: resource-policy grants
 * that change none of them (an SQS or SNS grant, say) leave what was judged of the principal's own
 * policies valid, so the key is the base's.
 */
export function readKey(access: EffectiveAccess, catalog: ActionCatalog, actions: readonly string[]): string {
  const overlay = access.overlay;
  if (!overlay) return access.hash;
  let byCatalog = readIds.get(actions);
  if (!byCatalog) readIds.set(actions, (byCatalog = new WeakMap()));
  let ids = byCatalog.get(catalog);
  if (!ids) byCatalog.set(catalog, (ids = new Set(actions.map((a) => catalog.byName.get(a)).filter((id): id is number => id !== undefined))));
  return overlay.changed.some((id) => ids.has(id)) ? access.hash : readKey(overlay.base, catalog, actions);
}

/** `readKey` for the escalation and sensitive-action judges. */
export function judgedKey(access: EffectiveAccess, catalog: ActionCatalog): string {
  return readKey(access, catalog, JUDGED_LIST);
}

export function grantsOf(access: EffectiveAccess, catalog: ActionCatalog, action: string): GrantList {
  if (!JUDGED.has(action.toLowerCase())) throw new Error(`internal: judges read only escalation and sensitive actions, not "${action}"`);
  const id = catalog.byName.get(action.toLowerCase());
  return id === undefined ? [] : (access.allowed.get(id) ?? []);
}

export function usable(grants: GrantList, allowConditional: boolean): ResourceGrant[] {
  return allowConditional ? [...grants] : grants.filter((g) => !isConditional(g));
}

/** The principal's grants of `action`, scoped, usable at the given certainty. */
export function scopedGrants(input: JudgeInput, action: string, allowConditional: boolean): Scoped[] {
  return usable(grantsOf(input.access, input.catalog, action), allowConditional).map((g) => scope(g, input.principal));
}

/**
 * The grants of `iam:PassRole` usable to pass a role to `servicePrincipal`: `iam:PassedToService` is
 * decided offline, so it is resolved here instead of reported as conditional.
 */
export function forService(grant: ResourceGrant, servicePrincipal: string | undefined): ResourceGrant | undefined {
  if (!servicePrincipal || !grant.conditions?.length) return grant;
  const passed = grant.conditions.filter((c) => c.key.toLowerCase() === 'iam:passedtoservice');
  if (!passed.length) return grant;
  const ok = passed.every((c) => {
    const op = c.operator.replace(/^For(Any|All)Values?:/i, '').replace(/IfExists$/i, '');
    const hit = c.values.some((v) => (/Like$/i.test(op) ? matches(v, servicePrincipal) : v.toLowerCase() === servicePrincipal));
    return /Not/i.test(op) ? !hit : hit;
  });
  if (!ok) return undefined;
  const rest = grant.conditions.filter((c) => c.key.toLowerCase() !== 'iam:passedtoservice');
  const { conditions: _drop, ...others } = grant;
  return rest.length ? { ...others, conditions: rest } : others;
}

const memberSets = new WeakMap<readonly PrincipalView[], Set<PrincipalView>>();
const topCache = new WeakMap<readonly PrincipalView[], Map<string, PrincipalView[]>>();

export function scopeKey(grants: readonly Scoped[]): string {
  return grants.map((g) => `${g.resources.join(',')}|${g.notResources.join(',')}|${g.except.join(',')}`).join('#');
}

/** When every grant names exact ARNs, the members of `list` they name (most privileged first); else undefined. */
function literalCandidates(list: readonly PrincipalView[], grants: readonly Scoped[], byArn: ReadonlyMap<string, PrincipalView>): PrincipalView[] | undefined {
  if (!grants.every((g) => !g.notResources.length && g.resources.every(isLiteral))) return undefined;
  let members = memberSets.get(list);
  if (!members) memberSets.set(list, (members = new Set(list)));
  const found = new Set<PrincipalView>();
  for (const g of grants) {
    for (const r of g.resources) {
      const hit = byArn.get(r);
      if (hit && members.has(hit) && covers(g, r)) found.add(hit);
    }
  }
  return [...found].sort((a, b) => b.rank - a.rank);
}

/** The (up to 4) most privileged principals of `list` (sorted by rank, descending) that some grant covers. */
export function topCovered(list: readonly PrincipalView[], grants: readonly Scoped[], byArn?: ReadonlyMap<string, PrincipalView>): PrincipalView[] {
  // Grants naming exact ARNs (`user/alice`, a substituted `${aws:username}`): look them up, do not scan.
  const literal = byArn && literalCandidates(list, grants, byArn);
  if (literal) return literal.slice(0, 4);
  // Memoised per list and resource scope: principals sharing a policy set share the answer.
  const key = scopeKey(grants);
  let byKey = topCache.get(list);
  if (!byKey) topCache.set(list, (byKey = new Map()));
  let top = byKey.get(key);
  if (!top) {
    top = [];
    for (const p of list) {
      if (grants.some((g) => covers(g, p.arn))) {
        top.push(p);
        if (top.length >= 4) break;
      }
    }
    byKey.set(key, top);
  }
  return top;
}

/**
 * The most privileged principals of `list` that some grant covers, other than the principal itself,
 * all of the top rank (at most 3). `extra` filters candidates further (it may look at the principal).
 */
export function bestCovered(
  input: JudgeInput,
  list: readonly PrincipalView[],
  grants: readonly Scoped[],
  extra?: (p: PrincipalView) => boolean,
): Picked<PrincipalView[]> {
  const out: PrincipalView[] = [];
  const exclude = input.principal.arn;
  let self = !!extra;
  const candidates = extra ? list : topCovered(list, grants, input.estate.account(input.principal.accountId).byArn);
  for (const p of candidates) {
    if (p.arn === exclude) {
      self = true;
      continue;
    }
    if (out.length && p.rank < out[0]!.rank) break;
    if (extra ? grants.some((g) => covers(g, p.arn)) && extra(p) : true) {
      out.push(p);
      if (out.length >= 3) break;
    }
  }
  return { value: out, self };
}

const lateralCache = new WeakMap<readonly PrincipalView[], Map<string, PrincipalView[]>>();

/**
 * Covered principals of `list` that hold data or credential access the principal lacks (lateral
 * reach: not more privileged, but elsewhere). At most 3; memoised per list, scope and the principal's
 * own access (never per principal), so it never depends on the principal's identity beyond excluding it.
 */
export function lateralCovered(input: JudgeInput, list: readonly PrincipalView[], grants: readonly Scoped[]): Picked<PrincipalView[]> {
  const own = input.principal;
  const key = `${scopeKey(grants)}@${own.dataKey}`;
  let byKey = lateralCache.get(list);
  if (!byKey) lateralCache.set(list, (byKey = new Map()));
  let found = byKey.get(key);
  if (!found) {
    // Grants naming exact ARNs (a substituted `${aws:username}`): look them up, do not scan the list.
    const candidates = literalCandidates(list, grants, input.estate.account(own.accountId).byArn) ?? list;
    found = [];
    for (const p of candidates) {
      if (found.length >= 4) break;
      if (lacksAccessOf(own, p) && grants.some((g) => covers(g, p.arn))) found.push(p);
    }
    byKey.set(key, found);
  }
  const others = found.filter((p) => p.arn !== own.arn);
  return { value: others.slice(0, 3), self: others.length !== found.length };
}

/** Data or credential actions `other` may perform on resources `principal` cannot reach with them. */
export function accessBeyond(principal: PrincipalView, other: PrincipalView): string[] {
  const out: string[] = [];
  for (const [action, resources] of other.data) {
    const mine = principal.data.get(action);
    if (!mine || !resources.every((r) => mine.some((m) => subsumes(m, r)))) out.push(action);
  }
  return out;
}

function lacksAccessOf(principal: PrincipalView, other: PrincipalView): boolean {
  if (!other.data.size) return false;
  return accessBeyond(principal, other).length > 0;
}
