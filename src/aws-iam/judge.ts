/**
 * Judges, for one principal, which escalation paths its effective permissions enable and what each
 * reaches, looking at the resources the target action is allowed on and at the rest of the scanned
 * estate (who is more privileged, which roles trust which service). Also finds credential- and
 * data-returning actions allowed on every resource.
 *
 * Why resources matter (a few examples, the full reasoning per path is in escalation-paths.ts):
 * - iam:CreateAccessKey on `user/${aws:username}` only is self-service rotation, not escalation;
 * - iam:PassRole on one named role is as strong as that role: passing a read-only role to EC2 gains
 *   nothing, passing an admin role is admin; an `iam:PassedToService` condition naming another
 *   service rules a path out;
 * - a path whose scope is narrow and whose target is not in the scan is `unknown`, not dropped.
 */
import type { ActionCatalog } from './catalog.js';
import { coversAllResources, isConditional, type EffectiveAccess, type GrantList, type ResourceGrant } from './evaluate.js';
import { ESCALATION_PATHS, type EscalationPath } from './escalation-paths.js';
import type { AccountView, EstateView, PrincipalView } from './estate.js';
import { instantiateTemplate, isAll, isLiteral, matches, subsumes, substituteVariables } from './patterns.js';
import { SENSITIVE_ACTIONS } from './sensitive-actions.js';
import { trustsPrincipal } from './trust.js';
import {
  PRIVILEGE_LEVELS,
  reachRank,
  type ActionEvidence,
  type EscalationFinding,
  type Reach,
  type SensitiveFinding,
} from './types.js';

const ADMIN_RANK = PRIVILEGE_LEVELS.indexOf('admin');

export interface JudgeContext {
  catalog: ActionCatalog;
  access: EffectiveAccess;
  principal: PrincipalView;
  estate: EstateView;
  /**
   * Set when the judgement looked at the principal's own ARN or name (policy variables, "covers
   * itself", excluding itself from candidates). Untouched judgements are shared by every principal
   * with the same policy set, kind, account, level, groups and policies: the cache that makes
   * 15,000 principals cheap.
   */
  touchedSelf?: boolean;
}

/** A grant with the principal's own policy variables (`${aws:username}`) resolved. */
interface Scoped {
  grant: ResourceGrant;
  resources: string[];
  notResources: string[];
  except: string[];
}

function scope(grant: ResourceGrant, ctx: JudgeContext): Scoped {
  const principal = ctx.principal;
  if ([grant.resources, grant.notResources ?? [], grant.except ?? []].some((l) => l.some((r) => r.includes('${')))) ctx.touchedSelf = true;
  const vars: Record<string, string> = { 'aws:principalaccount': principal.accountId };
  if (principal.kind === 'iam-user') vars['aws:username'] = principal.name;
  const sub = (list: readonly string[] | undefined) => (list ?? []).map((p) => substituteVariables(p, vars));
  return { grant, resources: sub(grant.resources), notResources: sub(grant.notResources), except: sub(grant.except) };
}

/** Whether some grant covers the principal itself; marks the judgement as self-dependent unless every grant covers everything. */
function coversSelf(grants: Scoped[], ctx: JudgeContext): boolean {
  if (!grants.every((g) => !g.notResources.length && !g.except.length && g.resources.some(isAll))) ctx.touchedSelf = true;
  return grants.some((g) => covers(g, ctx.principal.arn));
}

function covers(s: Scoped, arn: string): boolean {
  const inScope = s.notResources.length ? !s.notResources.some((n) => matches(n, arn)) : s.resources.some((r) => matches(r, arn));
  return inScope && !s.except.some((e) => matches(e, arn));
}

/** Whether the grant covers every resource of some type the action accepts, in the principal's account. */
function isBroad(s: Scoped, ctx: JudgeContext, action: string): boolean {
  const id = ctx.catalog.byName.get(action.toLowerCase());
  const templates = id === undefined ? [] : ctx.catalog.arnTemplates[id]!;
  if (coversAllResources(s.grant) || (!s.notResources.length && s.resources.some((r) => r === '*'))) return true;
  if (!templates.length) return true;
  return templates.some((t) => {
    const all = instantiateTemplate(t, ctx.principal.partition, ctx.principal.accountId);
    if (s.except.some((e) => subsumes(e, all))) return false;
    return s.notResources.length ? !s.notResources.some((n) => subsumes(n, all)) : s.resources.some((r) => subsumes(r, all));
  });
}

