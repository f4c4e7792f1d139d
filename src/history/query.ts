/**
 * What the history commands read back: the recorded scans, the trend over a window (per scan: new,
 * resolved, reopened, open and unknown findings, age of the open ones, time to fix by severity and
 * breaches of the fix-time targets), and the difference between two scans.
 */
import { SEVERITIES, type Severity } from '../model/index.js';
import type { TimeToFix, TrendPoint } from './section.js';
import { HistoryError, type Db } from './db.js';
import { decodeIds } from './members.js';
import { REOPENED_SQL, STATE_SQL } from './migrations.js';
import { breachesOf, median, round1, type AgeSummary, type Dimension, type GroupCounts, type ScanCounts, type ScanStats } from './stats.js';

/** Days each severity may stay open; `trend` counts the open findings past them. */
export type FixTargets = Partial<Record<Severity, number>>;
export const DEFAULT_FIX_TARGETS: FixTargets = { critical: 7, high: 30, medium: 90, low: 180 };

export interface ScanRow {
  id: number;
  at: string;
  started_at: string;
  finished_at: string;
  recorded_at: string;
  tool_version: string;
  rules_hash: string;
  open_count: number;
  new_count: number;
  resolved_count: number;
  reopened_count: number;
  unknown_count: number;
  persisting_count: number;
  stats: string;
}

const SCAN_COLUMNS =
  'id, at, started_at, finished_at, recorded_at, tool_version, rules_hash, open_count, new_count, resolved_count, reopened_count, unknown_count, persisting_count, stats';

export interface RecordedScan extends ScanCounts {
  scanId: string;
  at: string;
  startedAt: string;
  finishedAt: string;
  recordedAt: string;
  toolVersion: string;
  rulesHash: string;
  sources: Array<{ spec: string; status: string; fullyCovered: boolean }>;
  /** Identities, credentials and resources by provider, kind and owner state. */
  inventory: Array<{ provider: string; kind: string; ownerState: string; count: number }>;
}

/** The rows of a query that selects `scan_id`, grouped by scan and mapped with `map`. */
async function perScan<T>(db: Db, sql: string, map: (row: Record<string, unknown>) => T): Promise<Map<number, T[]>> {
  const byScan = new Map<number, T[]>();
  for (const row of await db.query(sql)) {
    const id = Number(row.scan_id);
    const list = byScan.get(id) ?? [];
    list.push(map(row));
    byScan.set(id, list);
  }
  return byScan;
}

export async function listScans(db: Db): Promise<RecordedScan[]> {
  const scans = await db.query<ScanRow & Record<string, unknown>>(`SELECT ${SCAN_COLUMNS} FROM scans ORDER BY id`);
  const sourcesOf = await perScan(db, 'SELECT scan_id, spec, status, fully_covered FROM scan_sources ORDER BY scan_id, spec', (r) => ({
    spec: String(r.spec),
    status: String(r.status),
    fullyCovered: Boolean(Number(r.fully_covered)),
  }));
  const inventoryOf = await perScan(
    db,
    'SELECT scan_id, provider, kind, owner_state, count FROM scan_inventory ORDER BY scan_id, provider, kind, owner_state',
    (r) => ({
      provider: String(r.provider),
      kind: String(r.kind),
      ownerState: String(r.owner_state),
      count: Number(r.count),
    }),
  );
  return scans.map((s) => ({
    scanId: String(s.id),
    at: s.at,
    startedAt: s.started_at,
    finishedAt: s.finished_at,
    recordedAt: s.recorded_at,
    toolVersion: s.tool_version,
    rulesHash: s.rules_hash,
    open: Number(s.open_count),
    new: Number(s.new_count),
    resolved: Number(s.resolved_count),
    reopened: Number(s.reopened_count),
    unknown: Number(s.unknown_count),
    persisting: Number(s.persisting_count),
    sources: sourcesOf.get(Number(s.id)) ?? [],
    inventory: inventoryOf.get(Number(s.id)) ?? [],
  }));
}

/** A trend point of the report's section, with more of the scan's figures. */
export interface TrendScan extends TrendPoint {
  /** Gone from a source that was not fully covered in this scan. */
  unknown: number;
  age: AgeSummary | null;
  /** Findings resolved in this scan: how long they had been open. */
  timeToFix: Record<Severity, TimeToFix>;
  breaches: Array<{ severity: Severity; targetDays: number; count: number }>;
  /** With `--by`: the same counts per value of the dimension. */
  groups?: Record<string, GroupCounts>;
}

export interface Trend {
  since: string;
  by?: Dimension;
  targets: FixTargets;
  scans: TrendScan[];
  /** Over every scan of the window. */
  timeToFix: Record<Severity, TimeToFix>;
}

