/**
 * Effective identity-based permissions of one principal: every policy that applies to it (managed
 * and inline, direct and through groups) evaluated together, then capped by its permission boundary,
 * following AWS's evaluation logic for identity policies:
 *
 *   allowed(action, resource) = some Allow in the identity policies matches
 *                               AND (no boundary OR some Allow in the boundary matches)
 *                               AND no Deny anywhere matches            (explicit Deny always wins)
 *
 * Offline we know actions exactly (wildcards are expanded against AWS's published action list) but
 * resources only as patterns, and conditions not at all. So the result, per allowed action, is the
 * list of `ResourceGrant`s under which it is allowed: resource patterns, resources carved out by a
 * narrower Deny, and the conditions that must hold (from the Allow or the boundary) or must NOT hold
 * (from a conditional Deny). Nothing conditional is dropped or assumed: it is carried and reported.
 *
 * Performance: a policy set is evaluated once (see `PolicyEvaluator.evaluate`, keyed by a hash of the
 * documents), action patterns are expanded once per process, and per-action grant lists are interned
 * so actions granted by the same statements share one array. Deny and boundary processing is then
 * memoised per distinct grant list instead of running per action.
 *
 * Grants of resource policies that name the principal (`PolicySet.resourceGrants`) are not part of that
 * cache key: 1,500 resource policies each naming a different role would make every principal's set
 * distinct. The principal's own set is evaluated (cached) first; the granted statements then re-run the
 * same pipeline only over the actions they mention (their Allows join the own grants, which the own
 * Denies, boundary and SCPs still cap), and the result overlays the cached map (`OverlayMap`). Every
 * stage is per action, so this is exactly the evaluation of own and granted policies together.
 */
import { createHash } from 'node:crypto';
import type { AttachedPolicy, PolicyDocument } from '../model/aws.js';
import type { ActionExpander } from './catalog.js';
import { decideClause, principalClauses, resolveStatement, type ConditionFacts } from './conditions.js';
import { intersectPatterns, isAll, subsumes } from './patterns.js';
import { OverlayMap } from './overlay-map.js';
import { isFullAdminStatement, normalisePolicy, policyLabel, type ConditionClause, type NormalisedStatement } from './policy.js';

/** One way an action is allowed. Shared (immutable) between all actions the same statements grant. */
export interface ResourceGrant {
  /** Resource patterns the action is allowed on; `*` for all. */
  readonly resources: readonly string[];
  /** Allowed on everything EXCEPT these (an Allow with NotResource). */
  readonly notResources?: readonly string[];
  /** Resources carved out by an unconditional Deny narrower than `resources`. */
  readonly except?: readonly string[];
  /** Conditions that must hold for the Allow (from the allowing statement or the boundary). */
  readonly conditions?: readonly ConditionClause[];
  /** Conditions under which a Deny removes the grant. */
  readonly denyConditions?: readonly ConditionClause[];
  /** Policies that grant it. */
  readonly sources: readonly string[];
}

export type GrantList = readonly ResourceGrant[];

export interface EffectiveAccess {
  /** Action id → the grants under which it is allowed (absent: not allowed). */
  readonly allowed: ReadonlyMap<number, GrantList>;
  /** Actions some policy allowed that an explicit unconditional Deny removed entirely. */
  readonly deniedCount: number;
  /** Actions the identity policies allowed that the permission boundary does not. */
  readonly boundaryCappedCount: number;
  readonly boundary: 'none' | 'applied' | 'unresolved';
  /** Policies with an unconditional `Allow * on *` statement (CIS AWS 1.16). */
  readonly fullAdminPolicies: readonly string[];
  /** Action patterns that matched no known action. */
  readonly unknownPatterns: readonly string[];
  /** Actions the identity policies allow that service control policies remove. */
  readonly scpCappedCount: number;
  readonly scp: 'none' | 'applied';
  /** Condition clauses decided offline (see conditions.ts). */
  readonly conditionsDecided: number;
  /** Hash of the policy set (and of the facts that decided its conditions), the cache key. */
  readonly hash: string;
  /** With resource-policy grants: the evaluation of the principal's own policies, and the ids whose grants may differ from it. */
  readonly overlay?: { readonly base: EffectiveAccess; readonly changed: Uint32Array };
}

