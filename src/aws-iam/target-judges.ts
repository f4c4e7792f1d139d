/**
 * One small judge per escalation target kind: given the resources the path's target action is
 * allowed on, what does the path reach in the scanned estate? Each judge returns its decision
 * (including whether it looked at the principal itself); none mutates shared state.
 *
 * Why resources matter (the reasoning per path is in escalation-paths.ts):
 * - iam:CreateAccessKey on `user/${aws:username}` only is self-service rotation, not escalation;
 * - iam:PassRole on one named role is as strong as that role: passing a read-only role to EC2 gains
 *   nothing, passing an admin role is admin, passing a role that reads data the principal cannot is
 *   lateral reach (high);
 * - iam:CreatePolicyVersion on AWS-managed policies (`arn:aws:iam::aws:policy/…`) does nothing: AWS
 *   refuses to change them;
 * - a path whose scope is narrow and whose target is not in the scan is `unknown`, not dropped.
 */
import type { EscalationPath, TargetKind } from './escalation-paths.js';
import type { AccountView, PrincipalView } from './estate.js';
import { accessBeyond, anyBroad, bestCovered, covers, coversSelf, lateralCovered, scopedGrants, topCovered, type JudgeInput, type Scoped } from './scope.js';
import { trustsPrincipal } from './trust.js';
import { PRIVILEGE_LEVELS, reachRank, type Reach } from './types.js';

const ADMIN_RANK = PRIVILEGE_LEVELS.indexOf('admin');

export interface Decision {
  reach: Reach;
  reason: string;
  targets?: string[];
  /** Extra actions the judgement relied on (sts:AssumeRole for role-policy). */
  alsoUsed?: { action: string; grants: Scoped[] }[];
  /** The reach is lateral: not more privileged, but data or credentials the principal lacks. */
  lateral?: boolean;
  /** The judgement looked at the principal's own ARN or name: not shareable. */
  self?: boolean;
}

export interface TargetQuery extends JudgeInput {
  path: EscalationPath;
  /** Grants of the path's target action, scoped. */
  grants: Scoped[];
  allowConditional: boolean;
}

type Judge = (q: TargetQuery) => Decision | undefined;

function rankReach(rank: number, own: number): Reach {
  if (rank >= ADMIN_RANK) return 'admin';
  return rank > own ? 'escalation' : 'latent';
}

function levelName(rank: number): string {
  return PRIVILEGE_LEVELS[rank] ?? 'none';
}

const quoted = (list: readonly { name: string }[]) => list.map((p) => `"${p.name}"`).join(', ');

function accountOf(q: JudgeInput): AccountView {
  return q.estate.account(q.principal.accountId);
}

function broad(q: TargetQuery): boolean {
  return anyBroad(q.grants, q, q.path.target.action);
}

function otherRoles(q: JudgeInput): boolean {
  return accountOf(q).roles.length > (q.principal.kind === 'iam-role' ? 1 : 0);
}

/**
 * What a list of candidate principals gives: the most privileged covered one when it is more
 * privileged than the principal; else one with data the principal lacks (lateral, judged as
 * escalation); else the best it reaches today (latent, named so the finding says what it reaches).
 */
function judgeCandidates(q: TargetQuery, list: readonly PrincipalView[], what: string, extra?: (p: PrincipalView) => boolean): Decision | undefined {
  const own = q.principal.rank;
  const best = bestCovered(q, list, q.grants, extra);
  const top = best.value[0];
  if (top && top.rank > own) {
    return {
      reach: rankReach(top.rank, own),
      targets: best.value.map((p) => p.name),
      self: best.self,
      reason: `reaches ${what} ${quoted(best.value)} with ${levelName(top.rank)} privileges (the principal itself has ${levelName(own)})`,
    };
  }
  const lateral = extra ? { value: [], self: true } : lateralCovered(q, list, q.grants);
  if (lateral.value.length) {
    const beyond = accessBeyond(q.principal, lateral.value[0]!).slice(0, 4);
    return {
      reach: 'escalation',
      lateral: true,
      targets: lateral.value.map((p) => p.name),
      self: best.self || lateral.self,
      reason: `reaches ${what} ${quoted(lateral.value)}: no more privileged than the principal, but with data or credential access it lacks (${beyond.join(', ')}): lateral reach`,
    };
  }
  if (!top) return undefined;
  return {
    reach: 'latent',
    targets: best.value.map((p) => p.name),
    self: best.self,
    reason: `today it reaches ${what} ${quoted(best.value)} with ${levelName(top.rank)} privileges, not above the principal's level (${levelName(own)}); a more privileged ${what.split(' ')[0]} added later makes it an escalation`,
  };
}

