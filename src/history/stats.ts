/**
 * The figures of one scan that `trend` reads back: counts by severity and by every `--by` dimension,
 * the age of the open findings, and a per-severity histogram of ages in whole days, from which the
 * breaches of any fix-time target can be counted later without reading the findings again.
 */
import { SEVERITIES, type Severity } from '../model/index.js';
import { DAY_MS, daysBetween, DUPLICATE, NEW, PERSISTING, type FactsParts, type Present, type Transitions } from './transitions.js';

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

function zeroBySeverity(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

export function median(sorted: ArrayLike<number>): number {
  if (!sorted.length) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

type By = ScanStats['by'];

function add(groups: Record<string, GroupCounts>, key: string, field: keyof GroupCounts, also: keyof GroupCounts | undefined, n: number): void {
  const counts = (groups[key] ??= { open: 0, new: 0, resolved: 0, reopened: 0, unknown: 0 });
  counts[field] += n;
  if (also) counts[also] += n;
}

/**
 * Counts `n` findings (one unless given) under each dimension's value (and under `also`, when given: a
 * new finding is open and new), without building the keys as an array.
 */
function bump(
  by: By,
  field: keyof GroupCounts,
  also: keyof GroupCounts | undefined,
  severity: string,
  category: string,
  provider: string,
  owner: string | null,
  rule: string,
  n = 1,
): void {
  add(by.severity, severity, field, also, n);
  add(by.category, category, field, also, n);
  add(by.provider, provider, field, also, n);
  add(by.owner, owner ?? NO_OWNER, field, also, n);
  add(by.rule, rule, field, also, n);
}

/**
 * New findings counted by their facts set (every dimension is one of its parts): a set's first finding
 * is counted where it comes, so that each dimension's groups keep the order in which their keys first
 * appear, and the rest of the set at once by `flush`. Five keyed counts per finding were most of a
 * first recording's statistics.
 */
class NewByFacts {
  /** Facts id → the index of its first new finding, and how many more came after it. */
  private readonly first: number[] = [];
  private readonly more: number[] = [];
  private readonly ids: number[] = [];

  /** Whether finding `i` of facts `facts` (0: unknown) was counted here; false for a set's first. */
  later(facts: number, i: number): boolean {
    if (!facts) return false;
    if (this.first[facts] !== undefined) {
      this.more[facts]!++;
      return true;
    }
    this.first[facts] = i;
    this.more[facts] = 0;
    this.ids.push(facts);
    return false;
  }

  flush(by: By, present: Present): void {
    const { items, owner } = present.findings;
    for (const facts of this.ids) {
      const n = this.more[facts]!;
      if (!n) continue;
      const item = items[this.first[facts]!]!;
      bump(by, 'open', 'new', item.severity, item.category, item.resource.provider, owner[this.first[facts]!]!, item.ruleId, n);
    }
  }
}

/**
 * Open findings by severity and whole days open, counted a run at a time: a report's findings come
 * sorted by severity, and a first recording's are all 0 days old, so most findings add one to a local
 * count rather than look two maps up.
 */
class AgeCounts {
  readonly openBySeverity = zeroBySeverity();
  // Severity → whole days → count; numbers, not strings, as keys while counting.
  private readonly histogram = new Map<Severity, Map<number, number>>(SEVERITIES.map((s) => [s, new Map()]));
  private severity: Severity | undefined;
  private days = 0;
  private count = 0;

  /** Counts `n` (one unless given) open findings of `severity`, `days` old. */
  add(severity: Severity, days: number, n = 1): void {
    if (severity === this.severity && days === this.days) {
      this.count += n;
      return;
    }
    this.flush();
    this.severity = severity;
    this.days = days;
    this.count = n;
  }

  /** Severity → whole days (as a string, ascending) → count. */
  ageHistogram(): ScanStats['ageHistogram'] {
    this.flush();
    return Object.fromEntries(
      SEVERITIES.map((s) => [s, Object.fromEntries([...this.histogram.get(s)!].sort(([a], [b]) => a - b).map(([days, n]) => [String(days), n]))]),
    ) as ScanStats['ageHistogram'];
  }

  private flush(): void {
    if (!this.count) return;
    const severity = this.severity!;
    const days = this.histogram.get(severity)!;
    days.set(this.days, (days.get(this.days) ?? 0) + this.count);
    this.openBySeverity[severity] += this.count;
    this.count = 0;
  }
}

/**
 * presentStats when every finding is new (a store's first recording): the findings counted by facts
 * set in one pass over their facts ids, then each set counted at once, in the order of its first
 * finding. The same figures, and groups in the same order, as the finding-by-finding count, which took
 * a first recording ~30 ms in a fresh process (a method call or two a finding, run before the loop is
 * optimised). Undefined when a finding is not new.
 */
function newOnlyStats(present: Present, factsParts: ReadonlyArray<FactsParts | undefined>, counts: ScanCounts, by: By) {
  const { kind, factsId, findings: f } = present;
  // Facts id → how many findings after its set's first; the sets' first findings in order.
  const more: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < kind.length; i++) {
    const k = kind[i];
    if (k === DUPLICATE) continue;
    if (k !== NEW || !factsParts[factsId[i]!]) return undefined;
    const facts = factsId[i]!;
    if (more[facts] === undefined) {
      more[facts] = 0;
      firsts.push(i);
    } else more[facts]++;
  }
  const ageCounts = new AgeCounts();
  let open = 0;
  // Each set's first finding where it comes, then the rest of each set (NewByFacts' order).
  for (const first of [true, false])
    for (const i of firsts) {
      const facts = factsParts[factsId[i]!]!;
      const n = first ? 1 : more[factsId[i]!]!;
      if (facts.suppressed || !n) continue; // tracked, so it never turns "new" again, but not counted as open
      const item = f.items[i]!;
      bump(by, 'open', 'new', facts.severity, item.category, item.resource.provider, f.owner[i]!, item.ruleId, n);
      // A new finding is open since this scan: 0 days.
      ageCounts.add(facts.severity as Severity, 0, n);
      open += n;
    }
  counts.open += open;
  counts.new += open;
  const age = open ? { meanDays: 0, medianDays: 0, maxDays: 0 } : null;
  return { openBySeverity: ageCounts.openBySeverity, ageHistogram: ageCounts.ageHistogram(), age, unknownSeen: 0 };
}

/** The open findings' figures: counts by every dimension, by severity, and their ages; and how many unknown findings were seen again. */
function presentStats(at: string, present: Present, factsParts: ReadonlyArray<FactsParts | undefined>, counts: ScanCounts, by: By) {
  const allNew = newOnlyStats(present, factsParts, counts, by);
  if (allNew) return allNew;
  const { kind, openSinceMs, factsId, wasUnknown, findings: f } = present;
  const newByFacts = new NewByFacts();
  const atMs = Date.parse(at);
  const ageCounts = new AgeCounts();
  // A typed array sorts numerically without a comparator: 50,000 ages in a few milliseconds.
  const allAges = new Float64Array(kind.length);
  let aged = 0;
  let unknownSeen = 0;
  for (let i = 0; i < kind.length; i++) {
    const k = kind[i];
    if (k === DUPLICATE) continue;
    if (k === PERSISTING) {
      counts.persisting++;
      if (wasUnknown[i]) unknownSeen++;
    }
    const item = f.items[i]!;
    if (item.suppressed) continue; // tracked, so it never turns "new" again, but not counted as open
    const severity = item.severity;
    counts.open++;
    const also = k === PERSISTING ? undefined : k === NEW ? 'new' : 'reopened';
    if (also) counts[also]++;
    if (!newByFacts.later(k === NEW ? factsId[i]! : 0, i)) bump(by, 'open', also, severity, item.category, item.resource.provider, f.owner[i]!, item.ruleId);
    const age = Math.max(0, (atMs - openSinceMs[i]!) / DAY_MS);
    allAges[aged++] = age;
    ageCounts.add(severity, Math.floor(age));
  }
  newByFacts.flush(by, present);
  const ageHistogram = ageCounts.ageHistogram();
  const ages = allAges.subarray(0, aged).sort();
  // Summed in ascending order, as ever (another order can round the mean differently).
  let sum = 0;
  for (let a = 0; a < ages.length; a++) sum += ages[a]!;
  const age = ages.length ? { meanDays: round1(sum / ages.length), medianDays: round1(median(ages)), maxDays: round1(ages[ages.length - 1]!) } : null;
  return { openBySeverity: ageCounts.openBySeverity, ageHistogram, age, unknownSeen };
}

/** The scan's figures; `factsParts` are the facts by id (FactsCatalog.partsById), which new findings' `factsId` point into. */
export function scanStatsOf(
  at: string,
  transitions: Transitions,
  unknownBefore: number,
  factsParts: ReadonlyArray<FactsParts | undefined>,
): { stats: ScanStats; counts: ScanCounts } {
  const by = Object.fromEntries(DIMENSIONS.map((d) => [d, {}])) as By;
  const counts: ScanCounts = { open: 0, new: 0, resolved: 0, reopened: 0, unknown: 0, persisting: 0 };
  const { openBySeverity, ageHistogram, age, unknownSeen } = presentStats(at, transitions.present, factsParts, counts, by);
  // Unknown findings seen again are open once more.
  let unknownTotal = unknownBefore - unknownSeen;
  const fixedDays = Object.fromEntries(SEVERITIES.map((s) => [s, [] as number[]])) as Record<Severity, number[]>;
  for (const g of transitions.gone) {
    if (g.to === 'resolved') fixedDays[g.row.severity]?.push(daysBetween(g.row.open_since, at));
    if (g.to === 'stays-unknown') continue;
    if (g.row.state === 'unknown') unknownTotal--; // leaves unknown (resolved now)
    if (g.to === 'unknown') unknownTotal++;
    counts[g.to]++;
    bump(by, g.to, undefined, g.row.severity, g.row.category, g.row.provider, g.row.owner, g.row.rule_id);
  }
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
