/**
 * Judges, for one principal, which escalation paths its effective permissions enable and what each
 * reaches (the per-kind judges are in target-judges.ts), and which credential- and data-returning
 * actions it may call on every resource.
 */
import { isConditional, type ResourceGrant } from './evaluate.js';
import { ESCALATION_PATHS, type EscalationPath } from './escalation-paths.js';
import { forService, grantsOf, isBroad, judgedKey, scope, usable, type JudgeInput, type Scoped } from './scope.js';
import { SENSITIVE_ACTIONS } from './sensitive-actions.js';
import { TARGET_JUDGES } from './target-judges.js';
import { reachRank, type ActionEvidence, type EscalationFinding, type SensitiveFinding } from './types.js';

export type { JudgeInput } from './scope.js';

interface Attempt {
  finding?: EscalationFinding;
  /** The judgement looked at the principal itself. */
  self: boolean;
}

/** The grants of each required action group (first satisfied action per group), or undefined when a group is not allowed. */
function requiredGrants(
  path: EscalationPath,
  input: JudgeInput,
  allowConditional: boolean,
): { used: { action: string; grants: Scoped[] }[]; target: Scoped[] } | undefined {
  const used: { action: string; grants: Scoped[] }[] = [];
  let target: Scoped[] = [];
  const targetAction = path.target.action.toLowerCase();
  for (const group of path.requires) {
    let satisfied = false;
    for (const action of group) {
      let grants = usable(grantsOf(input.access, input.catalog, action), allowConditional);
      const isTarget = action.toLowerCase() === targetAction;
      if (isTarget && targetAction === 'iam:passrole') {
        grants = grants.map((g) => forService(g, path.target.servicePrincipal)).filter((g): g is ResourceGrant => !!g);
        if (!allowConditional) grants = grants.filter((g) => !isConditional(g));
      }
      if (!grants.length) continue;
      const scoped = grants.map((g) => scope(g, input.principal));
      used.push({ action, grants: scoped });
      if (isTarget) target = scoped;
      satisfied = true;
    }
    if (!satisfied) return undefined;
  }
  return { used, target };
}

/** The target action's grants when every action the path needs is allowed without conditions. */
export function firmTargetGrants(path: EscalationPath, input: JudgeInput): Scoped[] | undefined {
  return requiredGrants(path, input, false)?.target;
}

function attempt(path: EscalationPath, input: JudgeInput, allowConditional: boolean): Attempt {
  const required = requiredGrants(path, input, allowConditional);
  if (!required) return { self: false };
  const usesVariables = required.used.some((u) => u.grants.some((g) => g.usesVariables));
  const decision = TARGET_JUDGES[path.target.kind]({ ...input, path, grants: required.target, allowConditional });
  const self = usesVariables || !!decision?.self;
  if (!decision) return { self };
  const all = [...required.used, ...(decision.alsoUsed ?? [])];
  const conditional = allowConditional && all.some((u) => u.grants.some((g) => isConditional(g.grant)));
  const keys = conditional ? conditionKeysOf(all.flatMap((u) => u.grants.map((g) => g.grant))) : [];
  const finding: EscalationFinding = {
    id: path.id,
    title: path.title,
    reach: decision.reach,
    conditional,
    ...(keys.length ? { conditionKeys: keys } : {}),
    actions: all.map((u) => evidenceOf(u.action, u.grants)),
    ...(decision.targets?.length ? { targets: decision.targets } : {}),
    ...(decision.lateral ? { lateral: true } : {}),
    reason: decision.reason,
  };
  return { finding, self };
}

/** Every escalation path the principal's permissions enable, with what each reaches. */
export function judgeEscalation(input: JudgeInput): EscalationFinding[] {
  const p = input.principal;
  const key = `esc|${judgedKey(input.access, input.catalog)}|${p.kind}|${p.accountId}|${p.partition}|${p.rank}|${p.dataKey}|${p.groups.join(',')}|${p.customerPolicyArns.join(',')}`;
  const cached = input.estate.judgements.get(key);
  if (cached) return cached as EscalationFinding[];
  const { findings, self } = judgeAllPaths(input);
  if (!self) input.estate.judgements.set(key, findings);
  return findings;
}

function judgeAllPaths(input: JudgeInput): { findings: EscalationFinding[]; self: boolean } {
  const findings: EscalationFinding[] = [];
  let self = false;
  for (const path of ESCALATION_PATHS) {
    const firm = attempt(path, input, false);
    const maybe = firm.finding?.reach === 'admin' ? { self: false } : attempt(path, input, true);
    self ||= firm.self || maybe.self;
    const chosen = !maybe.finding || (firm.finding && reachRank(firm.finding.reach) >= reachRank(maybe.finding.reach)) ? firm.finding : maybe.finding;
    if (chosen) findings.push(chosen);
  }
  findings.sort((a, b) => reachRank(b.reach) - reachRank(a.reach) || Number(a.conditional) - Number(b.conditional) || a.id.localeCompare(b.id));
  return { findings, self };
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

/** Credential- and data-returning actions allowed on every resource of their type. */
export function judgeSensitive(input: JudgeInput): SensitiveFinding[] {
  const p = input.principal;
  const key = `sens|${judgedKey(input.access, input.catalog)}|${p.accountId}|${p.partition}`;
  const cached = input.estate.judgements.get(key);
  if (cached) return cached as SensitiveFinding[];
  const { out, self } = judgeAllSensitive(input);
  // Shared unless a policy variable made the scope the principal's own.
  if (!self) input.estate.judgements.set(key, out);
  return out;
}

function judgeAllSensitive(input: JudgeInput): { out: SensitiveFinding[]; self: boolean } {
  const out: SensitiveFinding[] = [];
  let self = false;
  for (const entry of SENSITIVE_ACTIONS) {
    const grants = grantsOf(input.access, input.catalog, entry.action).map((g) => scope(g, input.principal));
    self ||= grants.some((g) => g.usesVariables);
    const broad = grants.filter((g) => isBroad(g, input, entry.action));
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
  return { out, self };
}