export function timeToFixOf(days: number[]): TimeToFix {
  if (!days.length) return { fixed: 0, meanDays: null, medianDays: null };
  const sorted = [...days].sort((a, b) => a - b);
  return { fixed: days.length, meanDays: round1(sorted.reduce((a, b) => a + b, 0) / days.length), medianDays: round1(median(sorted)) };
}

function bySeverity<T>(make: (s: Severity) => T): Record<Severity, T> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, make(s)])) as Record<Severity, T>;
}

/** Days open of the findings resolved in scans from `firstScanId` on, by scan and severity. */
async function fixesSince(db: Db, firstScanId: number): Promise<Map<number, Record<Severity, number[]>>> {
  const rows = await db.query<{ scan_id: number; severity: Severity; days_open: number }>(
    `SELECT e.scan_id, ff.severity, e.days_open FROM finding_events e JOIN findings f ON f.id = e.finding_id JOIN finding_facts ff ON ff.id = f.facts_id
     WHERE e.kind = 'resolved' AND e.scan_id >= ?`,
    [firstScanId],
  );
  const byScan = new Map<number, Record<Severity, number[]>>();
  for (const row of rows) {
    const id = Number(row.scan_id);
    let entry = byScan.get(id);
    if (!entry) byScan.set(id, (entry = bySeverity(() => [] as number[])));
    entry[row.severity]?.push(Number(row.days_open));
  }
  return byScan;
}

export async function trendOf(db: Db, options: { since: string; by?: Dimension; targets: FixTargets }): Promise<Trend> {
  const rows = await db.query<ScanRow & Record<string, unknown>>(`SELECT ${SCAN_COLUMNS} FROM scans WHERE at >= ? ORDER BY id`, [options.since]);
  const statsOf = rows.map((row) => JSON.parse(row.stats) as ScanStats);
  // Scans recorded before their stats kept the days open of their fixes: read those from the events.
  const older = rows.filter((_row, i) => !statsOf[i]!.fixedDays);
  const fixes = older.length ? await fixesSince(db, Number(older[0]!.id)) : new Map<number, Record<Severity, number[]>>();
  rows.forEach((row, i) => {
    const kept = statsOf[i]!.fixedDays;
    if (kept) fixes.set(Number(row.id), kept);
  });
  const scans = rows.map((row, i): TrendScan => {
    const stats = statsOf[i]!;
    const fixed = fixes.get(Number(row.id));
    return {
      scanId: String(row.id),
      at: row.at,
      open: Number(row.open_count),
      new: Number(row.new_count),
      resolved: Number(row.resolved_count),
      reopened: Number(row.reopened_count),
      unknown: Number(row.unknown_count),
      openBySeverity: stats.openBySeverity,
      age: stats.age,
      timeToFix: bySeverity((s) => timeToFixOf(fixed?.[s] ?? [])),
      breaches: breachesOf(stats, options.targets),
      ...(options.by ? { groups: stats.by[options.by] } : {}),
    };
  });
  const all = bySeverity((s) => [...fixes.values()].flatMap((f) => f[s]));
  return {
    since: options.since,
    ...(options.by ? { by: options.by } : {}),
    targets: options.targets,
    scans,
    timeToFix: bySeverity((s) => timeToFixOf(all[s])),
  };
}

export interface DiffFinding {
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  category: string;
  resourceId: string;
  resourceName: string;
  owner: string | null;
  /** The finding's state now (after the last recorded scan). */
  state: string;
}

export interface ScanDiff {
  from: { scanId: string; at: string };
  to: { scanId: string; at: string };
  /** In the later scan, not in the earlier one. */
  added: DiffFinding[];
  /** In the earlier scan, not in the later one (resolved or of unknown state since). */
  removed: DiffFinding[];
  unchanged: number;
}

async function membersOf(db: Db, scanId: string): Promise<{ at: string; ids: number[] }> {
  const id = Number(scanId);
  const rows = Number.isInteger(id) ? await db.query<{ at: string; members: Uint8Array }>('SELECT at, members FROM scans WHERE id = ?', [id]) : [];
  if (!rows[0]) throw new HistoryError(`no recorded scan "${scanId}" (see nhiscan history)`);
  return { at: rows[0].at, ids: decodeIds(rows[0].members) };
}

type SharedFacts = Pick<DiffFinding, 'ruleId' | 'severity' | 'category' | 'owner'>;

/** The facts findings share (finding_facts, a small table), read once for a diff's two lists rather than joined per finding. */
async function sharedFacts(db: Db): Promise<Map<number, SharedFacts>> {
  const facts = new Map<number, SharedFacts>();
  for (const [id, ruleId, severity, category, owner] of await db.rows('SELECT id, rule_id, severity, category, owner FROM finding_facts'))
    facts.set(Number(id), { ruleId: ruleId as string, severity: severity as Severity, category: category as string, owner: (owner as string | null) ?? null });
  return facts;
}