const AWS_MANAGED = /^arn:[^:]+:iam::aws:policy\//;

/** Whether every resource of every grant lies inside AWS's own, immutable policy namespace. */
function onlyAwsManaged(grants: readonly Scoped[]): boolean {
  return grants.every((g) => !g.notResources.length && g.resources.every((r) => AWS_MANAGED.test(r)));
}

const managedPolicy: Judge = (q) => {
  if (onlyAwsManaged(q.grants)) return undefined; // AWS-managed policies cannot be changed by customers
  const mine = q.principal.customerPolicyArns.filter((arn) => q.grants.some((g) => covers(g, arn)));
  if (mine.length) {
    const reach: Reach = q.path.id === 'iam-set-default-policy-version' ? 'escalation' : 'admin';
    return {
      reach,
      targets: mine,
      reason: `covers customer-managed polic${mine.length > 1 ? 'ies' : 'y'} attached to the principal itself (${mine.join(', ')})`,
    };
  }
  if (broad(q))
    return {
      reach: 'escalation',
      reason:
        'covers every customer-managed policy in the account (none attached to the principal itself): rewrites the privileges of whoever they are attached to',
    };
  return { reach: 'unknown', reason: 'covers specific policies not attached to the principal; what they grant to whom is not judged' };
};

const userCredentials: Judge = (q) => {
  const p = q.principal;
  const account = accountOf(q);
  const found = judgeCandidates(q, account.usersByRank, 'user');
  if (found && found.reach !== 'latent') return found;
  if (broad(q)) {
    if (found) return found;
    return account.users.length > (p.kind === 'iam-user' ? 1 : 0)
      ? { reach: 'latent', reason: 'covers every user, but no other scanned user is more privileged than the principal today' }
      : { reach: 'escalation', reason: 'covers every user in the account (no other user was scanned to compare)' };
  }
  if (found) return found;
  if (p.kind === 'iam-user') {
    const own = coversSelf(q.grants, p);
    if (own.value) return { reach: 'self', self: true, reason: "limited to the principal's own user: self-service credential management, not escalation" };
  }
  return { reach: 'unknown', self: true, reason: 'covers specific users that are not in the scan' };
};

const userPolicy: Judge = (q) => {
  if (q.principal.kind === 'iam-user') {
    const own = coversSelf(q.grants, q.principal);
    if (own.value)
      return { reach: 'admin', targets: [q.principal.name], self: true, reason: "covers the principal's own user: it can grant itself any permission" };
  }
  if (broad(q)) return { reach: 'escalation', self: q.principal.kind === 'iam-user', reason: 'covers every user: it can grant any other user any permission' };
  return { reach: 'unknown', self: true, reason: 'covers specific other users only' };
};

function groupArn(p: PrincipalView, group: string): string {
  return `arn:${p.partition}:iam::${p.accountId}:group/${group}`;
}

function coversGroup(s: Scoped, p: PrincipalView, group: string): boolean {
  if (covers(s, groupArn(p, group))) return true;
  // Groups can have paths (`group/team/devs`): a literal pattern ending in the name also names it.
  return s.resources.some((r) => !/[*?]/.test(r) && r.startsWith(`arn:${p.partition}:iam::${p.accountId}:group/`) && r.endsWith(`/${group}`));
}

const groupPolicy: Judge = (q) => {
  const p = q.principal;
  const mine = p.groups.filter((g) => q.grants.some((s) => coversGroup(s, p, g)));
  if (mine.length)
    return {
      reach: 'admin',
      targets: mine,
      reason: `covers the principal's own group${mine.length > 1 ? 's' : ''} (${mine.join(', ')}): it can grant itself any permission`,
    };
  if (broad(q)) return { reach: 'escalation', reason: 'covers every group: it can grant any group any permission' };
  return { reach: 'unknown', reason: 'covers specific groups the principal is not a member of' };
};