/**
 * Service control policies over an account, one entry per level of the organisation (root, each OU,
 * the account): at every level some SCP must allow the action, and a Deny in any of them removes it.
 */
export interface ScpSet {
  /** Content hash, part of the policy-set cache key. */
  id: string;
  levels: readonly { label: string; documents: readonly { name: string; document: PolicyDocument }[] }[];
}

export interface PolicySet {
  policies: readonly AttachedPolicy[];
  permissionsBoundary?: { arn: string; document?: PolicyDocument };
  scps?: ScpSet;
  /**
   * Same-account grants of resource policies that name the principal, as Allow-only policies
   * (resource-policies.ts): evaluated as if they were among `policies`, but not part of the cache key.
   */
  resourceGrants?: readonly AttachedPolicy[];
}

/** Whether a grant has conditions that decide it at request time (so offline it is "conditional"). */
export function isConditional(grant: ResourceGrant): boolean {
  return !!(grant.conditions?.length || grant.denyConditions?.length);
}

/** Whether a grant covers every resource (`*`, no carve-outs). */
export function coversAllResources(grant: ResourceGrant): boolean {
  return !grant.notResources?.length && !grant.except?.length && grant.resources.some(isAll);
}

/** Every action pattern a policy set mentions, for `ActionExpander.prepare`. */
export function actionPatternsOf(set: PolicySet): string[] {
  const out: string[] = [];
  const docs = [...set.policies.map((p) => p.document), ...(set.resourceGrants ?? []).map((p) => p.document), set.permissionsBoundary?.document];
  for (const level of set.scps?.levels ?? []) for (const p of level.documents) docs.push(p.document);
  for (const doc of docs) {
    for (const s of normalisePolicy(doc, '')) out.push(...s.actions);
  }
  return out;
}

const docText = new WeakMap<object, string>();
function documentText(doc: PolicyDocument | undefined): string {
  if (!doc || typeof doc !== 'object') return 'null';
  let text = docText.get(doc);
  if (text === undefined) {
    text = JSON.stringify(doc);
    docText.set(doc, text);
  }
  return text;
}

/** Hash of what determines the evaluation of the principal's own policies: each policy's label and document, the boundary and SCPs. */
export function policySetHash(set: PolicySet): string {
  const h = createHash('sha1');
  hashPolicies(h, set.policies);
  if (set.permissionsBoundary) {
    h.update('boundary\u0000').update(set.permissionsBoundary.arn).update(documentText(set.permissionsBoundary.document));
  }
  if (set.scps) h.update('scp\u0000').update(set.scps.id);
  return h.digest('base64url');
}

const normalisedDocs = new WeakMap<object, Map<string, NormalisedStatement[]>>();

/** A policy's statements, normalised once per document and label (statements are never mutated). */
function normalised(policy: AttachedPolicy): NormalisedStatement[] {
  const label = policyLabel(policy);
  const doc = policy.document as unknown;
  if (!doc || typeof doc !== 'object') return normalisePolicy(policy.document, label);
  let byLabel = normalisedDocs.get(doc);
  if (!byLabel) normalisedDocs.set(doc, (byLabel = new Map()));
  let statements = byLabel.get(label);
  if (!statements) byLabel.set(label, (statements = normalisePolicy(policy.document, label)));
  return statements;
}

function hashPolicies(h: ReturnType<typeof createHash>, policies: readonly AttachedPolicy[]): void {
  const parts = policies.map((p) => `${policyLabel(p)}\u0000${documentText(p.document)}`).sort();
  for (const part of parts) h.update(part).update('\u0001');
}

/** The facts a pass resolves conditions with, the key of their outcomes, and where it counts its decisions. */
interface FactsOf {
  facts?: ConditionFacts;
  key: string;
  decided: { count: number };
}

interface EvaluatedScpLevel {
  statements: NormalisedStatement[];
  allowed: Map<number, GrantList>;
  decided: number;
  unknown: string[];
}

