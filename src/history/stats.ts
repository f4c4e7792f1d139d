/**
 * The figures of one scan that `trend` reads back: counts by severity and by every `--by` dimension,
 * the age of the open findings, and a per-severity histogram of ages in whole days, from which the
 * breaches of any fix-time target can be counted later without reading the findings again.
 */
import { SEVERITIES, type Severity } from '../model/index.js';
import { DAY_MS, daysBetween, UNKNOWN, type Transitions } from './transitions.js';

export const DIMENSIONS = ['severity', 'category', 'provider', 'owner', 'rule'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface GroupCounts {
  open: number;
  new: number;
  resolved: number;
  reopened: number;
  unknown: number;
}

export interface AgeSummary {
  meanDays: number;
  medianDays: number;
  maxDays: number;
}

export interface ScanStats {
  openBySeverity: Record<Severity, number>;
  /** Age of the open findings; null when none is open. */
  age: AgeSummary | null;
  /** Severity → whole days open → how many open findings. */
  ageHistogram: Record<Severity, Record<string, number>>;
  /** Findings in the unknown state after this scan (gone from a source that was not fully covered, now or earlier). */
  unknownTotal: number;
  by: Record<Dimension, Record<string, GroupCounts>>;
  /**
   * Days open of the findings this scan resolved, by severity: `trend` and every report's section read
   * time to fix from here instead of joining a window's events with the findings. Absent in scans
   * recorded before it was kept; `trend` reads their events.
   */
  fixedDays?: Record<Severity, number[]>;
}

export interface ScanCounts {
  open: number;
  new: number;
  resolved: number;
  reopened: number;
  unknown: number;
  persisting: number;
}

const NO_OWNER = '(no owner)';

interface Grouped {
  severity: Severity;
  category: string;
  provider: string;
  owner: string | null;
  rule_id?: string;
  ruleId?: string;
}

function keysOf(item: Grouped): string[] {
  // In DIMENSIONS order.
  return [item.severity, item.category, item.provider, item.owner ?? NO_OWNER, (item.ruleId ?? item.rule_id)!];
}

function zeroBySeverity(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

export function median(sorted: ArrayLike<number>): number {
  if (!sorted.length) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

export function scanStatsOf(at: string, transitions: Transitions, unknownBefore: number): { stats: ScanStats; counts: ScanCounts } {
  const by = Object.fromEntries(DIMENSIONS.map((d) => [d, {}])) as ScanStats['by'];
  const bump = (item: Grouped, field: keyof GroupCounts) => {
    const keys = keysOf(item);
    for (let d = 0; d < DIMENSIONS.length; d++) (by[DIMENSIONS[d]!][keys[d]!] ??= { open: 0, new: 0, resolved: 0, reopened: 0, unknown: 0 })[field]++;
  };
  // Findings opened in the same scan share their start: parse each start once.
  const atMs = Date.parse(at);
  const startMs = new Map<string, number>();
  const ageOf = (since: string) => {
    let ms = startMs.get(since);
    if (ms === undefined) startMs.set(since, (ms = Date.parse(since)));
    return Math.max(0, (atMs - ms) / DAY_MS);
  };
  const openBySeverity = zeroBySeverity();
  const ageHistogram = Object.fromEntries(SEVERITIES.map((s) => [s, {}])) as ScanStats['ageHistogram'];
  // A typed array sorts numerically without a comparator: 50,000 ages in a few milliseconds.
  const allAges = new Float64Array(transitions.present.length);
  let aged = 0;
  const counts: ScanCounts = { open: 0, new: 0, resolved: 0, reopened: 0, unknown: 0, persisting: 0 };
  for (const p of transitions.present) {
    if (p.kind === 'persisting') counts.persisting++;
    if (p.input.suppressed) continue; // tracked, so it never turns "new" again, but not counted as open
    counts.open++;
    bump(p.input, 'open');
    if (p.kind !== 'persisting') {
      counts[p.kind]++;
      bump(p.input, p.kind);
    }
    openBySeverity[p.input.severity]++;
    const age = ageOf(p.openSince);
    allAges[aged++] = age;
    const bucket = String(Math.floor(age));
    ageHistogram[p.input.severity][bucket] = (ageHistogram[p.input.severity][bucket] ?? 0) + 1;
  }
  let unknownTotal = unknownBefore;
  const fixedDays = Object.fromEntries(SEVERITIES.map((s) => [s, [] as number[]])) as Record<Severity, number[]>;
  for (const g of transitions.gone) {
    if (g.to === 'resolved') fixedDays[g.row.severity]?.push(daysBetween(g.row.open_since, at));
    if (g.to === 'stays-unknown') continue;
    if (g.row.state === 'unknown') unknownTotal--; // leaves unknown (resolved now)
    if (g.to === 'unknown') unknownTotal++;
    counts[g.to]++;
    bump(g.row, g.to);
  }
  // Unknown findings seen again are open once more.
  unknownTotal -= transitions.present.filter((p) => p.before?.[UNKNOWN] === 1).length;
  const ages = allAges.subarray(0, aged).sort();
  const age = ages.length
    ? { meanDays: round1(ages.reduce((a, b) => a + b, 0) / ages.length), medianDays: round1(median(ages)), maxDays: round1(ages[ages.length - 1]!) }
    : null;
  return { stats: { openBySeverity, age, ageHistogram, unknownTotal, by, fixedDays }, counts };
}

/** Open findings at least `targetDays` old, per severity with a target. */
export function breachesOf(stats: Pick<ScanStats, 'ageHistogram'>, targets: Partial<Record<Severity, number>>) {
  return SEVERITIES.filter((s) => targets[s] !== undefined).map((severity) => {
    const targetDays = targets[severity]!;
    const count = Object.entries(stats.ageHistogram[severity] ?? {})
      .filter(([days]) => Number(days) >= targetDays)
      .reduce((sum, [, n]) => sum + n, 0);
    return { severity, targetDays, count };
  });
}