const groupMembership: Judge = (q) => {
  const p = q.principal;
  const account = accountOf(q);
  let best: { name: string; rank: number }[] = [];
  for (const [group, rank] of account.groups) {
    if (p.groups.includes(group) || !q.grants.some((s) => coversGroup(s, p, group))) continue;
    if (!best.length || rank > best[0]!.rank) best = [{ name: group, rank }];
    else if (rank === best[0]!.rank && best.length < 3) best.push({ name: group, rank });
  }
  let result: Decision;
  if (best.length) {
    const rank = best[0]!.rank;
    result = {
      reach: rankReach(rank, p.rank),
      targets: best.map((b) => b.name),
      reason: `can join group ${quoted(best)} with ${levelName(rank)} privileges (the principal itself has ${levelName(p.rank)})`,
    };
  } else if (broad(q)) {
    result = [...account.groups.keys()].some((g) => !p.groups.includes(g))
      ? { reach: 'latent', reason: 'covers every group, but no scanned group grants more than the principal has' }
      : { reach: 'escalation', reason: 'covers every group (no group was scanned to compare)' };
  } else result = { reach: 'unknown', reason: 'covers specific groups that are not in the scan' };
  if (p.kind !== 'iam-user' && reachRank(result.reach) > reachRank('unknown')) {
    return { ...result, reach: 'unknown', reason: `${result.reason}; the principal is not a user, so it needs control of some user to benefit` };
  }
  return result;
};

/**
 * Whether the principal can assume a role without any identity permission: a same-account trust that
 * names its ARN (or anyone). An account-wide (`:root`) trust is not enough on its own.
 */
function namesPrincipal(r: PrincipalView, p: PrincipalView): boolean {
  return r.accountId === p.accountId && !!r.trustPolicy && trustsPrincipal(r.trustPolicy, p.arn, NO_ACCOUNT);
}

/** An account id no principal has: asks trustsPrincipal about the ARN alone. */
const NO_ACCOUNT = '-';

const rolePolicy: Judge = (q) => {
  const p = q.principal;
  if (p.kind === 'iam-role' && coversSelf(q.grants, p).value) {
    return { reach: 'admin', targets: [p.name], self: true, reason: "covers the principal's own role: it can grant itself any permission" };
  }
  const account = accountOf(q);
  const assume = scopedGrants(q, 'sts:AssumeRole', q.allowConditional);
  const also = assume.length ? [{ action: 'sts:AssumeRole', grants: assume }] : undefined;
  const usableRole = (r: PrincipalView) =>
    namesPrincipal(r, p) || (assume.some((a) => covers(a, r.arn)) && (!r.trustPolicy || trustsPrincipal(r.trustPolicy, p.arn, p.accountId)));
  const best = bestCovered(q, account.rolesByRank, q.grants, usableRole);
  if (best.value.length) {
    return {
      reach: 'admin',
      targets: best.value.map((r) => r.name),
      ...(also ? { alsoUsed: also } : {}),
      self: true,
      reason: `can modify and assume role ${quoted(best.value)} (its trust policy admits the principal or its account)`,
    };
  }
  if (broad(q)) {
    // Even with no role to assume, a grant on every role hands any permission to whoever runs as them.
    return {
      reach: 'escalation',
      ...(also ? { alsoUsed: also } : {}),
      self: true,
      reason: 'covers every role: it can grant any role any permission, and with it every workload and person that uses one',
    };
  }
  if (!also) return undefined;
  return { reach: 'unknown', alsoUsed: also, self: true, reason: 'covers specific roles that are not in the scan or cannot be assumed' };
};

const roleTrust: Judge = (q) => {
  const p = q.principal;
  const account = accountOf(q);
  // After the rewrite the trust names the principal: same account needs no identity permission.
  const found = judgeCandidates(q, account.rolesByRank, 'role');
  if (found) return found;
  if (broad(q)) {
    return otherRoles(q)
      ? { reach: 'latent', reason: 'covers every role, but no other scanned role is more privileged than the principal' }
      : { reach: 'escalation', reason: 'covers every role (no other role was scanned to compare)' };
  }
  return { reach: 'unknown', self: p.kind === 'iam-role', reason: 'covers specific roles that are not in the scan' };
};

const passRole: Judge = (q) => {
  const service = q.path.target.servicePrincipal!;
  const account = accountOf(q);
  const trusting = account.rolesByService.get(service) ?? [];
  const found = judgeCandidates(q, trusting, `role trusting ${service},`);
  if (found) return found;
  if (broad(q)) {
    return otherRoles(q)
      ? { reach: 'latent', reason: `can pass any role to ${service}, but no scanned role trusts ${service} today; the first one created makes this path live` }
      : { reach: 'escalation', reason: `can pass any role to ${service} (no role was scanned to compare)` };
  }
  const covered = topCovered(account.rolesByRank, q.grants, account.byArn);
  const named = covered.filter((r) => r.arn !== q.principal.arn);
  const self = named.length !== covered.length;
  if (named.length)
    return {
      reach: 'latent',
      self,
      targets: named.slice(0, 3).map((r) => r.name),
      reason: `can pass only role(s) ${quoted(named.slice(0, 3))}, which do not trust ${service}`,
    };
  return { reach: 'unknown', self, reason: 'can pass only specific roles that are not in the scan' };
};