/** What one pass of the pipeline over a restricted set of actions found. */
interface RestrictedPass {
  allowed: ReadonlyMap<number, GrantList>;
  denied: number;
  boundaryCapped: number;
  scpCapped: number;
  unknown: Set<string>;
}

interface Slots {
  get(id: number): GrantList | undefined;
  set(id: number, list: GrantList): unknown;
}

/** Grant lists of every action of the catalogue, indexed by id. */
class ArraySlots implements Slots {
  private readonly slots: (GrantList | undefined)[];
  constructor(size: number) {
    this.slots = new Array(size);
  }
  get(id: number): GrantList | undefined {
    return this.slots[id];
  }
  set(id: number, list: GrantList): void {
    this.slots[id] = list;
  }
}

const EMPTY: GrantList = Object.freeze([]) as GrantList;

export class PolicyEvaluator {
  private readonly results = new Map<string, EffectiveAccess>();
  private readonly statementSets = new Map<string, Uint32Array>();
  /** Interned grant lists: list → grant → list + grant. */
  private readonly extended = new WeakMap<GrantList, Map<ResourceGrant, GrantList>>();
  private readonly grantsOfStatement = new WeakMap<NormalisedStatement, ResourceGrant>();
  private readonly denyMemo = new WeakMap<GrantList, Map<NormalisedStatement, GrantList>>();
  private readonly boundaryMemo = new WeakMap<GrantList, Map<GrantList, GrantList>>();
  private scratch: Uint8Array;
  /** Distinct policy sets evaluated (cache misses), for stats. */
  evaluations = 0;
  /** Distinct combinations of a policy set with resource-policy grants (each costs only the granted actions). */
  overlays = 0;

  constructor(readonly expander: ActionExpander) {
    this.scratch = new Uint8Array(expander.catalog.actions.length);
  }

  /**
   * Effective access of a policy set; cached by content so identical principals cost once. With
   * `facts`, conditions they decide are resolved first (conditions.ts); the cache key then includes
   * only the facts the set's conditions look at, so principals still share evaluations.
   */
  evaluate(set: PolicySet, facts?: ConditionFacts): EffectiveAccess {
    const own = this.evaluateOwn(set, facts);
    return set.resourceGrants?.length ? this.withResourceGrants(own, set, set.resourceGrants, facts) : own;
  }

  /** The principal's own policies, boundary and SCPs (the cached part). */
  private evaluateOwn(set: PolicySet, facts?: ConditionFacts): EffectiveAccess {
    const hash = policySetHash(set);
    const factsKey = facts ? this.factsKey(hash, set, facts) : '';
    const key = `${hash}${factsKey}`;
    const cached = this.results.get(key);
    if (cached) return cached;
    this.evaluations++;

    const decided = { count: 0 };
    const resolve = (statements: NormalisedStatement[]) => (facts ? resolveAll(statements, facts, decided) : statements);
    const raw = set.policies.flatMap(normalised);
    const fullAdminPolicies = [...new Set(raw.filter(isFullAdminStatement).map((s) => s.source))];
    const unknown = new Set<string>();
    const identity = this.evaluateStatements(resolve(raw), unknown);

    const bounded = this.applyBoundary(identity.allowed, set, resolve, unknown);
    const scp = this.applyScps(bounded.allowed, set, { ...(facts ? { facts } : {}), key: `${facts ? 'f' : ''}${factsKey}`, decided }, unknown);
    const result: EffectiveAccess = {
      allowed: scp.allowed,
      deniedCount: identity.deniedCount,
      boundaryCappedCount: bounded.capped,
      boundary: bounded.boundary,
      fullAdminPolicies,
      unknownPatterns: [...unknown],
      scpCappedCount: scp.capped,
      scp: set.scps?.levels.length ? 'applied' : 'none',
      conditionsDecided: decided.count,
      hash: key,
    };
    this.results.set(key, result);
    return result;
  }

