/**
 * Records one scan in a history store, atomically: migrations, the previous state, the transitions,
 * the new rows and the scan's figures are one exclusive transaction (src/history/db.ts), so a scan is
 * recorded whole or not at all, and two scans recording at once both land, one after the other.
 *
 * What is written grows with what changed, not with the estate: new findings are inserted, findings
 * that changed state or facts are updated, and the scan's membership is one compact blob of finding
 * ids. "Last seen" of an open finding is the last scan's time, so it is written only when it stops
 * being seen.
 */
import type { Db } from './db.js';
import { encodeIds } from './members.js';
import { migrate } from './migrations.js';
import type { ScanInput } from './scan-input.js';
import { scanStatsOf, type ScanCounts } from './stats.js';
import { attributesChanged, daysBetween, transitionsOf, type TrackedFinding, type Transitions } from './transitions.js';

export interface RecordOutcome {
  scanId: number;
  at: string;
  previous?: { id: number; at: string };
  counts: ScanCounts;
}

const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Inserts rows of `columns.length` values each, a few hundred per statement. */
export async function insertRows(db: Db, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const row = `(${placeholders(columns.length)})`;
  for (const part of chunks(rows, Math.max(1, Math.floor(8000 / columns.length)))) {
    await db.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => row).join(', ')}`, part.flat());
  }
}

/** Runs `sql` (ending in `IN`) for ids, a few hundred at a time. */
async function forIds(db: Db, sql: string, before: unknown[], ids: number[]): Promise<void> {
  for (const part of chunks(ids)) await db.run(`${sql} (${placeholders(part.length)})`, [...before, ...part]);
}

const TRACKED_COLUMNS = 'id, fingerprint, rule_id, category, severity, provider, owner, sources, suppressed, state, open_since';

async function resolvedAmong(db: Db, fingerprints: string[]): Promise<Map<string, TrackedFinding>> {
  const found = new Map<string, TrackedFinding>();
  for (const part of chunks(fingerprints)) {
    const rows = await db.query<TrackedFinding & Record<string, unknown>>(
      `SELECT ${TRACKED_COLUMNS} FROM findings WHERE state = 'resolved' AND fingerprint IN (${placeholders(part.length)})`,
      part,
    );
    for (const row of rows) found.set(row.fingerprint, row);
  }
  return found;
}

export async function recordScan(db: Db, store: string, input: ScanInput): Promise<RecordOutcome> {
  return db.exclusive(async () => {
    await migrate(db, store);
    const last = (await db.query<{ id: number; at: string }>('SELECT id, at FROM scans ORDER BY id DESC LIMIT 1'))[0];
    const previous = last ? { id: Number(last.id), at: last.at } : undefined;
    const trackedRows = await db.query<TrackedFinding & Record<string, unknown>>(`SELECT ${TRACKED_COLUMNS} FROM findings WHERE state <> 'resolved'`);
    const tracked = new Map<string, TrackedFinding>();
    for (const row of trackedRows) {
      row.id = Number(row.id);
      tracked.set(row.fingerprint, row);
    }
    const unseen = input.findings.map((f) => f.fingerprint).filter((fp) => !tracked.has(fp));
    const resolvedBefore = unseen.length ? await resolvedAmong(db, unseen) : new Map<string, TrackedFinding>();
    const maxId = Number((await db.query<{ max_id: number | null }>('SELECT MAX(id) AS max_id FROM findings'))[0]?.max_id ?? 0);
    const coverage = new Map(input.sources.map((s) => [s.spec, s.fullyCovered]));
    const transitions = transitionsOf(input.at, input.findings, tracked, resolvedBefore, coverage, maxId + 1);
    const unknownBefore = trackedRows.filter((r) => r.state === 'unknown').length;
    const { stats, counts } = scanStatsOf(input.at, transitions, unknownBefore);
    const scanId = (previous?.id ?? 0) + 1;
    await insertScan(db, scanId, input, transitions, stats, counts);
    await writeFindings(db, scanId, input.at, previous?.at ?? input.at, transitions);
    return { scanId, at: input.at, ...(previous ? { previous } : {}), counts };
  });
}

async function insertScan(db: Db, scanId: number, input: ScanInput, transitions: Transitions, stats: unknown, counts: ScanCounts): Promise<void> {
  const members = encodeIds(transitions.present.map((p) => p.id));
  await db.run(
    `INSERT INTO scans (id, at, started_at, finished_at, recorded_at, tool_version, rules_hash, open_count, new_count, resolved_count, reopened_count, unknown_count, persisting_count, stats, members)
     VALUES (${placeholders(15)})`,
    [
      scanId,
      input.at,
      input.startedAt,
      input.finishedAt,
      new Date().toISOString(),
      input.toolVersion,
      input.rulesHash,
      counts.open,
      counts.new,
      counts.resolved,
      counts.reopened,
      counts.unknown,
      counts.persisting,
      JSON.stringify(stats),
      members,
    ],
  );
  const sources = input.sources.map((s) => [scanId, s.spec, s.status, s.fullyCovered ? 1 : 0, JSON.stringify(s.notCovered)]);
  // One row per spec: a spec given twice is one source.
  const uniqueSources = [...new Map(sources.map((row) => [row[1], row])).values()];
  await insertRows(db, 'scan_sources', ['scan_id', 'spec', 'status', 'fully_covered', 'not_covered'], uniqueSources);
  await insertRows(
    db,
    'scan_inventory',
    ['scan_id', 'provider', 'kind', 'owner_state', 'count'],
    input.inventory.map((c) => [scanId, c.provider, c.kind, c.ownerState, c.count]),
  );
}

const FINDING_COLUMNS = [
  'id',
  'fingerprint',
  'rule_id',
  'category',
  'severity',
  'provider',
  'resource_kind',
  'resource_id',
  'resource_name',
  'owner',
  'sources',
  'suppressed',
  'state',
  'first_seen',
  'open_since',
  'reopened',
];

async function writeFindings(db: Db, scanId: number, at: string, previousAt: string, transitions: Transitions): Promise<void> {
  const events: unknown[][] = [];
  const fresh = transitions.present.filter((p) => p.kind === 'new');
  await insertRows(
    db,
    'findings',
    FINDING_COLUMNS,
    fresh.map(({ id, input: f }) => [
      id,
      f.fingerprint,
      f.ruleId,
      f.category,
      f.severity,
      f.provider,
      f.resourceKind,
      f.resourceId,
      f.resourceName,
      f.owner,
      JSON.stringify(f.sources),
      f.suppressed ? 1 : 0,
      'open',
      at,
      at,
      0,
    ]),
  );
  for (const p of fresh) events.push([scanId, p.id, 'new', null]);
  for (const p of transitions.present) {
    if (p.kind === 'reopened') {
      events.push([scanId, p.id, 'reopened', null]);
      await db.run(`UPDATE findings SET state = 'open', open_since = ?, resolved_at = NULL, reopened = reopened + 1, last_reopened_at = ? WHERE id = ?`, [
        at,
        at,
        p.id,
      ]);
    }
    if (p.kind !== 'new' && attributesChanged(p)) {
      const f = p.input;
      await db.run(`UPDATE findings SET severity = ?, category = ?, owner = ?, sources = ?, suppressed = ? WHERE id = ?`, [
        f.severity,
        f.category,
        f.owner,
        JSON.stringify(f.sources),
        f.suppressed ? 1 : 0,
        p.id,
      ]);
    }
  }
  const backFromUnknown = transitions.present.filter((p) => p.kind === 'persisting' && p.before?.state === 'unknown').map((p) => p.id);
  await forIds(db, `UPDATE findings SET state = 'open' WHERE id IN`, [], backFromUnknown);
  const resolved = transitions.gone.filter((g) => g.to === 'resolved');
  const wasOpen = (g: (typeof resolved)[number]) => g.row.state === 'open';
  // "Last seen": the previous scan for a finding open until now; an unknown one keeps the time it was last seen.
  await forIds(
    db,
    `UPDATE findings SET state = 'resolved', resolved_at = ?, last_seen = ? WHERE id IN`,
    [at, previousAt],
    resolved.filter(wasOpen).map((g) => g.row.id),
  );
  await forIds(
    db,
    `UPDATE findings SET state = 'resolved', resolved_at = ? WHERE id IN`,
    [at],
    resolved.filter((g) => !wasOpen(g)).map((g) => g.row.id),
  );
  for (const g of resolved) events.push([scanId, g.row.id, 'resolved', daysBetween(g.row.open_since, at)]);
  const unknown = transitions.gone.filter((g) => g.to === 'unknown');
  await forIds(
    db,
    `UPDATE findings SET state = 'unknown', last_seen = ? WHERE id IN`,
    [previousAt],
    unknown.map((g) => g.row.id),
  );
  for (const g of unknown) events.push([scanId, g.row.id, 'unknown', null]);
  await insertRows(db, 'finding_events', ['scan_id', 'finding_id', 'kind', 'days_open'], events);
}
