/**
 * Conditions decided offline where the facts are known, so a grant that can never be used is not
 * reported and one that always applies is not called "conditional":
 *
 * - dates (`aws:CurrentTime`, `aws:EpochTime`, `aws:TokenIssueTime`) against the scan time: the
 *   question is "can this be used from now on", so a `DateLessThan` in the past never holds;
 * - `aws:MultiFactorAuthPresent` / `aws:MultiFactorAuthAge` for a user without an MFA device: its
 *   requests never carry MFA (long-term keys send no MFA key at all, which is why `BoolIfExists` with
 *   `true` lets them through);
 * - `aws:PrincipalTag/KEY` when the principal's tags are in the inventory and cannot be overridden
 *   with session tags;
 * - `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:username`.
 *
 * The attacker chooses the request: a condition that holds for SOME request it can make (long-term
 * key vs session token) makes an Allow usable and a Deny avoidable. Everything else (`aws:SourceIp`,
 * `aws:SourceVpc`, resource tags...) stays conditional and is explained (`explainConditionKeys`).
 */
import { matches } from './patterns.js';
import type { ConditionClause, NormalisedStatement } from './policy.js';

/** What the analysis knows about the principal whose policies are evaluated. */
export interface ConditionFacts {
  now: Date;
  /** The principal can never present MFA (a user with no MFA device). */
  mfaImpossible: boolean;
  /** The principal's tags, when known and fixed (no session tags). */
  principalTags?: Readonly<Record<string, string>>;
  principalArn?: string;
  accountId?: string;
  userName?: string;
}

/**
 * `always`: holds for every request; `never`: for none; `chosen`: for some request the caller can
 * choose to make; `unknown`: depends on what is not known offline.
 */
export type Outcome = 'always' | 'never' | 'chosen' | 'unknown';

/** Longest lifetime of temporary credentials (GetSessionToken): a token issued that long ago still works. */
const MAX_TOKEN_MS = 36 * 3600 * 1000;

const DATE_KEYS = new Set(['aws:currenttime', 'aws:epochtime', 'aws:tokenissuetime']);
const MFA_KEYS = new Set(['aws:multifactorauthpresent', 'aws:multifactorauthage']);

/** Whether a clause's outcome depends on facts about the principal (so evaluations must not be shared blindly). */
function dependsOnPrincipal(c: ConditionClause): boolean {
  const key = c.key.toLowerCase();
  return MFA_KEYS.has(key) || key.startsWith('aws:principaltag/') || key === 'aws:principalarn' || key === 'aws:username' || key === 'aws:principalaccount';
}

/** The clauses of `statements` whose outcome depends on the principal, once each. */
export function principalClauses(statements: readonly NormalisedStatement[]): ConditionClause[] {
  const seen = new Map<string, ConditionClause>();
  for (const s of statements)
    for (const c of s.conditions) if (dependsOnPrincipal(c)) seen.set(`${c.operator}\u0000${c.key}\u0000${c.values.join('\u0001')}`, c);
  return [...seen.values()];
}

function baseOperator(operator: string): { op: string; ifExists: boolean; negated: boolean } {
  const ifExists = /IfExists$/i.test(operator);
  const op = operator.replace(/^For(Any|All)Values?:/i, '').replace(/IfExists$/i, '');
  return { op, ifExists, negated: /Not/i.test(op) && !/^Null$/i.test(op) };
}

/** A condition on a key the request does not carry: true only for IfExists and negated operators. */
function whenAbsent(operator: string, values: readonly string[]): boolean {
  const { op, ifExists, negated } = baseOperator(operator);
  if (/^Null$/i.test(op)) return values.some((v) => v.toLowerCase() === 'true');
  return ifExists || negated;
}