  /** Resource-policy grants added onto the own result: both passes cover only the actions the grants name. */
  private withResourceGrants(own: EffectiveAccess, set: PolicySet, grants: readonly AttachedPolicy[], facts?: ConditionFacts): EffectiveAccess {
    const h = createHash('sha1');
    hashPolicies(h, grants);
    const grantedRaw = grants.flatMap(normalised);
    const grantFacts = facts
      ? principalClauses(grantedRaw)
          .map((c) => decideClause(c, facts)[0])
          .join('')
      : '';
    const key = `${own.hash}+${h.digest('base64url')}${grantFacts ? `|${grantFacts}` : ''}`;
    const cached = this.results.get(key);
    if (cached) return cached;
    this.overlays++;

    const decided = { count: 0 };
    const granted = facts ? resolveAll(grantedRaw, facts, decided) : grantedRaw;
    const unknown = new Set<string>();
    const domain = this.domainOf(granted, unknown);
    const ownRaw = set.policies.flatMap(normalised);
    // Same SCP memo as the own evaluation (its key already decides every SCP clause).
    const scpKey = facts ? `f${this.factsKey(policySetHash(set), set, facts)}` : '';
    const before = this.restrictedPass(ownRaw, set, facts, scpKey, domain);
    const after = this.restrictedPass([...ownRaw, ...grantedRaw], set, facts, scpKey, domain);
    for (const pattern of after.unknown) unknown.add(pattern);
    const result: EffectiveAccess = {
      ...own,
      allowed: new OverlayMap(own.allowed, domain, after.allowed),
      deniedCount: own.deniedCount - before.denied + after.denied,
      boundaryCappedCount: own.boundaryCappedCount - before.boundaryCapped + after.boundaryCapped,
      scpCappedCount: own.scpCappedCount - before.scpCapped + after.scpCapped,
      fullAdminPolicies: [...new Set([...own.fullAdminPolicies, ...grantedRaw.filter(isFullAdminStatement).map((s) => s.source)])],
      unknownPatterns: [...new Set([...own.unknownPatterns, ...unknown])],
      conditionsDecided: own.conditionsDecided + decided.count,
      hash: key,
      overlay: { base: own, changed: domain },
    };
    this.results.set(key, result);
    return result;
  }

  /** Ids of every action the statements' Allows name, ascending. */
  private domainOf(statements: NormalisedStatement[], unknown: Set<string>): Uint32Array {
    const ids = new Set<number>();
    for (const s of statements) if (s.effect === 'Allow') for (const id of this.actionSet(s, unknown)) ids.add(id);
    return Uint32Array.from([...ids].sort((a, b) => a - b));
  }

  /** The whole pipeline (identity policies, boundary, SCPs) over the actions of `domain` only. */
  private restrictedPass(raw: NormalisedStatement[], set: PolicySet, facts: ConditionFacts | undefined, scpKey: string, domain: Uint32Array): RestrictedPass {
    const unknown = new Set<string>();
    const ignored = { count: 0 };
    const resolve = (statements: NormalisedStatement[]) => (facts ? resolveAll(statements, facts, ignored) : statements);
    const identity = this.evaluateStatements(resolve(raw), unknown, domain);
    const bounded = this.applyBoundary(identity.allowed, set, resolve, unknown, domain);
    const scp = this.applyScps(bounded.allowed, set, { ...(facts ? { facts } : {}), key: scpKey, decided: ignored }, unknown, domain);
    return { allowed: scp.allowed, denied: identity.deniedCount, boundaryCapped: bounded.capped, scpCapped: scp.capped, unknown };
  }

  private readonly factClauses = new Map<string, ConditionClause[]>();

  /**
   * The part of the cache key the facts decide: the outcome of each principal-dependent clause of the
   * set, so principals for whom every such clause comes out the same still share one evaluation.
   */
  private factsKey(hash: string, set: PolicySet, facts: ConditionFacts): string {
    let clauses = this.factClauses.get(hash);
    if (!clauses) {
      const docs = [
        ...set.policies.map((p) => p.document),
        set.permissionsBoundary?.document,
        ...(set.scps?.levels ?? []).flatMap((l) => l.documents.map((d) => d.document)),
      ];
      clauses = principalClauses(docs.flatMap((d) => normalisePolicy(d, '')));
      this.factClauses.set(hash, clauses);
    }
    return clauses.length ? `|${clauses.map((c) => decideClause(c, facts)[0]).join('')}` : '';
  }