const serviceCompute: Judge = (q) => {
  const service = q.path.target.servicePrincipal!;
  const trusting = accountOf(q).rolesByService.get(service) ?? [];
  if (broad(q)) {
    const found = judgeCandidates(q, trusting, `role trusting ${service},`);
    if (found) return found;
    // No scanned role trusts the service: no compute runs with a role, there is nothing to take over.
    return otherRoles(q) ? undefined : { reach: 'escalation', reason: `covers all ${service.split('.')[0]} compute (no role was scanned to compare)` };
  }
  const functions = service === 'lambda.amazonaws.com' ? scannedFunctionRoles(q) : undefined;
  if (functions) return functions;
  if (otherRoles(q) && !trusting.length) return undefined;
  return { reach: 'unknown', reason: 'covers specific resources whose role is not known offline' };
};

/** Named Lambda functions whose execution role the scan knows: the path is as strong as the best of those roles. */
function scannedFunctionRoles(q: TargetQuery): Decision | undefined {
  const reached: { fn: string; role: PrincipalView }[] = [];
  for (const [fn, roleArn] of q.estate.functionRoles) {
    const role = q.estate.byArn.get(roleArn);
    if (role && q.grants.some((g) => covers(g, fn))) reached.push({ fn: fn.split(':').at(-1)!, role });
  }
  if (!reached.length) return undefined;
  reached.sort((a, b) => b.role.rank - a.role.rank);
  const top = reached[0]!;
  return {
    reach: rankReach(top.role.rank, q.principal.rank),
    targets: [...new Set(reached.map((r) => r.role.name))],
    reason: `runs code as function "${top.fn}", whose execution role "${top.role.name}" has ${levelName(top.role.rank)} privileges (the principal itself has ${levelName(q.principal.rank)})`,
  };
}

/**
 * Roles the principal can assume today that are more privileged than itself (or hold data it lacks),
 * in any scanned account. sts:AssumeRole on `*` alone, with nothing better to assume, is left to the
 * sensitive-actions rule.
 */
const assumeRole: Judge = (q) => {
  const p = q.principal;
  const assume = scopedGrants(q, 'sts:AssumeRole', q.allowConditional);
  const named = q.estate.rolesTrusting(p.arn);
  const candidates: { role: PrincipalView; how: 'trust-names-principal' | 'identity-policy' }[] = [];
  for (const role of named)
    if (role.accountId === p.accountId && role.arn !== p.arn) {
      candidates.push({ role, how: 'trust-names-principal' });
      break;
    }
  if (assume.length) {
    for (const list of [named, q.estate.rolesTrusting(p.accountId), q.estate.rolesTrusting('*')]) {
      const best = topCovered(list, assume, q.estate.byArn).find((r) => r.arn !== p.arn);
      if (best) candidates.push({ role: best, how: 'identity-policy' });
    }
  }
  const self = named.length > 0;
  if (!candidates.length) return undefined;
  candidates.sort((a, b) => b.role.rank - a.role.rank);
  const { role, how } = candidates[0]!;
  if (role.rank <= p.rank) return undefined;
  const where = role.accountId === p.accountId ? '' : ` in account ${role.accountId}`;
  const via =
    how === 'trust-names-principal'
      ? 'its trust policy names the principal, so no identity permission is needed'
      : "its trust policy admits the principal's account and the principal may call sts:AssumeRole on it";
  return {
    reach: rankReach(role.rank, p.rank),
    targets: [role.name],
    self,
    reason: `can assume role "${role.name}"${where} with ${levelName(role.rank)} privileges (the principal itself has ${levelName(p.rank)}): ${via}`,
    ...(how === 'identity-policy' ? { alsoUsed: [{ action: 'sts:AssumeRole', grants: assume }] } : {}),
  };
};

/** The judge of each target kind. */
export const TARGET_JUDGES: Readonly<Record<TargetKind, Judge>> = {
  'managed-policy': managedPolicy,
  'user-credentials': userCredentials,
  'user-policy': userPolicy,
  'group-policy': groupPolicy,
  'group-membership': groupMembership,
  'role-policy': rolePolicy,
  'role-trust': roleTrust,
  'pass-role': passRole,
  'service-compute': serviceCompute,
  'assume-role': assumeRole,
};
