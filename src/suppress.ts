/**
 * Suppressions from the config: by fingerprint, or by rule plus an optional resource glob, each with
 * a mandatory reason and an optional expiry. An expired suppression stops suppressing and is
 * itself reported (rule `suppression-expired`) so accepted risks get re-reviewed.
 */
import picomatch from 'picomatch';
import type { Suppression } from './config.js';
import { findingFingerprint } from './fingerprint.js';
import type { Finding } from './model.js';
import { suppressionExpiredRule } from '../rules/core/suppression-expired.js';

function describe(s: Suppression): string {
  return s.fingerprint ? `fingerprint ${s.fingerprint}` : `rule ${s.rule}${s.resource ? ` on ${s.resource}` : ''}`;
}

function matches(s: Suppression, finding: Finding): boolean {
  if (s.fingerprint) return s.fingerprint === finding.fingerprint;
  if (s.rule !== finding.ruleId) return false;
  if (!s.resource) return true;
  const isMatch = picomatch(s.resource, { dot: true, nocase: true });
  return isMatch(finding.resource.id) || isMatch(finding.resource.name);
}

/** Marks suppressed findings (they stay in the report, flagged) and returns findings for expired suppressions. */
export function applySuppressions(findings: Finding[], suppressions: Suppression[], now: Date): Finding[] {
  const expiredFindings: Finding[] = [];
  suppressions.forEach((s, index) => {
    const expired = s.expires !== undefined && new Date(s.expires).getTime() <= now.getTime();
    const matched = findings.filter((f) => matches(s, f) && !f.suppressed);
    if (expired) {
      const meta = suppressionExpiredRule.meta;
      const id = `suppression:${index}:${describe(s)}`;
      expiredFindings.push({
        fingerprint: findingFingerprint(meta.id, id),
        ruleId: meta.id,
        category: meta.category,
        severity: meta.defaultSeverity,
        title: meta.title,
        message: `The suppression of ${describe(s)} ("${s.reason}") expired on ${s.expires}; it no longer hides ${matched.length} finding(s).`,
        resource: { provider: 'nhiscan', kind: 'suppression', id, name: describe(s) },
        owasp: meta.owasp,
        remediation: meta.remediation,
        evidence: { expires: s.expires, reason: s.reason, findingsNoLongerSuppressed: matched.length },
      });
      return;
    }
    for (const f of matched) f.suppressed = { reason: s.reason, ...(s.expires ? { expires: s.expires } : {}), by: describe(s) };
  });
  return expiredFindings;
}