  /** The permission boundary as a cap: only what it also allows survives. */
  private applyBoundary(
    allowed: ReadonlyMap<number, GrantList>,
    set: PolicySet,
    resolve: (s: NormalisedStatement[]) => NormalisedStatement[],
    unknown: Set<string>,
    domain?: Uint32Array,
  ) {
    const b = set.permissionsBoundary;
    if (!b) return { allowed, capped: 0, boundary: 'none' as const };
    // The collector could not resolve the boundary document: report it, do not guess a cap.
    if (!b.document) return { allowed, capped: 0, boundary: 'unresolved' as const };
    const label = `boundary/${b.arn.split('/').pop()}`;
    const cap = this.evaluateStatements(resolve(normalisePolicy(b.document, label)), unknown, domain);
    return { ...this.capBy(allowed, cap.allowed), boundary: 'applied' as const };
  }

  /** Evaluated SCP levels: the same organisation applies to thousands of policy sets. */
  private readonly scpLevels = new Map<string, EvaluatedScpLevel>();

  /**
   * Service control policies: each level caps like a boundary, and their Deny statements deny. A level
   * is evaluated once per facts key; what it decided and did not know counts for every set it caps.
   */
  private applyScps(allowed: ReadonlyMap<number, GrantList>, set: PolicySet, facts: FactsOf, unknown: Set<string>, domain?: Uint32Array) {
    let current = allowed;
    let capped = 0;
    for (const [i, level] of (set.scps?.levels ?? []).entries()) {
      const memoKey = `${set.scps!.id}|${i}|${facts.key}`;
      let evaluated = this.scpLevels.get(memoKey);
      if (!evaluated) {
        const decided = { count: 0 };
        const raw = level.documents.flatMap((d) => normalisePolicy(d.document, `scp/${level.label}/${d.name}`));
        const statements = facts.facts ? resolveAll(raw, facts.facts, decided) : raw;
        const levelUnknown = new Set<string>();
        evaluated = { statements, allowed: this.evaluateStatements(statements, levelUnknown).allowed, decided: decided.count, unknown: [...levelUnknown] };
        this.scpLevels.set(memoKey, evaluated);
      }
      facts.decided.count += evaluated.decided;
      for (const pattern of evaluated.unknown) unknown.add(pattern);
      const next = this.capBy(current, evaluated.allowed);
      const denied = this.denyPass(next.allowed, evaluated.statements, unknown, domain);
      capped += next.capped + denied.deniedCount;
      current = denied.slots;
    }
    return { allowed: current, capped };
  }

  private capBy(allowed: ReadonlyMap<number, GrantList>, capAllowed: ReadonlyMap<number, GrantList>): { allowed: Map<number, GrantList>; capped: number } {
    const next = new Map<number, GrantList>();
    let capped = 0;
    let lastPair: [GrantList | undefined, GrantList | undefined] = [undefined, undefined];
    let lastCombined: GrantList = EMPTY;
    for (const [id, grants] of allowed) {
      const cap = capAllowed.get(id);
      if (grants !== lastPair[0] || cap !== lastPair[1]) {
        lastPair = [grants, cap];
        lastCombined = cap ? this.capList(grants, cap) : EMPTY;
      }
      if (lastCombined.length) next.set(id, lastCombined);
      else capped++;
    }
    return { allowed: next, capped };
  }

  /** Applies the Deny statements to allowed grant lists (in place); counts actions denied entirely. */
  private denyPass(
    slots: Map<number, GrantList>,
    statements: NormalisedStatement[],
    unknown: Set<string>,
    domain?: Uint32Array,
  ): { slots: Map<number, GrantList>; deniedCount: number } {
    let deniedCount = 0;
    for (const s of statements) {
      if (s.effect !== 'Deny') continue;
      let lastFrom: GrantList | undefined;
      let lastTo: GrantList = EMPTY;
      for (const id of this.idsIn(s, unknown, domain)) {
        const current = slots.get(id);
        if (!current || current.length === 0) continue;
        if (current !== lastFrom) {
          lastFrom = current;
          lastTo = this.applyDeny(current, s);
        }
        if (lastTo.length) slots.set(id, lastTo);
        else {
          slots.delete(id);
          deniedCount++;
        }
      }
    }
    return { slots, deniedCount };
  }