async function findingsByIds(db: Db, ids: number[], facts: Map<number, SharedFacts>): Promise<DiffFinding[]> {
  const out: DiffFinding[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await db.rows(
      `SELECT fingerprint, facts_id, resource_id, resource_name, ${STATE_SQL} FROM findings f WHERE id IN (${part.map(() => '?').join(', ')})`,
      part,
    );
    for (const [fingerprint, factsId, resourceId, resourceName, state] of rows) {
      const shared = facts.get(Number(factsId))!;
      out.push({
        fingerprint: fingerprint as string,
        ruleId: shared.ruleId,
        severity: shared.severity,
        category: shared.category,
        resourceId: resourceId as string,
        resourceName: resourceName as string,
        owner: shared.owner,
        state: state as string,
      });
    }
  }
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  return out.sort((a, b) => rank(a.severity) - rank(b.severity) || a.ruleId.localeCompare(b.ruleId) || a.resourceId.localeCompare(b.resourceId));
}

export async function diffScans(db: Db, scanA: string, scanB: string): Promise<ScanDiff> {
  const a = await membersOf(db, scanA);
  const b = await membersOf(db, scanB);
  const inA = new Set(a.ids);
  const inB = new Set(b.ids);
  const facts = await sharedFacts(db);
  return {
    from: { scanId: String(Number(scanA)), at: a.at },
    to: { scanId: String(Number(scanB)), at: b.at },
    added: await findingsByIds(
      db,
      b.ids.filter((id) => !inA.has(id)),
      facts,
    ),
    removed: await findingsByIds(
      db,
      a.ids.filter((id) => !inB.has(id)),
      facts,
    ),
    unchanged: a.ids.filter((id) => inB.has(id)).length,
  };
}

export interface FindingHistory {
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  resourceId: string;
  owner: string | null;
  sources: string[];
  state: string;
  firstSeen: string;
  /** The last scan that saw it (the latest scan while it is open). */
  lastSeen: string;
  resolvedAt: string | null;
  reopened: number;
  events: Array<{ scanId: string; at: string; kind: string; daysOpen: number | null }>;
}

/** One fingerprint's state and the scans where it changed. */
export async function findingHistory(db: Db, fingerprint: string): Promise<FindingHistory> {
  const row = (
    await db.query<Record<string, string | number | null>>(
      // A NULL first_seen (PostgreSQL, migration 7) is the time of the finding's first scan; a NULL state and reopened (migration 8) open and never.
      `SELECT f.id, f.resource_id, ${STATE_SQL} AS state, f.last_seen, f.resolved_at, ${REOPENED_SQL} AS reopened, f.first_scan_id,
         COALESCE(f.first_seen, (SELECT s.at FROM scans s WHERE s.id = f.first_scan_id)) AS seen_first, ff.rule_id, ff.severity, ff.owner, ff.sources
       FROM findings f JOIN finding_facts ff ON ff.id = f.facts_id WHERE f.fingerprint = ?`,
      [fingerprint],
    )
  )[0];
  if (!row) throw new HistoryError(`no finding ${fingerprint} in the history store`);
  const latest = (await db.query<{ at: string }>('SELECT at FROM scans ORDER BY id DESC LIMIT 1'))[0]!;
  const events = await db.query<{ scan_id: number; at: string; kind: string; days_open: number | null }>(
    'SELECT e.scan_id, s.at, e.kind, e.days_open FROM finding_events e JOIN scans s ON s.id = e.scan_id WHERE e.finding_id = ? ORDER BY e.scan_id',
    [row.id],
  );
  return {
    fingerprint,
    ruleId: String(row.rule_id),
    severity: row.severity as Severity,
    resourceId: String(row.resource_id),
    owner: (row.owner as string | null) ?? null,
    sources: JSON.parse(String(row.sources)) as string[],
    state: String(row.state),
    firstSeen: String(row.seen_first),
    lastSeen: row.state === 'open' ? latest.at : String(row.last_seen),
    resolvedAt: (row.resolved_at as string | null) ?? null,
    reopened: Number(row.reopened),
    events: [
      // Recorded since schema 4 as the row's first scan rather than as an event; older findings have the event.
      ...(row.first_scan_id === null || row.first_scan_id === undefined
        ? []
        : [{ scanId: String(row.first_scan_id), at: String(row.seen_first), kind: 'new', daysOpen: null }]),
      ...events.map((e) => ({ scanId: String(e.scan_id), at: e.at, kind: e.kind, daysOpen: e.days_open === null ? null : round1(Number(e.days_open)) })),
    ],
  };
}
