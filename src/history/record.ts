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
import type { Column, ColumnType, Constant, Db } from './db.js';
import { encodeIds } from './members.js';
import { migrateToRecord, OPEN_SINCE_SQL, SQLITE_FINGERPRINT_INDEX, SQLITE_FINGERPRINT_INDEX_SQL, STATE_SQL } from './migrations.js';
import { scanStatsOf, type ScanCounts } from './stats.js';
import type { ScanInput } from './scan-input.js';
import { FactsCatalog } from './facts.js';
import { NEW_FINDING_COLUMNS, newRows } from './new-rows.js';
import { daysBetween, goneOf, PresentMatcher, DUPLICATE, PERSISTING, REOPENED, type StoredFinding, type Transitions } from './transitions.js';

export interface RecordOutcome {
  scanId: number;
  at: string;
  previous?: { id: number; at: string };
  counts: ScanCounts;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Runs `sql` (ending in a WHERE) with `id IN ids`, in as few statements as the database needs. */
async function forIds(db: Db, sql: string, before: unknown[], ids: number[]): Promise<void> {
  for (const clause of db.inClauses('id', 'int', ids)) await db.run(`${sql} ${clause.sql}`, [...before, ...clause.params]);
}

/** Tracked rows read at once from SQLite (or PostgreSQL when the packed read cannot be used): all of them would outlive the young generation, row by row costs a driver call each. */
const TRACKED_PAGE = 1024;

/**
 * When each scan ran, by id, on PostgreSQL (where a new finding's open_since is NULL: its first scan's
 * time, migration 8); empty on SQLite, which writes it.
 */
async function scanTimes(db: Db): Promise<string[]> {
  const times: string[] = [];
  if (db.dialect === 'postgres') for (const [id, at] of await db.rows('SELECT id, at FROM scans')) times[Number(id)] = at as string;
  return times;
}

/** Matches the store's open and unknown findings to the scan's as they are read; returns the ids of those it did not see and how many were unknown. */
async function matchTracked(db: Db, matcher: PresentMatcher, catalog: FactsCatalog): Promise<{ unseenIds: number[]; unknownBefore: number }> {
  const tracked: Tracked = { unseenIds: [], unknownBefore: 0 };
  if (db.dialect === 'postgres' && (await matchPackedTracked(db, matcher, catalog, tracked))) return tracked;
  // SQLite reads a page along the primary key as fast as the whole. On PostgreSQL a NULL state is open and a NULL open_since the time of first_scan_id (migration 8); SQLite writes them.
  const sql =
    db.dialect === 'sqlite'
      ? `SELECT id, fingerprint, CASE WHEN state = 'unknown' THEN 1 ELSE 0 END, open_since, facts_id FROM findings WHERE state <> 'resolved' AND id > ? ORDER BY id LIMIT ${TRACKED_PAGE}`
      : `SELECT f.id, f.fingerprint, CASE WHEN f.state = 'unknown' THEN 1 ELSE 0 END, ${OPEN_SINCE_SQL}, f.facts_id FROM findings f WHERE (f.state IS NULL OR f.state <> 'resolved') AND f.id > ? ORDER BY f.id LIMIT ${TRACKED_PAGE}`;
  let after = 0;
  for (;;) {
    const page = await db.rows(sql, [after]);
    for (let r = 0; r < page.length; r++) {
      const row = page[r]!;
      const id = Number(row[0]);
      track(matcher, catalog, tracked, id, row[1] as string, row[2] as number, row[3] as string, Number(row[4]));
      after = id;
    }
    if (page.length < TRACKED_PAGE) return tracked;
  }
}

interface Tracked {
  unseenIds: number[];
  unknownBefore: number;
}

/** One open (`unknown` 0) or unknown (1) finding of the store, matched to the scan's. */
function track(
  matcher: PresentMatcher,
  catalog: FactsCatalog,
  into: Tracked,
  id: number,
  fingerprint: string,
  unknown: number,
  openSince: string,
  factsId: number,
): void {
  if (unknown) into.unknownBefore++;
  if (!matcher.tracked(id, fingerprint, unknown, openSince, catalog.partsOf(factsId))) into.unseenIds.push(id);
}

/** A row separator of the packed read: one that a fingerprint holds shows in the count, and the rows are read one by one instead. */
const PACKED_SEPARATOR = '\n';

/**
 * PostgreSQL's open and unknown findings in one row: their fingerprints joined, their times open since
 * joined (empty when NULL: the first scan's time, migration 8), and per finding 13 bytes: id, facts id
 * and first scan as int4, then 1 when unknown. The aggregates of one query see the rows in the same
 * order. pg parsing 55,578 rows of six text fields (a string each, and an array a row) was the largest
 * part of a daily recording's CPU.
 */
const PACKED_TRACKED_SQL = `SELECT count(*)::int, string_agg(fingerprint, chr(10)), string_agg(COALESCE(open_since, ''), chr(10)),
  string_agg(int4send(id) || int4send(COALESCE(facts_id, 0)) || int4send(COALESCE(first_scan_id, 0)) || decode(CASE WHEN state = 'unknown' THEN '01' ELSE '00' END, 'hex'), ''::bytea)
  FROM findings WHERE state IS NULL OR state <> 'resolved'`;
const PACKED_ROW_BYTES = 13;

/** matchTracked on PostgreSQL through PACKED_TRACKED_SQL; false (nothing matched) when a fingerprint holds the separator. */
async function matchPackedTracked(db: Db, matcher: PresentMatcher, catalog: FactsCatalog, into: Tracked): Promise<boolean> {
  const [count, joined, joinedOpenSince, packed] = (await db.rows(PACKED_TRACKED_SQL))[0]! as [number, string | null, string | null, Buffer | null];
  if (!count) return true;
  const fingerprints = joined!.split(PACKED_SEPARATOR);
  const openSince = joinedOpenSince!.split(PACKED_SEPARATOR);
  if (fingerprints.length !== count || openSince.length !== count || packed!.length !== count * PACKED_ROW_BYTES) return false;
  const scanAt = await scanTimes(db);
  for (let r = 0, at = 0; r < count; r++, at += PACKED_ROW_BYTES) {
    const id = packed!.readInt32BE(at);
    track(matcher, catalog, into, id, fingerprints[r]!, packed![at + 12]!, openSince[r] || scanAt[packed!.readInt32BE(at + 8)]!, packed!.readInt32BE(at + 4));
  }
  return true;
}

/** The resolved findings of the store among the scan's unmatched fingerprints: reopened. */
async function matchResolved(db: Db, matcher: PresentMatcher, catalog: FactsCatalog): Promise<void> {
  for (const clause of db.inClauses('fingerprint', 'text', matcher.unmatched()))
    for (const row of await db.rows(`SELECT id, fingerprint, facts_id FROM findings WHERE state = 'resolved' AND ${clause.sql}`, clause.params))
      matcher.resolved(Number(row[0]), row[1] as string, catalog.partsOf(Number(row[2])));
}

/** The whole rows of the findings a scan did not see (a few: what changed), for the statistics and the resolution rule. */
async function storedFindings(db: Db, ids: number[]): Promise<StoredFinding[]> {
  const rows: StoredFinding[] = [];
  for (const clause of db.inClauses('f.id', 'int', ids)) {
    const part = await db.query<StoredFinding & Record<string, unknown>>(
      `SELECT f.id, ${STATE_SQL} AS state, ${OPEN_SINCE_SQL} AS open_since, ff.rule_id, ff.category, ff.severity, ff.provider, ff.owner, ff.sources
       FROM findings f JOIN finding_facts ff ON ff.id = f.facts_id WHERE ${clause.sql}`,
      clause.params,
    );
    for (const row of part) rows.push({ ...row, id: Number(row.id) });
  }
  return rows.sort((a, b) => a.id - b.id);
}

export async function recordScan(db: Db, store: string, input: ScanInput): Promise<RecordOutcome> {
  return db.exclusive(async () => {
    const afterLoad = await migrateToRecord(db, store);
    const last = (await db.query<{ id: number; at: string }>('SELECT id, at FROM scans ORDER BY id DESC LIMIT 1'))[0];
    const previous = last ? { id: Number(last.id), at: last.at } : undefined;
    const matcher = new PresentMatcher(input.at, input.findings, previous !== undefined);
    const catalog = await FactsCatalog.load(db);
    const { unseenIds, unknownBefore } = await matchTracked(db, matcher, catalog);
    // Before the first scan nothing can have been resolved: the first recording looks nothing up.
    if (previous) await matchResolved(db, matcher, catalog);
    const maxId = Number((await db.query<{ max_id: number | null }>('SELECT MAX(id) AS max_id FROM findings'))[0]?.max_id ?? 0);
    const present = matcher.assignNewIds(maxId + 1);
    const added = catalog.idsOfNew(present);
    const coverage = new Map(input.sources.map((s) => [s.spec, s.fullyCovered]));
    const transitions: Transitions = { present, gone: goneOf(await storedFindings(db, unseenIds), coverage) };
    const { stats, counts } = scanStatsOf(input.at, transitions, unknownBefore, catalog.partsById);
    const scanId = (previous?.id ?? 0) + 1;
    await insertScan(db, scanId, input, transitions, stats, counts);
    await writeFindings(db, { scanId, at: input.at, previousAt: previous?.at ?? input.at, storeEmpty: maxId === 0, added, afterLoad }, transitions, catalog);
    return { scanId, at: input.at, ...(previous ? { previous } : {}), counts };
  });
}

async function insertScan(db: Db, scanId: number, input: ScanInput, transitions: Transitions, stats: unknown, counts: ScanCounts): Promise<void> {
  const { kind, id, duplicates } = transitions.present;
  // Every finding's id, but a repeated fingerprint's (whose id is its first finding's).
  let ids = id;
  if (duplicates) {
    ids = new Float64Array(kind.length - duplicates);
    let count = 0;
    for (let i = 0; i < kind.length; i++) if (kind[i] !== DUPLICATE) ids[count++] = id[i]!;
  }
  const members = encodeIds(ids);
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
  await db.insertMany('scan_sources', columns('scan_id:int spec status fully_covered:int not_covered'), uniqueSources);
  await db.insertMany(
    'scan_inventory',
    columns('scan_id:int provider kind owner_state count:int'),
    input.inventory.map((c) => [scanId, c.provider, c.kind, c.ownerState, c.count]),
  );
}

/** `name[:type]` words (text by default) → columns. */
function columns(spec: string): Column[] {
  return spec.split(' ').map((word) => {
    const [name, type] = word.split(':');
    return { name: name!, type: (type ?? 'text') as ColumnType };
  });
}

/**
 * What every new finding of a scan has alike: its first scan, and so open since the scan, first seen in
 * it, never reopened. PostgreSQL leaves those NULL (migrations 7 and 8): first_scan_id says them.
 */
function newFindingConstants(db: Db, scanId: number, at: string): Constant[] {
  const firstScan: Constant = { name: 'first_scan_id', type: 'int', value: scanId };
  if (db.dialect === 'postgres') return [firstScan];
  return [
    { name: 'state', type: 'text', value: 'open' },
    { name: 'first_seen', type: 'text', value: at },
    { name: 'open_since', type: 'text', value: at },
    { name: 'reopened', type: 'int', value: 0 },
    firstScan,
  ];
}
const EVENT_COLUMNS = columns('scan_id:int finding_id:int kind days_open:float');

/** New findings from which a first recording on SQLite builds the fingerprint index after loading them. */
const INDEX_AFTER_LOAD = 1000;

/**
 * Runs `load` with the fingerprint index of an empty SQLite store dropped, and builds it again after:
 * one sort of the loaded rows took the recording ~70 ms less CPU than inserting 55,578 fingerprints,
 * in no order, into it. Inside the writer's transaction, so a failure restores the index. A store
 * made by migration 1 (whose index is the column's own UNIQUE, which cannot be dropped) loads as it is.
 */
async function withSqliteFingerprintIndexAfter(db: Db, empty: boolean, rows: number, load: () => Promise<void>): Promise<void> {
  if (db.dialect !== 'sqlite' || !empty || rows < INDEX_AFTER_LOAD) return load();
  const found = await db.rows(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`, [SQLITE_FINGERPRINT_INDEX]);
  if (!found.length) return load();
  await db.run(`DROP INDEX ${SQLITE_FINGERPRINT_INDEX}`);
  await load();
  await db.run(SQLITE_FINGERPRINT_INDEX_SQL);
}

/** What writeFindings needs to know of the recording besides its transitions. */
interface Recording {
  scanId: number;
  at: string;
  previousAt: string;
  storeEmpty: boolean;
  /** New findings (FactsCatalog.idsOfNew's count). */
  added: number;
  /** DDL an empty store's creation left until after its first findings (migrateToRecord). */
  afterLoad: string | undefined;
}

async function writeFindings(db: Db, recording: Recording, transitions: Transitions, catalog: FactsCatalog): Promise<void> {
  const { scanId, at, previousAt, storeEmpty, added, afterLoad } = recording;
  const events: unknown[][] = [];
  // No 'new' event: the row's first_scan_id and first_seen say it (src/history/query.ts, findingHistory).
  const present = transitions.present;
  await withSqliteFingerprintIndexAfter(db, storeEmpty, added, () =>
    db.insertMany('findings', NEW_FINDING_COLUMNS, newRows(present, added), newFindingConstants(db, scanId, at)),
  );
  if (afterLoad) await db.run(afterLoad);
  const { kind, id, changed, wasUnknown, findings, duplicates } = transitions.present;
  const backFromUnknown: number[] = [];
  // Findings the store knew (none in a store's first recording): reopened, back from unknown, or changed.
  const known = kind.length - added - duplicates;
  for (let i = 0; known && i < kind.length; i++) {
    if (kind[i] === REOPENED) {
      events.push([scanId, id[i], 'reopened', null]);
      await db.run(
        `UPDATE findings SET state = 'open', open_since = ?, resolved_at = NULL, reopened = COALESCE(reopened, 0) + 1, last_reopened_at = ? WHERE id = ?`,
        [at, at, id[i]],
      );
    }
    if (kind[i] === PERSISTING && wasUnknown[i]) backFromUnknown.push(id[i]!);
    if (changed[i]) await db.run(`UPDATE findings SET facts_id = ? WHERE id = ?`, [catalog.idOf(findings, i), id[i]]);
  }
  await forIds(db, `UPDATE findings SET state = 'open' WHERE`, [], backFromUnknown);
  const resolved = transitions.gone.filter((g) => g.to === 'resolved');
  const wasOpen = (g: (typeof resolved)[number]) => g.row.state === 'open';
  // "Last seen": the previous scan for a finding open until now; an unknown one keeps the time it was last seen.
  await forIds(
    db,
    `UPDATE findings SET state = 'resolved', resolved_at = ?, last_seen = ? WHERE`,
    [at, previousAt],
    resolved.filter(wasOpen).map((g) => g.row.id),
  );
  await forIds(
    db,
    `UPDATE findings SET state = 'resolved', resolved_at = ? WHERE`,
    [at],
    resolved.filter((g) => !wasOpen(g)).map((g) => g.row.id),
  );
  for (const g of resolved) events.push([scanId, g.row.id, 'resolved', daysBetween(g.row.open_since, at)]);
  const unknown = transitions.gone.filter((g) => g.to === 'unknown');
  await forIds(
    db,
    `UPDATE findings SET state = 'unknown', last_seen = ? WHERE`,
    [previousAt],
    unknown.map((g) => g.row.id),
  );
  for (const g of unknown) events.push([scanId, g.row.id, 'unknown', null]);
  await db.insertMany('finding_events', EVENT_COLUMNS, events);
  await catalog.write(db);
}
