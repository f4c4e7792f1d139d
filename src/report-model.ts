/**
 * The scan result as every reporter sees it: the JSON report object. Markdown and SARIF are
 * rendered from this same object, so the three formats cannot disagree.
 */
import type { AnalysisError, ScanResult, SourceReport } from './engine.js';
import { CATEGORIES, SEVERITIES, type Category, type Finding, type Inventory, type Severity } from './model/index.js';
import type { HistorySection } from './history/section.js';
import type { RuleMeta } from './plugin.js';

export const SCHEMA_VERSION = '1.1.0';

/** The rule metadata a report carries: everything but the options schema. */
export type ReportRule = Pick<RuleMeta, 'id' | 'title' | 'category' | 'defaultSeverity' | 'owasp' | 'cis' | 'description' | 'remediation'>;

export interface Summary {
  /** Active findings only: not suppressed, not resolved. */
  bySeverity: Record<Severity, number>;
  byCategory: Record<Category, number>;
  byRule: Record<string, number>;
  total: number;
  suppressed: number;
  /**
   * Present with --baseline. `unknown`: baseline findings gone from a source that was partial, failed,
   * limited to a range (`--since`) or not scanned, so neither open nor resolved.
   */
  baseline?: { new: number; persisting: number; resolved: number; unknown?: number };
  gate: { failOn: Severity | 'none'; failed: boolean; gatingFindings: number };
}

export interface ScanReport {
  schemaVersion: string;
  tool: { name: 'nhiscan'; version: string };
  /** `config`: the config file used, relative to the working directory. */
  scan: {
    startedAt: string;
    finishedAt: string;
    /** The reference time age rules judged against: `--now`, or the time the scan started. */
    now?: string;
    baseline?: string;
    config?: string;
    /** Rules or enrichers that crashed: their part of the analysis is missing from this report. */
    analysisErrors?: AnalysisError[];
  };
  sources: SourceReport[];
  inventory: Inventory;
  findings: Finding[];
  summary: Summary;
  rules: ReportRule[];
  /** Present when the scan was written with history on (`--history`). */
  history?: HistorySection;
  /**
   * The inventory as collected, before enrichment: what `nhiscan merge` joins. Present in a shard's
   * report (`--shard`) and in a merged one, so a merge of merges equals one merge.
   */
  raw?: { inventory: Inventory; shard?: string };
}

export function isActive(f: Finding): boolean {
  return !f.suppressed && f.status !== 'resolved';
}

export function summarise(findings: Finding[], gate: Summary['gate'], withBaseline: boolean, baselineUnknown = 0): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const byRule: Record<string, number> = {};
  const active = findings.filter(isActive);
  for (const f of active) {
    bySeverity[f.severity]++;
    byCategory[f.category]++;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  const summary: Summary = {
    bySeverity,
    byCategory,
    byRule,
    total: active.length,
    suppressed: findings.filter((f) => f.suppressed).length,
    gate,
  };
  if (withBaseline) {
    summary.baseline = {
      new: findings.filter((f) => f.status === 'new' && !f.suppressed).length,
      persisting: findings.filter((f) => f.status === 'persisting' && !f.suppressed).length,
      resolved: findings.filter((f) => f.status === 'resolved').length,
      ...(baselineUnknown ? { unknown: baselineUnknown } : {}),
    };
  }
  return summary;
}

export function ruleForReport(meta: RuleMeta): ReportRule {
  return {
    id: meta.id,
    title: meta.title,
    category: meta.category,
    defaultSeverity: meta.defaultSeverity,
    owasp: meta.owasp,
    ...(meta.cis?.length ? { cis: meta.cis } : {}),
    description: meta.description,
    remediation: meta.remediation,
  };
}

export function buildReport(args: {
  result: ScanResult;
  findings: Finding[];
  version: string;
  rules: RuleMeta[];
  gate: Summary['gate'];
  baselineFile?: string;
  configFile?: string;
  now?: Date;
  /** `I/N` of a shard's report. */
  shard?: string;
}): ScanReport {
  const usedRules = new Set(args.findings.map((f) => f.ruleId));
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'nhiscan', version: args.version },
    scan: {
      startedAt: args.result.startedAt,
      finishedAt: args.result.finishedAt,
      ...(args.now ? { now: args.now.toISOString() } : {}),
      ...(args.baselineFile ? { baseline: args.baselineFile } : {}),
      ...(args.configFile ? { config: args.configFile } : {}),
      ...(args.result.analysisErrors.length ? { analysisErrors: args.result.analysisErrors } : {}),
    },
    sources: args.result.sources,
    inventory: args.result.inventory,
    findings: args.findings,
    summary: summarise(args.findings, args.gate, args.baselineFile !== undefined, args.result.baselineUnknown),
    rules: args.rules.filter((r) => usedRules.has(r.id)).map(ruleForReport),
    ...(args.result.rawInventory ? { raw: { inventory: args.result.rawInventory, ...(args.shard ? { shard: args.shard } : {}) } } : {}),
  };
}