function parseTime(value: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * A date condition over a window of times the key can take from now on, [from, to]: always when
 * every time in the window satisfies one of the values, never when none can.
 */
function dateOutcome(c: ConditionClause, from: number, to: number): Outcome {
  const { op, negated } = baseOperator(c.operator);
  const results = c.values.map((raw): Outcome => {
    const t = parseTime(raw);
    if (t === undefined) return 'unknown';
    const lower = op.toLowerCase();
    if (lower.includes('lessthanequals')) return to <= t ? 'always' : from > t ? 'never' : 'unknown';
    if (lower.includes('lessthan')) return to < t ? 'always' : from >= t ? 'never' : 'unknown';
    if (lower.includes('greaterthanequals')) return from >= t ? 'always' : to < t ? 'never' : 'unknown';
    if (lower.includes('greaterthan')) return from > t ? 'always' : to <= t ? 'never' : 'unknown';
    if (lower.includes('equals')) return negated ? 'unknown' : from > t || to < t ? 'never' : 'unknown';
    return 'unknown';
  });
  const outcome = anyOf(results);
  // Undecided over the whole window but true right now (a grant that expires later): usable today.
  if (outcome === 'unknown' && c.values.some((raw) => holdsAt(op, raw, from))) return 'chosen';
  return outcome;
}

function holdsAt(op: string, raw: string, at: number): boolean {
  const t = parseTime(raw);
  if (t === undefined) return false;
  const lower = op.toLowerCase();
  if (lower.includes('lessthanequals')) return at <= t;
  if (lower.includes('lessthan')) return at < t;
  if (lower.includes('greaterthanequals')) return at >= t;
  if (lower.includes('greaterthan')) return at > t;
  return false;
}

/** Several values of one clause are OR-ed. */
function anyOf(results: Outcome[]): Outcome {
  if (results.includes('always')) return 'always';
  if (results.includes('chosen')) return 'chosen';
  if (results.includes('unknown')) return 'unknown';
  return 'never';
}

function stringMatch(op: string, values: readonly string[], actual: string): boolean | undefined {
  if (values.some((v) => v.includes('${'))) return undefined;
  const lower = op.toLowerCase();
  const like = lower.includes('like');
  const ignoreCase = lower.includes('ignorecase');
  const hit = values.some((v) => (like ? matches(v, actual) : ignoreCase ? v.toLowerCase() === actual.toLowerCase() : v === actual));
  return /Not/i.test(op) ? !hit : hit;
}

function knownValueOutcome(c: ConditionClause, actual: string | undefined): Outcome {
  const { op } = baseOperator(c.operator);
  if (actual === undefined) return whenAbsent(c.operator, c.values) ? 'always' : 'never';
  if (/^Null$/i.test(op)) return c.values.some((v) => v.toLowerCase() === 'false') ? 'always' : 'never';
  if (!/^(String|Arn)/i.test(op)) return 'unknown';
  const hit = stringMatch(op.replace(/^Arn/i, 'String'), c.values, actual);
  return hit === undefined ? 'unknown' : hit ? 'always' : 'never';
}

/** MFA conditions for a principal that can never present MFA: long-term keys (absent) or tokens (false). */
function mfaOutcome(c: ConditionClause): Outcome {
  const key = c.key.toLowerCase();
  const { op } = baseOperator(c.operator);
  // Two requests the caller can choose between: the long-term key (no MFA key at all) and a session
  // token from GetSessionToken without MFA (aws:MultiFactorAuthPresent = false, no MFA age).
  const absent = whenAbsent(c.operator, c.values);
  let withToken: boolean;
  if (key === 'aws:multifactorauthage') withToken = absent;
  else if (/^Null$/i.test(op)) withToken = c.values.some((v) => v.toLowerCase() === 'false');
  else if (/^Bool$/i.test(op)) withToken = c.values.some((v) => v.toLowerCase() === 'false');
  else return 'unknown';
  if (absent && withToken) return 'always';
  if (!absent && !withToken) return 'never';
  return 'chosen';
}

function principalTagOutcome(c: ConditionClause, facts: ConditionFacts): Outcome {
  if (!facts.principalTags) return 'unknown';
  const tagKey = c.key.slice('aws:principaltag/'.length);
  const found = Object.entries(facts.principalTags).find(([k]) => k.toLowerCase() === tagKey.toLowerCase());
  return knownValueOutcome(c, found?.[1]);
}

/** The outcome of one condition clause for the principal, from now on. */
export function decideClause(c: ConditionClause, facts: ConditionFacts): Outcome {
  const key = c.key.toLowerCase();
  const now = facts.now.getTime();
  if (DATE_KEYS.has(key)) {
    if (key === 'aws:tokenissuetime') {
      // Long-term keys carry no token time: the caller can choose that request (absent) or a token.
      const tokenWindow = dateOutcome(c, now - MAX_TOKEN_MS, Number.MAX_SAFE_INTEGER);
      const absent = whenAbsent(c.operator, c.values);
      if (tokenWindow === 'always' && absent) return 'always';
      if (tokenWindow === 'never' && !absent) return 'never';
      return tokenWindow === 'unknown' && !absent ? 'unknown' : 'chosen';
    }
    return dateOutcome(c, now, Number.MAX_SAFE_INTEGER);
  }
  if (MFA_KEYS.has(key)) return facts.mfaImpossible ? mfaOutcome(c) : 'unknown';
  if (key.startsWith('aws:principaltag/')) return principalTagOutcome(c, facts);
  if (key === 'aws:principalaccount' && facts.accountId) return knownValueOutcome(c, facts.accountId);
  if (key === 'aws:principalarn' && facts.principalArn) return knownValueOutcome(c, facts.principalArn);
  if (key === 'aws:username' && facts.userName) return knownValueOutcome(c, facts.userName);
  return 'unknown';
}

/**
 * A statement with the conditions the facts decide taken out: undefined when it can never apply
 * (an Allow nobody can use, a Deny the caller can always avoid); the same object when nothing was decided.
 */
export function resolveStatement(s: NormalisedStatement, facts: ConditionFacts): { statement?: NormalisedStatement; decided: number } {
  if (!s.conditions.length) return { statement: s, decided: 0 };
  const kept: ConditionClause[] = [];
  let decided = 0;
  for (const c of s.conditions) {
    const outcome = decideClause(c, facts);
    if (outcome === 'unknown') {
      kept.push(c);
      continue;
    }
    decided++;
    // All clauses must hold: for an Allow the caller picks a request where a `chosen` one holds; for
    // a Deny it picks one where it does not.
    if (outcome === 'never' || (outcome === 'chosen' && s.effect === 'Deny')) return { decided };
  }
  if (!decided) return { statement: s, decided: 0 };
  return { statement: { ...s, conditions: kept }, decided };
}

/** Condition keys that limit where a grant can be used from (network origin), explained. */
const LIMITING: Record<string, string> = {
  'aws:sourceip':
    'only from the listed IP ranges: a leaked credential is usable only from there (or from inside AWS services that call on its behalf, where aws:SourceIp is absent)',
  'aws:sourcevpc': 'only through the named VPC: the credential must be used from inside it',
  'aws:sourcevpce': 'only through the named VPC endpoint: the credential must be used from a network that reaches it',
};

/** Explanations of the limiting network conditions among `keys`, for findings. */
export function explainConditionKeys(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const text = LIMITING[key.toLowerCase()];
    if (text) out.push(`${key}: ${text}`);
  }
  return out;
}
