/**
 * The last step of evaluation: the user's policy over the rules' findings. Suppressions from the config
 * (expired ones become `suppression-expired` findings), the comparison with a baseline (new, persisting,
 * resolved) and the gate (which findings fail the scan). runScan applies it, so every caller of the
 * engine (the CLI, a merge, a history writer, a plugin) gets the same answer.
 */
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { atLeast, type Finding, type Severity } from './model/index.js';
import { diffAgainstBaseline } from './baseline.js';
import { resolveRules, sortFindings } from './evaluate.js';
import type { Registry } from './registry.js';
import { applySuppressions } from './suppress.js';
import type { Coverage } from './coverage.js';

export const SUPPRESSION_EXPIRED_RULE = 'suppression-expired';

export interface Gate {
  failOn: Severity | 'none';
  failed: boolean;
  /** Findings that fail the gate: unsuppressed, not resolved, new when there is a baseline, at or above `failOn`. */
  gatingFindings: number;
}

export interface PolicyRequest {
  registry: Registry;
  config: Config;
  now: Date;
  log: Logger;
  /** Findings of a previous report (see readBaseline): only new findings count for the gate. */
  baseline?: Finding[];
  /** The gate's threshold; the config's `failOn`, else `high`. */
  failOn?: Severity | 'none';
  /** Which sources of this scan were fully covered: a baseline finding gone from any other source is unknown, not resolved. */
  coverage?: Coverage;
}

export interface PolicyOutcome {
  /** The findings with suppressions marked, expired suppressions and resolved baseline findings added. */
  findings: Finding[];
  gate: Gate;
  /** Suppressions in force that matched no finding (stale config worth cleaning). */
  unusedSuppressions: string[];
  /** With a baseline: its findings gone from a source that was not fully covered (neither open nor resolved). */
  baselineUnknown?: number;
}

export function applyPolicy(findings: Finding[], request: PolicyRequest): PolicyOutcome {
  const { registry, config, now, baseline } = request;
  const expired = resolveRules(registry, config).find((r) => r.rule.meta.id === SUPPRESSION_EXPIRED_RULE);
  const expiredRule = expired?.enabled ? { meta: expired.rule.meta, severity: expired.severity } : undefined;
  const suppression = applySuppressions(findings, config.suppressions, now, expiredRule);
  let all = suppression.expired.length ? sortFindings([...findings, ...suppression.expired]) : findings;
  for (const unused of suppression.unused) request.log.warn(`the suppression of ${unused} matched no finding`);
  const diff = baseline ? diffAgainstBaseline(all, baseline, request.coverage) : undefined;
  if (diff) all = [...all, ...diff.resolved];
  const failOn = request.failOn ?? config.failOn ?? 'high';
  const gating = all.filter(
    (f) => !f.suppressed && f.status !== 'resolved' && (!baseline || f.status === 'new') && failOn !== 'none' && atLeast(f.severity, failOn),
  );
  return {
    findings: all,
    gate: { failOn, failed: gating.length > 0, gatingFindings: gating.length },
    unusedSuppressions: suppression.unused,
    ...(diff ? { baselineUnknown: diff.unknown } : {}),
  };
}