function grantsOf(ctx: JudgeContext, action: string): GrantList {
  const id = ctx.catalog.byName.get(action.toLowerCase());
  return id === undefined ? [] : (ctx.access.allowed.get(id) ?? []);
}

/**
 * The grants of `iam:PassRole` usable to pass a role to `servicePrincipal`: `iam:PassedToService` is
 * the one condition we can judge offline, so it is resolved here instead of reported as conditional.
 */
function forService(grant: ResourceGrant, servicePrincipal: string | undefined): ResourceGrant | undefined {
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

interface TargetResult {
  reach: Reach;
  reason: string;
  targets?: string[];
  /** Extra actions the judgement relied on (sts:AssumeRole for role-policy). */
  alsoUsed?: { action: string; grants: Scoped[] }[];
}

function rankReach(rank: number, own: number): Reach {
  if (rank >= ADMIN_RANK) return 'admin';
  return rank > own ? 'escalation' : 'latent';
}

function levelName(rank: number): string {
  return PRIVILEGE_LEVELS[rank] ?? 'none';
}

const memberSets = new WeakMap<readonly PrincipalView[], Set<PrincipalView>>();
const topCache = new WeakMap<readonly PrincipalView[], Map<string, PrincipalView[]>>();

/** The (up to 4) most privileged principals of `list` (sorted by rank, descending) that some grant covers. */
function topCovered(list: readonly PrincipalView[], grants: Scoped[], byArn?: ReadonlyMap<string, PrincipalView>): PrincipalView[] {
  // Grants naming exact ARNs (`user/alice`, a substituted `${aws:username}`): look them up, do not scan.
  if (byArn && grants.every((g) => !g.notResources.length && g.resources.every(isLiteral))) {
    let members = memberSets.get(list);
    if (!members) memberSets.set(list, (members = new Set(list)));
    const found = new Set<PrincipalView>();
    for (const g of grants) for (const r of g.resources) {
      const hit = byArn.get(r);
      if (hit && members.has(hit) && covers(g, r)) found.add(hit);
    }
    return [...found].sort((a, b) => b.rank - a.rank).slice(0, 4);
  }
  // Memoised per list and resource scope: principals sharing a policy set share the answer.
  const key = grants.map((g) => `${g.resources.join(',')}|${g.notResources.join(',')}|${g.except.join(',')}`).join('#');
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

/** The most privileged principals of `list` that some grant covers (other than `exclude`), all of the top rank. */
function bestCovered(ctx: JudgeContext, list: readonly PrincipalView[], grants: Scoped[], extra?: (p: PrincipalView) => boolean): PrincipalView[] {
  const out: PrincipalView[] = [];
  const exclude = ctx.principal.arn;
  if (extra) ctx.touchedSelf = true;
  const candidates = extra ? list : topCovered(list, grants, ctx.estate.account(ctx.principal.accountId).byArn);
  for (const p of candidates) {
    if (p.arn === exclude) {
      ctx.touchedSelf = true;
      continue;
    }
    if (out.length && p.rank < out[0]!.rank) break;
    if ((extra ? grants.some((g) => covers(g, p.arn)) && extra(p) : true)) {
      out.push(p);
      if (out.length >= 3) break;
    }
  }
  return out;
}

function fromCandidates(best: PrincipalView[], own: number, what: string): TargetResult {
  const rank = best[0]!.rank;
  return {
    reach: rankReach(rank, own),
    targets: best.map((p) => p.name),
    reason: `reaches ${what} ${best.map((p) => `"${p.name}"`).join(', ')} with ${levelName(rank)} privileges (the principal itself has ${levelName(own)})`,
  };
}

function groupArn(p: PrincipalView, group: string): string {
  return `arn:${p.partition}:iam::${p.accountId}:group/${group}`;
}

function coversGroup(s: Scoped, p: PrincipalView, group: string): boolean {
  if (covers(s, groupArn(p, group))) return true;
  // Groups can have paths (`group/team/devs`): a literal pattern ending in the name also names it.
  return s.resources.some((r) => !/[*?]/.test(r) && r.startsWith(`arn:${p.partition}:iam::${p.accountId}:group/`) && r.endsWith(`/${group}`));
}

function judgeTarget(path: EscalationPath, grants: Scoped[], ctx: JudgeContext, allowConditional: boolean): TargetResult | undefined {
  const p = ctx.principal;
  const account: AccountView = ctx.estate.account(p.accountId);
  const own = p.rank;
  const broad = grants.some((g) => isBroad(g, ctx, path.target.action));
  const otherUsers = account.users.length > (p.kind === 'iam-user' ? 1 : 0);
  const otherRoles = account.roles.length > (p.kind === 'iam-role' ? 1 : 0);

  switch (path.target.kind) {
    case 'managed-policy': {
      const mine = p.customerPolicyArns.filter((arn) => grants.some((g) => covers(g, arn)));
      if (mine.length) {
        const reach: Reach = path.id === 'iam-set-default-policy-version' ? 'escalation' : 'admin';
        return { reach, targets: mine, reason: `covers customer-managed polic${mine.length > 1 ? 'ies' : 'y'} attached to the principal itself (${mine.join(', ')})` };
      }
      if (broad) return { reach: 'escalation', reason: 'covers every customer-managed policy in the account (none attached to the principal itself): rewrites the privileges of whoever they are attached to' };
      return { reach: 'unknown', reason: 'covers specific policies not attached to the principal; what they grant to whom is not judged' };
    }
    case 'user-credentials': {
      const best = bestCovered(ctx, account.usersByRank, grants);
      if (best.length) return fromCandidates(best, own, 'user');
      if (broad) {
        return otherUsers
          ? { reach: 'latent', reason: 'covers every user, but no other scanned user is more privileged than the principal today' }
          : { reach: 'escalation', reason: 'covers every user in the account (no other user was scanned to compare)' };
      }
      if (p.kind === 'iam-user' && coversSelf(grants, ctx)) {
        return { reach: 'self', reason: "limited to the principal's own user: self-service credential management, not escalation" };
      }
      return { reach: 'unknown', reason: 'covers specific users that are not in the scan' };
    }
    case 'user-policy': {
      if (p.kind === 'iam-user' && coversSelf(grants, ctx)) {
        ctx.touchedSelf = true; // the result names the principal
        return { reach: 'admin', targets: [p.name], reason: "covers the principal's own user: it can grant itself any permission" };
      }
      if (broad) return { reach: 'escalation', reason: 'covers every user: it can grant any other user any permission' };
      return { reach: 'unknown', reason: 'covers specific other users only' };
    }
    case 'group-policy': {
      const mine = p.groups.filter((g) => grants.some((s) => coversGroup(s, p, g)));
      if (mine.length) return { reach: 'admin', targets: mine, reason: `covers the principal's own group${mine.length > 1 ? 's' : ''} (${mine.join(', ')}): it can grant itself any permission` };
      if (broad) return { reach: 'escalation', reason: 'covers every group: it can grant any group any permission' };
      return { reach: 'unknown', reason: 'covers specific groups the principal is not a member of' };
    }
    case 'group-membership': {
      let best: { name: string; rank: number }[] = [];
      for (const [group, rank] of account.groups) {
        if (p.groups.includes(group) || !grants.some((s) => coversGroup(s, p, group))) continue;
        if (!best.length || rank > best[0]!.rank) best = [{ name: group, rank }];
        else if (rank === best[0]!.rank && best.length < 3) best.push({ name: group, rank });
      }
      let result: TargetResult;
      if (best.length) {
        const rank = best[0]!.rank;
        result = { reach: rankReach(rank, own), targets: best.map((b) => b.name), reason: `can join group ${best.map((b) => `"${b.name}"`).join(', ')} with ${levelName(rank)} privileges (the principal itself has ${levelName(own)})` };
      } else if (broad) {
        result = [...account.groups.keys()].some((g) => !p.groups.includes(g))
          ? { reach: 'latent', reason: 'covers every group, but no scanned group grants more than the principal has' }
          : { reach: 'escalation', reason: 'covers every group (no group was scanned to compare)' };
      } else result = { reach: 'unknown', reason: 'covers specific groups that are not in the scan' };
      if (p.kind !== 'iam-user' && reachRank(result.reach) > reachRank('unknown')) {
        return { ...result, reach: 'unknown', reason: `${result.reason}; the principal is not a user, so it needs control of some user to benefit` };
      }
      return result;
    }
    case 'role-policy': {
      if (p.kind === 'iam-role' && coversSelf(grants, ctx)) {
        ctx.touchedSelf = true; // the result names the principal
        return { reach: 'admin', targets: [p.name], reason: "covers the principal's own role: it can grant itself any permission" };
      }
      const assume = usable(grantsOf(ctx, 'sts:AssumeRole'), allowConditional).map((g) => scope(g, ctx));
      if (!assume.length) return undefined;
      const also = [{ action: 'sts:AssumeRole', grants: assume }];
      const best = bestCovered(ctx, account.rolesByRank, grants, (r) => assume.some((a) => covers(a, r.arn)) && (!r.trustPolicy || trustsPrincipal(r.trustPolicy, p.arn, p.accountId)));
      if (best.length) return { reach: 'admin', targets: best.map((r) => r.name), alsoUsed: also, reason: `can modify and assume role ${best.map((r) => `"${r.name}"`).join(', ')} (its trust policy admits the principal or its account)` };
      const assumeBroad = assume.some((g) => isBroad(g, ctx, 'sts:AssumeRole'));
      if (broad && assumeBroad) {
        return otherRoles
          ? { reach: 'latent', alsoUsed: also, reason: 'covers every role, but no scanned role trusts the principal or its account' }
          : { reach: 'escalation', alsoUsed: also, reason: 'covers and can assume every role (no other role was scanned to check trust)' };
      }
      return { reach: 'unknown', alsoUsed: also, reason: 'covers specific roles that are not in the scan or cannot be assumed' };
    }
    case 'role-trust': {
      const assume = usable(grantsOf(ctx, 'sts:AssumeRole'), allowConditional).map((g) => scope(g, ctx));
      const best = bestCovered(ctx, account.rolesByRank, grants, (r) => assume.some((a) => covers(a, r.arn)));
      if (best.length) return fromCandidates(best, own, 'role');
      const assumeBroad = assume.some((g) => isBroad(g, ctx, 'sts:AssumeRole'));
      if (broad && assumeBroad) {
        return otherRoles
          ? { reach: 'latent', reason: 'covers every role, but no other scanned role is more privileged than the principal' }
          : { reach: 'escalation', reason: 'covers every role (no other role was scanned to compare)' };
      }
      return { reach: 'unknown', reason: 'the two actions do not both cover a scanned role' };
    }
    case 'pass-role': {
      const service = path.target.servicePrincipal!;
      const trusting = account.rolesByService.get(service) ?? [];
      const best = bestCovered(ctx, trusting, grants);
      if (best.length) return fromCandidates(best, own, `role trusting ${service},`);
      if (broad) {
        return otherRoles
          ? { reach: 'latent', reason: `can pass any role, but no scanned role that trusts ${service} is more privileged than the principal` }
          : { reach: 'escalation', reason: `can pass any role to ${service} (no role was scanned to compare)` };
      }
      const covered = topCovered(account.rolesByRank, grants, account.byArn);
      const named = covered.filter((r) => r.arn !== p.arn);
      if (named.length !== covered.length) ctx.touchedSelf = true;
      if (named.length) return { reach: 'latent', targets: named.slice(0, 3).map((r) => r.name), reason: `can pass only role(s) ${named.slice(0, 3).map((r) => `"${r.name}"`).join(', ')}, which do not trust ${service}` };
      return { reach: 'unknown', reason: 'can pass only specific roles that are not in the scan' };
    }
    case 'service-compute': {
      const service = path.target.servicePrincipal!;
      const trusting = account.rolesByService.get(service) ?? [];
      if (broad) {
        const best = bestCovered(ctx, trusting, grants);
        if (best.length) return fromCandidates(best, own, `role trusting ${service},`);
        return otherRoles
          ? { reach: 'latent', reason: `no scanned role trusts ${service}, so no compute runs with a role to take over today` }
          : { reach: 'escalation', reason: `covers all ${service.split('.')[0]} compute (no role was scanned to compare)` };
      }
      if (otherRoles && !trusting.length) return { reach: 'latent', reason: `no scanned role trusts ${service}` };
      return { reach: 'unknown', reason: 'covers specific resources whose role is not known offline' };
    }
    case 'assume-role':
      return judgeAssumeRole(ctx, allowConditional);
  }
}

/**
 * Roles the principal can assume today that are more privileged than itself, in any scanned account.
 * Only a concrete, more privileged role is a finding: sts:AssumeRole on `*` alone is already reported by
 * the sensitive-actions rule.
 */
function judgeAssumeRole(ctx: JudgeContext, allowConditional: boolean): TargetResult | undefined {
  const p = ctx.principal;
  const assume = usable(grantsOf(ctx, 'sts:AssumeRole'), allowConditional).map((g) => scope(g, ctx));
  const named = ctx.estate.rolesTrusting(p.arn);
  if (named.length) ctx.touchedSelf = true;
  const candidates: { role: PrincipalView; how: 'trust-names-principal' | 'identity-policy' }[] = [];
  // Same-account trust naming the principal's ARN: the trust policy alone grants the assumption.
  for (const role of named) if (role.accountId === p.accountId && role.arn !== p.arn) { candidates.push({ role, how: 'trust-names-principal' }); break; }
  if (assume.length) {
    for (const list of [named, ctx.estate.rolesTrusting(p.accountId), ctx.estate.rolesTrusting('*')]) {
      const best = topCovered(list, assume, ctx.estate.byArn).find((r) => r.arn !== p.arn);
      if (best) candidates.push({ role: best, how: 'identity-policy' });
    }
  }
  if (!candidates.length) return undefined;
  candidates.sort((a, b) => b.role.rank - a.role.rank);
  const { role, how } = candidates[0]!;
  if (role.rank <= p.rank) return undefined;
  const where = role.accountId === p.accountId ? '' : ` in account ${role.accountId}`;
  const via = how === 'trust-names-principal' ? 'its trust policy names the principal, so no identity permission is needed' : 'its trust policy admits the principal\'s account and the principal may call sts:AssumeRole on it';
  return {
    reach: rankReach(role.rank, p.rank),
    targets: [role.name],
    reason: `can assume role "${role.name}"${where} with ${levelName(role.rank)} privileges (the principal itself has ${levelName(p.rank)}): ${via}`,
    ...(how === 'identity-policy' ? { alsoUsed: [{ action: 'sts:AssumeRole', grants: assume }] } : {}),
  };
}

function usable(grants: GrantList, allowConditional: boolean): ResourceGrant[] {
  return allowConditional ? [...grants] : grants.filter((g) => !isConditional(g));
}

function conditionKeysOf(grants: readonly ResourceGrant[]): string[] {
  const keys = new Set<string>();
  for (const g of grants) for (const c of [...(g.conditions ?? []), ...(g.denyConditions ?? [])]) keys.add(c.key);
  return [...keys].sort();
}

function evidenceOf(action: string, grants: readonly Scoped[]): ActionEvidence {
  const resources = new Set<string>();
  const sources = new Set<string>();
  for (const s of grants) {
    if (s.notResources.length) resources.add(`NOT ${s.notResources.join(' | ')}`);
    else for (const r of s.resources) resources.add(r);
    for (const e of s.except) resources.add(`EXCEPT ${e}`);
    for (const src of s.grant.sources) sources.add(src);
  }
  const keys = conditionKeysOf(grants.map((g) => g.grant));
  return { action, resources: [...resources], sources: [...sources], ...(keys.length ? { conditionKeys: keys } : {}) };
}

function attempt(path: EscalationPath, ctx: JudgeContext, allowConditional: boolean): EscalationFinding | undefined {
  const used: { action: string; grants: Scoped[] }[] = [];
  let targetGrants: Scoped[] = [];
  for (const group of path.requires) {
    let satisfied = false;
    for (const action of group) {
      let grants = usable(grantsOf(ctx, action), allowConditional);
      if (action.toLowerCase() === path.target.action.toLowerCase()) {
        grants = grants
          .map((g) => (action.toLowerCase() === 'iam:passrole' ? forService(g, path.target.servicePrincipal) : g))
          .filter((g): g is ResourceGrant => !!g);
        if (!allowConditional) grants = grants.filter((g) => !isConditional(g));
      }
      if (!grants.length) continue;
      const scoped = grants.map((g) => scope(g, ctx));
      used.push({ action, grants: scoped });
      if (action.toLowerCase() === path.target.action.toLowerCase()) targetGrants = scoped;
      satisfied = true;
    }
    if (!satisfied) return undefined;
  }
  const result = judgeTarget(path, targetGrants, ctx, allowConditional);
  if (!result) return undefined;
  const all = [...used, ...(result.alsoUsed ?? [])];
  const conditional = allowConditional && all.some((u) => u.grants.some((g) => isConditional(g.grant)));
  const keys = conditional ? conditionKeysOf(all.flatMap((u) => u.grants.map((g) => g.grant))) : [];
  return {
    id: path.id,
    title: path.title,
    reach: result.reach,
    conditional,
    ...(keys.length ? { conditionKeys: keys } : {}),
    actions: all.map((u) => evidenceOf(u.action, u.grants)),
    ...(result.targets?.length ? { targets: result.targets } : {}),
    reason: result.reason,
  };
}

/** Every escalation path the principal's permissions enable, with what each reaches. */
export function judgeEscalation(ctx: JudgeContext): EscalationFinding[] {
  const p = ctx.principal;
  const key = `esc|${ctx.access.hash}|${p.kind}|${p.accountId}|${p.partition}|${p.rank}|${p.groups.join(',')}|${p.customerPolicyArns.join(',')}`;
  const cached = ctx.estate.judgements.get(key);
  if (cached) return cached as EscalationFinding[];
  ctx.touchedSelf = false;
  const out = judgeAllPaths(ctx);
  if (!ctx.touchedSelf) ctx.estate.judgements.set(key, out);
  return out;
}

function judgeAllPaths(ctx: JudgeContext): EscalationFinding[] {
  const out: EscalationFinding[] = [];
  for (const path of ESCALATION_PATHS) {
    const firm = attempt(path, ctx, false);
    const maybe = firm && firm.reach === 'admin' ? undefined : attempt(path, ctx, true);
    const chosen = !maybe || (firm && reachRank(firm.reach) >= reachRank(maybe.reach)) ? firm : maybe;
    if (chosen) out.push(chosen);
  }
  return out.sort((a, b) => reachRank(b.reach) - reachRank(a.reach) || Number(a.conditional) - Number(b.conditional) || a.id.localeCompare(b.id));
}

/** Credential- and data-returning actions allowed on every resource of their type. */
export function judgeSensitive(ctx: JudgeContext): SensitiveFinding[] {
  const key = `sens|${ctx.access.hash}|${ctx.principal.accountId}|${ctx.principal.partition}`;
  const cached = ctx.estate.judgements.get(key);
  if (cached) return cached as SensitiveFinding[];
  ctx.touchedSelf = false;
  const out = judgeAllSensitive(ctx);
  if (!ctx.touchedSelf) ctx.estate.judgements.set(key, out);
  return out;
}

function judgeAllSensitive(ctx: JudgeContext): SensitiveFinding[] {
  const out: SensitiveFinding[] = [];
  for (const entry of SENSITIVE_ACTIONS) {
    const grants = grantsOf(ctx, entry.action).map((g) => scope(g, ctx));
    const broad = grants.filter((g) => isBroad(g, ctx, entry.action));
    if (!broad.length) continue;
    const firm = broad.filter((g) => !isConditional(g.grant));
    const chosen = firm.length ? firm : broad;
    const evidence = evidenceOf(entry.action, chosen);
    out.push({
      action: entry.action,
      kind: entry.kind,
      conditional: !firm.length,
      ...(evidence.conditionKeys && !firm.length ? { conditionKeys: evidence.conditionKeys } : {}),
      resources: evidence.resources,
      sources: evidence.sources,
    });
  }
  return out;
}
