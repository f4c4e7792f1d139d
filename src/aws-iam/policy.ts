/**
 * Policy documents as the evaluator consumes them: every statement normalised (arrays, effect,
 * conditions flattened to clauses) and labelled with the policy it came from, so a finding can name it.
 */
import type { AttachedPolicy, PolicyDocument, PolicyStatement } from '../model/aws.js';

export interface ConditionClause {
  /** As written, e.g. `StringEquals`, `ForAnyValue:StringLike`, `BoolIfExists`. */
  operator: string;
  key: string;
  values: string[];
}

export interface NormalisedStatement {
  effect: 'Allow' | 'Deny';
  /** Action patterns, or the excluded ones when `notAction`. */
  actions: string[];
  notAction: boolean;
  /** Resource patterns, or the excluded ones when `notResource`. */
  resources: string[];
  notResource: boolean;
  conditions: ConditionClause[];
  /** Label of the policy the statement belongs to (`inline/deploy`, `group/devs/managed/ReadOnlyAccess`). */
  source: string;
}

export function toArray(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map(String);
  return [String(value)];
}

/** How a policy is named in evidence: attachment type, group, name. */
export function policyLabel(policy: AttachedPolicy): string {
  switch (policy.type) {
    case 'managed':
      return `managed/${policy.name}`;
    case 'inline':
      return `inline/${policy.name}`;
    case 'group-managed':
      return `group/${policy.group ?? '?'}/managed/${policy.name}`;
    case 'group-inline':
      return `group/${policy.group ?? '?'}/inline/${policy.name}`;
    default:
      return String(policy.name);
  }
}

export function statementsOf(document: PolicyDocument | undefined): PolicyStatement[] {
  if (!document || typeof document !== 'object') return [];
  const raw = (document as { Statement?: unknown }).Statement;
  if (!raw) return [];
  return (Array.isArray(raw) ? raw : [raw]).filter((s): s is PolicyStatement => !!s && typeof s === 'object');
}

export function conditionClauses(condition: PolicyStatement['Condition']): ConditionClause[] {
  if (!condition || typeof condition !== 'object') return [];
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!block || typeof block !== 'object') continue;
    for (const [key, values] of Object.entries(block)) clauses.push({ operator, key, values: toArray(values) });
  }
  return clauses;
}

export function normaliseStatement(statement: PolicyStatement, source: string): NormalisedStatement | undefined {
  const effect =
    String(statement.Effect ?? '').toLowerCase() === 'deny' ? 'Deny' : String(statement.Effect ?? '').toLowerCase() === 'allow' ? 'Allow' : undefined;
  if (!effect) return undefined;
  const notAction = statement.NotAction !== undefined && statement.Action === undefined;
  const actions = toArray(notAction ? statement.NotAction : statement.Action);
  if (!notAction && actions.length === 0) return undefined;
  const notResource = statement.NotResource !== undefined && statement.Resource === undefined;
  // Identity policies must name a resource; a statement without one is read as `*`, the broad side.
  const resources = notResource ? toArray(statement.NotResource) : statement.Resource === undefined ? ['*'] : toArray(statement.Resource);
  return { effect, actions, notAction, resources, notResource, conditions: conditionClauses(statement.Condition), source };
}

export function normalisePolicy(document: PolicyDocument | undefined, source: string): NormalisedStatement[] {
  return statementsOf(document)
    .map((s) => normaliseStatement(s, source))
    .filter((s): s is NormalisedStatement => !!s);
}

/** A statement granting every action on every resource without conditions: "full admin" (CIS AWS 1.16). */
export function isFullAdminStatement(s: NormalisedStatement): boolean {
  return (
    s.effect === 'Allow' &&
    !s.notAction &&
    s.actions.some((a) => a === '*' || a === '*:*') &&
    !s.notResource &&
    s.resources.includes('*') &&
    s.conditions.length === 0
  );
}