  private evaluateStatements(statements: NormalisedStatement[], unknown: Set<string>, domain?: Uint32Array) {
    // A pass over a few granted actions must not allocate a slot per action of AWS.
    const slots: Slots = domain ? new Map() : new ArraySlots(this.expander.catalog.actions.length);
    const touched: number[] = [];
    for (const s of statements) {
      if (s.effect !== 'Allow') continue;
      const grant = this.grantOf(s);
      // Neighbouring actions usually hold the same list: remember the last transition.
      let lastFrom: GrantList | undefined;
      let lastTo: GrantList = EMPTY;
      for (const id of this.idsIn(s, unknown, domain)) {
        const current = slots.get(id);
        if (current === undefined) touched.push(id);
        const from = current ?? EMPTY;
        if (from !== lastFrom) {
          lastFrom = from;
          lastTo = this.extend(from, grant);
        }
        slots.set(id, lastTo);
      }
    }
    const allowed = new Map<number, GrantList>();
    touched.sort((a, b) => a - b);
    for (const id of touched) allowed.set(id, slots.get(id)!);
    const { deniedCount } = this.denyPass(allowed, statements, unknown, domain);
    return { allowed, deniedCount };
  }

  /** The statement's action ids, or only those in `domain` (both ascending). */
  private idsIn(s: NormalisedStatement, unknown: Set<string>, domain?: Uint32Array): ArrayLike<number> & Iterable<number> {
    const ids = this.actionSet(s, unknown);
    return domain ? intersectSorted(ids, domain) : ids;
  }

  /** Action ids a statement applies to (NotAction: everything else), cached per pattern list. */
  private actionSet(s: NormalisedStatement, unknown: Set<string>): Uint32Array {
    // Statements of one document share their action list across evaluations (see `normalised`).
    const byList = s.notAction ? this.notActionSets : this.actionSets;
    const known = byList.get(s.actions);
    if (known) {
      for (const pattern of known.unknown) unknown.add(pattern);
      return known.ids;
    }
    const before = new Set(unknown);
    const ids = this.actionSetOf(s, unknown);
    byList.set(s.actions, { ids, unknown: [...unknown].filter((p) => !before.has(p)) });
    return ids;
  }

  private readonly actionSets = new WeakMap<readonly string[], { ids: Uint32Array; unknown: string[] }>();
  private readonly notActionSets = new WeakMap<readonly string[], { ids: Uint32Array; unknown: string[] }>();

  private actionSetOf(s: NormalisedStatement, unknown: Set<string>): Uint32Array {
    const key = `${s.notAction ? '!' : ''}${s.actions
      .map((a) => a.toLowerCase())
      .sort()
      .join(',')}`;
    let ids = this.statementSets.get(key);
    if (!ids) {
      const mark = this.scratch;
      mark.fill(0);
      for (const pattern of s.actions) {
        const matched = this.expander.idsOf(pattern);
        if (matched.length === 0) unknown.add(pattern);
        for (const id of matched) mark[id] = 1;
      }
      const out: number[] = [];
      const want = s.notAction ? 0 : 1;
      for (let i = 0; i < mark.length; i++) if (mark[i] === want) out.push(i);
      ids = Uint32Array.from(out);
      this.statementSets.set(key, ids);
    } else {
      for (const pattern of s.actions) if (this.expander.unknownPatterns.has(pattern.trim().toLowerCase())) unknown.add(pattern);
    }
    return ids;
  }

  private grantOf(s: NormalisedStatement): ResourceGrant {
    let grant = this.grantsOfStatement.get(s);
    if (!grant) {
      grant = Object.freeze({
        resources: s.notResource ? ['*'] : s.resources,
        ...(s.notResource ? { notResources: s.resources } : {}),
        ...(s.conditions.length ? { conditions: s.conditions } : {}),
        sources: [s.source],
      });
      this.grantsOfStatement.set(s, grant);
    }
    return grant;
  }

