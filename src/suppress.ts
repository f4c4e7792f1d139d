/**
 * Suppressions from the config: by fingerprint, or by rule plus an optional resource pattern, each
 * with a mandatory reason and an optional expiry. An expired suppression stops suppressing and is
 * itself reported (rule `suppression-expired`) so accepted risks get re-reviewed.
 */
import type { Suppression } from './config.js';
import { findingFingerprint } from './fingerprint.js';
import type { Finding, Severity } from './model/index.js';
import type { RuleMeta } from './plugin.js';

function describe(s: Suppression): string {
  return s.fingerprint ? `fingerprint ${s.fingerprint}` : `rule ${s.rule}${s.resource ? ` on ${s.resource}` : ''}`;
}

/**
 * Resource patterns are plain wildcards, case-insensitive: `*` matches any run of characters,
 * slashes included (resource ids are ARNs and paths such as `vault/secret`), `?` one character.
 */
export function wildcardMatcher(pattern: string): (text: string) => boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`, 'is');
  return (text) => re.test(text);
}

/** A date-only expiry (`2027-01-31`) still suppresses on that day: it ends at the next midnight UTC. */
export function expiryInstant(expires: string): number {
  const t = Date.parse(expires);
  return /^\d{4}-\d{2}-\d{2}$/.test(expires.trim()) ? t + 86_400_000 : t;
}

function matcherFor(s: Suppression): (finding: Finding) => boolean {
  if (s.fingerprint) return (f) => s.fingerprint === f.fingerprint;
  const resource = s.resource ? wildcardMatcher(s.resource) : undefined;
  return (f) => s.rule === f.ruleId && (!resource || resource(f.resource.id) || resource(f.resource.name));
}

export interface SuppressionOutcome {
  /** Findings of rule `suppression-expired`, one per expired suppression. */
  expired: Finding[];
  /** Suppressions still in force that matched no finding (stale config worth cleaning). */
  unused: string[];
}

/** The rule expired suppressions are reported under (`suppression-expired`, as the registry resolved it). */
export interface ExpiredRule {
  meta: RuleMeta;
  severity?: Severity;
}

/**
 * Marks suppressed findings (they stay in the report, flagged) and reports expired and unused
 * suppressions. Expired ones are findings of `expiredRule`; without it (the rule is off) they only stop
 * suppressing.
 */
export function applySuppressions(findings: Finding[], suppressions: Suppression[], now: Date, expiredRule?: ExpiredRule): SuppressionOutcome {
  const outcome: SuppressionOutcome = { expired: [], unused: [] };
  for (const s of suppressions) {
    const matches = matcherFor(s);
    const matched = findings.filter((f) => !f.suppressed && matches(f));
    if (s.expires !== undefined && expiryInstant(s.expires) <= now.getTime()) {
      if (!expiredRule) continue;
      const meta = expiredRule.meta;
      // Named by what it suppresses, not by its position in the list, so reordering the config keeps the fingerprint.
      const id = `suppression:${describe(s)}`;
      outcome.expired.push({
        fingerprint: findingFingerprint(meta.id, id),
        ruleId: meta.id,
        category: meta.category,
        severity: expiredRule.severity ?? meta.defaultSeverity,
        title: meta.title,
        message: `The suppression of ${describe(s)} ("${s.reason}") expired on ${s.expires}; it no longer hides ${matched.length} finding(s).`,
        resource: { provider: 'nhiscan', kind: 'suppression', id, name: describe(s) },
        owasp: meta.owasp,
        remediation: meta.remediation,
        evidence: { expires: s.expires, reason: s.reason, findingsNoLongerSuppressed: matched.length },
      });
      continue;
    }
    if (!matched.length) outcome.unused.push(describe(s));
    for (const f of matched) f.suppressed = { reason: s.reason, ...(s.expires ? { expires: s.expires } : {}), by: describe(s) };
  }
  return outcome;
}