  private extend(list: GrantList, grant: ResourceGrant): GrantList {
    let byGrant = this.extended.get(list);
    if (!byGrant) {
      byGrant = new Map();
      this.extended.set(list, byGrant);
    }
    let next = byGrant.get(grant);
    if (!next) {
      next = Object.freeze([...list, grant]);
      byGrant.set(grant, next);
    }
    return next;
  }

  private applyDeny(list: GrantList, deny: NormalisedStatement): GrantList {
    let memo = this.denyMemo.get(list);
    if (!memo) {
      memo = new Map();
      this.denyMemo.set(list, memo);
    }
    let next = memo.get(deny);
    if (!next) {
      next = Object.freeze(list.flatMap((g) => denyGrant(g, deny)));
      memo.set(deny, next);
    }
    return next;
  }

  private capList(list: GrantList, cap: GrantList): GrantList {
    let memo = this.boundaryMemo.get(list);
    if (!memo) {
      memo = new Map();
      this.boundaryMemo.set(list, memo);
    }
    let next = memo.get(cap);
    if (!next) {
      next = Object.freeze(list.flatMap((g) => cap.flatMap((b) => capGrant(g, b))));
      memo.set(cap, next);
    }
    return next;
  }
}

/** Ids of `small` that are also in `ids`, by binary search (both ascending; `small` has a few dozen). */
function intersectSorted(ids: Uint32Array, small: Uint32Array): number[] {
  const out: number[] = [];
  for (const id of small) {
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v === id) {
        out.push(id);
        break;
      }
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return out;
}

function resolveAll(statements: NormalisedStatement[], facts: ConditionFacts, decided: { count: number }): NormalisedStatement[] {
  const out: NormalisedStatement[] = [];
  for (const s of statements) {
    const r = resolveStatement(s, facts);
    decided.count += r.decided;
    if (r.statement) out.push(r.statement);
  }
  return out;
}

/** What remains of an allow grant after one Deny statement that names the action. */
function denyGrant(grant: ResourceGrant, deny: NormalisedStatement): ResourceGrant[] {
  if (deny.conditions.length) {
    // Denied only when the condition holds: still allowed otherwise, so conditional, not removed.
    return [{ ...grant, denyConditions: [...(grant.denyConditions ?? []), ...deny.conditions] }];
  }
  if (deny.notResource) {
    // Deny everything except these resources: the grant survives only on them.
    const base = grant.notResources?.length ? ['*'] : grant.resources;
    const kept = intersectPatterns(base, deny.resources);
    if (!kept.length) return [];
    return [{ ...grant, resources: kept }];
  }
  if (deny.resources.some(isAll)) return [];
  if (!grant.notResources?.length) {
    const remaining = grant.resources.filter((r) => !deny.resources.some((d) => subsumes(d, r)));
    if (!remaining.length) return [];
    return [{ ...grant, resources: remaining, except: [...(grant.except ?? []), ...deny.resources] }];
  }
  return [{ ...grant, except: [...(grant.except ?? []), ...deny.resources] }];
}

/** The part of an identity grant the boundary grant also allows. */
function capGrant(grant: ResourceGrant, cap: ResourceGrant): ResourceGrant[] {
  const capResources = cap.notResources?.length ? ['*'] : cap.resources;
  const grantResources = grant.notResources?.length ? ['*'] : grant.resources;
  const resources = intersectPatterns(grantResources, capResources);
  if (!resources.length) return [];
  const notResources = [...(grant.notResources ?? []), ...(cap.notResources ?? [])];
  const except = [...(grant.except ?? []), ...(cap.except ?? [])];
  const conditions = [...(grant.conditions ?? []), ...(cap.conditions ?? [])];
  const denyConditions = [...(grant.denyConditions ?? []), ...(cap.denyConditions ?? [])];
  return [
    {
      resources,
      ...(notResources.length ? { notResources } : {}),
      ...(except.length ? { except } : {}),
      ...(conditions.length ? { conditions } : {}),
      ...(denyConditions.length ? { denyConditions } : {}),
      sources: grant.sources,
    },
  ];
}
