/**
 * The history store, the same tests on SQLite and on a real PostgreSQL server (testkit/postgres.ts:
 * Debian's server binaries, a temporary cluster on a loopback port).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openDb, HistoryError, type Db } from '../../src/history/db.js';
import { migrate, SCHEMA_VERSION, schemaVersion } from '../../src/history/migrations.js';
import { diffScans, findingHistory, listScans, trendOf, DEFAULT_FIX_TARGETS } from '../../src/history/query.js';
import { FactsCatalog } from '../../src/history/facts.js';
import { recordScan } from '../../src/history/record.js';
import { PresentMatcher, sameFacts, type FactsParts } from '../../src/history/transitions.js';
import { scanStatsOf } from '../../src/history/stats.js';
import { openForRead } from '../../src/history/store.js';
import { scanFindings, type FindingInput, type ScanInput, type SourceInput } from '../../src/history/scan-input.js';
import type { HistoryTarget } from '../../src/history/target.js';
import { startPostgres, type PostgresServer } from '../../testkit/postgres.js';
import { ROOT, tempDir } from '../support/cli.js';

const REPO: SourceInput = { spec: 'git:repo', status: 'ok', fullyCovered: true, notCovered: [] };
const CLOUD: SourceInput = { spec: 'aws', status: 'ok', fullyCovered: true, notCovered: [] };

function finding(fingerprint: string, overrides: Partial<FindingInput> = {}): FindingInput {
  return {
    fingerprint,
    ruleId: 'leaked-secret',
    category: 'leaked-secret',
    severity: 'critical',
    provider: 'git',
    resourceKind: 'leaked-secret',
    resourceId: `secret:leaked-secret:${fingerprint}`,
    resourceName: `secret ${fingerprint}`,
    owner: 'alice@example.com',
    sources: ['git:repo'],
    suppressed: false,
    ...overrides,
  };
}

function scan(day: number, findings: FindingInput[], sources: SourceInput[] = [REPO, CLOUD]): ScanInput {
  const at = new Date(Date.UTC(2026, 10, day)).toISOString();
  return {
    at,
    startedAt: at,
    finishedAt: at,
    toolVersion: '0.1.0',
    rulesHash: 'sha256:test',
    sources,
    findings: scanFindings(findings),
    inventory: [{ provider: 'aws', kind: 'iam-user', ownerState: 'unowned', count: 2 }],
  };
}

const trendSchema = (() => {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return { ajv, validate: ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs/history.trend.schema.json'), 'utf8'))) };
})();

let postgres: PostgresServer;
let databases = 0;
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(() => postgres?.stop());

const STORES: Array<[string, () => Promise<HistoryTarget>]> = [
  ['SQLite', async () => ({ kind: 'sqlite', path: join(tempDir(), 'history.sqlite') })],
  ['PostgreSQL', async () => ({ kind: 'postgres', url: await postgres.createDatabase(`store${++databases}`) })],
];

const FACT_COLUMNS = ['rule_id', 'category', 'severity', 'provider', 'resource_kind', 'owner', 'sources', 'suppressed'];

/** Opens an older store for reading, which migrates it, and checks that `read` gives what it gave before; returns the reader. */
async function readsBackMigrated<T>(target: HistoryTarget, read: (db: Db) => Promise<T>, before: T): Promise<Db> {
  const reader = await openForRead(target);
  expect(await schemaVersion(reader)).toBe(SCHEMA_VERSION);
  expect(await read(reader)).toEqual(before);
  return reader;
}

/** Back to what schema 7 and older wrote: state, open_since and reopened on every row, NOT NULL (PostgreSQL leaves them NULL on new findings since 8). */
async function undoVersion8(db: Db): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await db.run(`UPDATE findings SET state = 'open' WHERE state IS NULL`);
  await db.run('UPDATE findings SET open_since = (SELECT s.at FROM scans s WHERE s.id = findings.first_scan_id) WHERE open_since IS NULL');
  await db.run('UPDATE findings SET reopened = 0 WHERE reopened IS NULL');
  for (const column of ['state', 'open_since', 'reopened']) await db.run(`ALTER TABLE findings ALTER COLUMN ${column} SET NOT NULL`);
}

/** Back to what schema 6 and older wrote: first_seen on every row, NOT NULL (PostgreSQL leaves it NULL on new findings since 7). */
async function undoVersion7(db: Db): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await db.run('UPDATE findings SET first_seen = (SELECT s.at FROM scans s WHERE s.id = findings.first_scan_id) WHERE first_seen IS NULL');
  await db.run('ALTER TABLE findings ALTER COLUMN first_seen SET NOT NULL');
}

/** Back to what schema 4 wrote: the facts on each finding's row, no finding_facts. */
async function undoVersion5(db: Db): Promise<void> {
  for (const column of FACT_COLUMNS) {
    const type = column === 'owner' ? 'TEXT' : column === 'suppressed' ? 'INTEGER NOT NULL DEFAULT 0' : `TEXT NOT NULL DEFAULT ''`;
    await db.run(`ALTER TABLE findings ADD COLUMN ${column} ${type}`);
    await db.run(`UPDATE findings SET ${column} = (SELECT ff.${column} FROM finding_facts ff WHERE ff.id = findings.facts_id)`);
  }
  await db.run('ALTER TABLE findings DROP COLUMN facts_id');
  await db.run('DROP TABLE finding_facts');
}

/** Back to what schema 3 and older wrote: no first_scan_id, a 'new' event per finding instead. */
async function undoVersion4(db: Db): Promise<void> {
  await db.run(`INSERT INTO finding_events (scan_id, finding_id, kind, days_open) SELECT first_scan_id, id, 'new', NULL FROM findings`);
  await db.run('ALTER TABLE findings DROP COLUMN first_scan_id');
}

/** Every table's columns (name, type, nullability, key), indexes (columns, unique) and foreign keys, whatever their names. */
async function schemaOf(db: Db): Promise<unknown> {
  if (db.dialect === 'sqlite') {
    const tables = (await db.rows(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)).map((row) => String(row[0]));
    const out: Record<string, unknown> = {};
    for (const table of tables) {
      const indexes = [];
      for (const [, name, unique] of await db.rows(`PRAGMA index_list(${table})`))
        indexes.push([unique, (await db.rows(`PRAGMA index_info(${String(name)})`)).map((row) => row[2]).join(',')]);
      out[table] = {
        columns: (await db.rows(`PRAGMA table_info(${table})`)).map(([, name, type, notnull, , pk]) => [name, type, notnull, pk]),
        indexes: indexes.map((i) => JSON.stringify(i)).sort(),
        foreignKeys: (await db.rows(`PRAGMA foreign_key_list(${table})`)).map(([, , to, from, key]) => [from, to, key]),
      };
    }
    return out;
  }
  return {
    columns: await db.rows(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    ),
    indexes: await db.rows(
      `SELECT t.relname, ix.indisunique, ix.indisprimary, (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
       FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace WHERE ns.nspname = 'public' ORDER BY 1, 4`,
    ),
    constraints: await db.rows(
      `SELECT c.conrelid::regclass::text, c.contype, c.confrelid::regclass::text, (SELECT string_agg(a.attname, ',') FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey))
       FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace WHERE ns.nspname = 'public' ORDER BY 1, 2, 4`,
    ),
  };
}

describe.each(STORES)('history store on %s', (_name, newTarget) => {
  async function withDb<T>(target: HistoryTarget, fn: (db: Db) => Promise<T>): Promise<T> {
    const db = await openDb(target);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  it('moves findings through new, resolved, reopened and unknown, and keeps each fingerprint state', async () => {
    const target = await newTarget();
    const a = finding('a');
    const b = finding('b', { severity: 'high' });
    const c = finding('c', { severity: 'high', owner: null });
    const d = finding('d', { provider: 'aws', sources: ['aws'], ruleId: 'credential-unused', category: 'unused-credential', severity: 'medium' });
    await withDb(target, async (db) => {
      const first = await recordScan(db, 'test', scan(1, [a, b, c, d]));
      expect(first).toMatchObject({ scanId: 1, counts: { new: 4, open: 4, resolved: 0 } });
      // c fixed: gone from a fully covered source.
      expect((await recordScan(db, 'test', scan(11, [a, b, d]))).counts).toMatchObject({ new: 0, resolved: 1, persisting: 3, open: 3 });
      // c back: reopened, not new.
      expect((await recordScan(db, 'test', scan(12, [a, b, c, d]))).counts).toMatchObject({ new: 0, reopened: 1, open: 4 });
      // The repository was only partly read: b's absence proves nothing, and the AWS finding d is gone from a covered source.
      const partial = { ...REPO, status: 'partial', fullyCovered: false };
      expect((await recordScan(db, 'test', scan(13, [a, c], [partial, CLOUD]))).counts).toMatchObject({ resolved: 1, unknown: 1, open: 2 });
      // AWS not scanned at all this time: nothing of it can be resolved; the repository is covered again, so b is resolved.
      expect((await recordScan(db, 'test', scan(20, [a, c], [REPO]))).counts).toMatchObject({ resolved: 1, unknown: 0, persisting: 2 });

      expect(await findingHistory(db, 'c')).toMatchObject({
        state: 'open',
        firstSeen: '2026-11-01T00:00:00.000Z',
        lastSeen: '2026-11-20T00:00:00.000Z',
        resolvedAt: null,
        reopened: 1,
        events: [
          { scanId: '1', kind: 'new' },
          { scanId: '2', kind: 'resolved', daysOpen: 10 },
          { scanId: '3', kind: 'reopened' },
        ],
      });
      expect(await findingHistory(db, 'b')).toMatchObject({
        state: 'resolved',
        lastSeen: '2026-11-12T00:00:00.000Z',
        resolvedAt: '2026-11-20T00:00:00.000Z',
        events: [{ kind: 'new' }, { scanId: '4', kind: 'unknown' }, { scanId: '5', kind: 'resolved', daysOpen: 19 }],
      });
      expect((await findingHistory(db, 'd')).events.at(-1)).toMatchObject({ scanId: '4', kind: 'resolved', daysOpen: 12 });
      const scans = await listScans(db);
      expect(scans.map((s) => [s.scanId, s.open, s.new, s.resolved, s.reopened, s.unknown])).toEqual([
        ['1', 4, 4, 0, 0, 0],
        ['2', 3, 0, 1, 0, 0],
        ['3', 4, 0, 0, 1, 0],
        ['4', 2, 0, 1, 0, 1],
        ['5', 2, 0, 1, 0, 0],
      ]);
      expect(scans[0]).toMatchObject({
        toolVersion: '0.1.0',
        rulesHash: 'sha256:test',
        inventory: [{ provider: 'aws', kind: 'iam-user', ownerState: 'unowned', count: 2 }],
      });
      expect(scans[3]!.sources).toEqual([
        { spec: 'aws', status: 'ok', fullyCovered: true },
        { spec: 'git:repo', status: 'partial', fullyCovered: false },
      ]);
    });
  });

  it('trend: per scan counts, age, time to fix by severity, breaches, groups; --json valid against its schema', async () => {
    const target = await newTarget();
    await withDb(target, async (db) => {
      await recordScan(db, 'test', scan(1, [finding('a'), finding('b', { severity: 'high' }), finding('c', { owner: null })]));
      await recordScan(db, 'test', scan(4, [finding('a'), finding('b', { severity: 'high' })])); // c: critical fixed in 3 days
      await recordScan(db, 'test', scan(10, [finding('b', { severity: 'high' })])); // a: critical fixed in 9 days
      const trend = await trendOf(db, { since: '2026-01-01T00:00:00.000Z', by: 'owner', targets: DEFAULT_FIX_TARGETS });
      expect(trend.scans.map((s) => [s.open, s.new, s.resolved, s.age?.maxDays])).toEqual([
        [3, 3, 0, 0],
        [2, 0, 1, 3],
        [1, 0, 1, 9],
      ]);
      expect(trend.timeToFix.critical).toEqual({ fixed: 2, meanDays: 6, medianDays: 6 });
      expect(trend.timeToFix.high).toEqual({ fixed: 0, meanDays: null, medianDays: null });
      expect(trend.scans[2]!.timeToFix.critical).toEqual({ fixed: 1, meanDays: 9, medianDays: 9 });
      // Critical target 7 days: a was 3 days old at scan 2 (no breach); high target 30: b (9 days) is fine.
      expect(trend.scans[1]!.breaches.find((x) => x.severity === 'critical')!.count).toBe(0);
      const strict = await trendOf(db, { since: '2026-01-01T00:00:00.000Z', targets: { high: 5 } });
      expect(strict.scans[2]!.breaches).toEqual([{ severity: 'high', targetDays: 5, count: 1 }]);
      expect(trend.scans[0]!.groups).toEqual({
        'alice@example.com': { open: 2, new: 2, resolved: 0, reopened: 0, unknown: 0 },
        '(no owner)': { open: 1, new: 1, resolved: 0, reopened: 0, unknown: 0 },
      });
      expect(trend.scans[1]!.groups!['(no owner)']).toMatchObject({ open: 0, resolved: 1 });
      const windowed = await trendOf(db, { since: '2026-11-03T00:00:00.000Z', targets: DEFAULT_FIX_TARGETS });
      expect(windowed.scans.map((s) => s.scanId)).toEqual(['2', '3']);
      const json = JSON.parse(JSON.stringify({ store: 'test', ...trend }));
      expect(trendSchema.validate(json) ? '' : trendSchema.ajv.errorsText(trendSchema.validate.errors)).toBe('');
      delete json.scans[0].open;
      expect(trendSchema.validate(json)).toBe(false); // the schema can fail
      // Scans recorded before their stats kept the days open of their fixes: the same times to fix, from the events.
      for (const [id, stats] of (await db.rows('SELECT id, stats FROM scans')) as Array<[number, string]>) {
        const { fixedDays, ...older } = JSON.parse(stats) as { fixedDays?: unknown };
        expect(fixedDays).toBeDefined();
        await db.run('UPDATE scans SET stats = ? WHERE id = ?', [JSON.stringify(older), id]);
      }
      const fromEvents = await trendOf(db, { since: '2026-01-01T00:00:00.000Z', by: 'owner', targets: DEFAULT_FIX_TARGETS });
      expect(fromEvents.timeToFix).toEqual(trend.timeToFix);
      expect(fromEvents.scans.map((s) => s.timeToFix)).toEqual(trend.scans.map((s) => s.timeToFix));
    });
  });

  it('diff: findings added and gone between any two scans', async () => {
    const target = await newTarget();
    await withDb(target, async (db) => {
      await recordScan(db, 'test', scan(1, [finding('a'), finding('b')]));
      await recordScan(db, 'test', scan(2, [finding('b'), finding('c', { severity: 'low' })]));
      await recordScan(db, 'test', scan(3, [finding('c', { severity: 'low' })]));
      const diff = await diffScans(db, '1', '3');
      expect(diff.added.map((f) => [f.fingerprint, f.severity, f.state])).toEqual([['c', 'low', 'open']]);
      expect(diff.removed.map((f) => [f.fingerprint, f.state])).toEqual([
        ['a', 'resolved'],
        ['b', 'resolved'],
      ]);
      expect(diff.unchanged).toBe(0);
      expect((await diffScans(db, '2', '3')).unchanged).toBe(1);
      await expect(diffScans(db, '1', '9')).rejects.toThrow(/no recorded scan "9"/);
    });
  });

  it('migrates an older store and refuses a newer one with a clear error', async () => {
    const target = await newTarget();
    await withDb(target, async (db) => {
      await recordScan(db, 'test', scan(1, [finding('a')]));
      // Back to what version 1 wrote: the same tables (no state index, as now, no first_scan_id, the facts in the row), version 1.
      await undoVersion8(db);
      await undoVersion7(db);
      await undoVersion5(db);
      await undoVersion4(db);
      await db.run(`UPDATE history_meta SET value = '1' WHERE key = 'schema_version'`);
    });
    const reader = await openForRead(target);
    expect(await schemaVersion(reader)).toBe(SCHEMA_VERSION);
    await reader.close();
    await withDb(target, async (db) => {
      expect((await recordScan(db, 'test', scan(2, [finding('a')]))).counts).toMatchObject({ persisting: 1, new: 0 });
      await db.run(`UPDATE history_meta SET value = '99' WHERE key = 'schema_version'`);
      await expect(recordScan(db, 'test', scan(3, [finding('a')]))).rejects.toThrow(
        new RegExp(`schema version 99, newer than this nhiscan understands \\(${SCHEMA_VERSION}\\): upgrade nhiscan`),
      );
      expect((await listScans(db)).length).toBe(2); // nothing written
    });
    await expect(openForRead(target)).rejects.toBeInstanceOf(HistoryError);
  });

  it('migrates a version 2 store (its state index dropped, first_scan_id added) and keeps every finding state and event', async () => {
    const target = await newTarget();
    await withDb(target, (db) => recordScan(db, 'test', scan(1, [finding('a'), finding('b')])));
    // Back to what version 2 left: its state index, a 'new' event per finding, version 2.
    await withDb(target, async (db) => {
      await undoVersion8(db);
      await undoVersion7(db);
      await undoVersion5(db);
      await undoVersion4(db);
      await db.run('CREATE INDEX findings_state ON findings (state)');
      await db.run(`UPDATE history_meta SET value = '2' WHERE key = 'schema_version'`);
    });
    const reader = await openForRead(target);
    expect(await schemaVersion(reader)).toBe(SCHEMA_VERSION);
    await reader.close();
    await withDb(target, async (db) => {
      expect((await recordScan(db, 'test', scan(2, [finding('a'), finding('c')]))).counts).toMatchObject({ persisting: 1, resolved: 1, new: 1 });
      expect(await findingHistory(db, 'b')).toMatchObject({ state: 'resolved', firstSeen: '2026-11-01T00:00:00.000Z' });
      // One 'new' event each: from the event table before the migration, from first_scan_id after it.
      expect((await findingHistory(db, 'a')).events).toEqual([{ scanId: '1', at: '2026-11-01T00:00:00.000Z', kind: 'new', daysOpen: null }]);
      expect((await findingHistory(db, 'b')).events.map((e) => [e.scanId, e.kind])).toEqual([
        ['1', 'new'],
        ['2', 'resolved'],
      ]);
      expect((await findingHistory(db, 'c')).events).toEqual([{ scanId: '2', at: '2026-11-02T00:00:00.000Z', kind: 'new', daysOpen: null }]);
      expect((await db.rows(`SELECT COUNT(*) FROM finding_events WHERE kind = 'new'`))[0]![0]).toBe(2);
    });
  });

  it('migrates a version 4 store: the facts findings share move to finding_facts, and every finding keeps its own', async () => {
    const target = await newTarget();
    const findings = [
      finding('a'),
      finding('b', { severity: 'high', owner: null }),
      finding('c', { sources: ['git:repo', 'aws'], suppressed: true }),
      finding('d'), // a's facts
      finding('e', { owner: null, severity: 'high' }), // b's facts
      finding('f', { provider: 'aws', resourceKind: 'iam-user', ruleId: 'credential-unused', category: 'unused-credential' }),
    ];
    const before = await withDb(target, async (db) => {
      await recordScan(db, 'test', scan(1, findings));
      await recordScan(db, 'test', scan(2, findings.slice(1))); // a resolved
      const histories = await Promise.all(findings.map((f) => findingHistory(db, f.fingerprint)));
      await undoVersion8(db);
      await undoVersion7(db);
      await undoVersion5(db);
      await db.run(`UPDATE history_meta SET value = '4' WHERE key = 'schema_version'`);
      return histories;
    });
    expect(before[0]).toMatchObject({ ruleId: 'leaked-secret', state: 'resolved' });
    const reader = await openForRead(target);
    expect(await schemaVersion(reader)).toBe(SCHEMA_VERSION);
    expect(await Promise.all(findings.map((f) => findingHistory(reader, f.fingerprint)))).toEqual(before);
    expect((await reader.rows('SELECT COUNT(*) FROM finding_facts'))[0]![0]).toBe(4);
    await reader.close();
    await withDb(target, async (db) => {
      // Every stored fact compares equal to the scan's: nothing reads as changed, and a changed one is stored.
      const changed = { ...findings[3]!, owner: 'bob@example.com' };
      expect((await recordScan(db, 'test', scan(3, [...findings.slice(0, 3), changed, ...findings.slice(4)]))).counts).toMatchObject({
        reopened: 1,
        persisting: 5,
        new: 0,
      });
      expect(await findingHistory(db, 'd')).toMatchObject({ owner: 'bob@example.com' });
      expect(await findingHistory(db, 'a')).toMatchObject({ owner: 'alice@example.com', state: 'open', reopened: 1 });
      expect((await diffScans(db, '2', '3')).added.map((f) => [f.fingerprint, f.ruleId, f.severity])).toEqual([['a', 'leaked-secret', 'critical']]);
    });
  });

  it('creates an empty store at the latest schema at once, the same schema as the migrations give', async () => {
    const [fresh, migrated] = [await newTarget(), await newTarget()];
    const freshSchema = await withDb(fresh, async (db) => {
      await db.exclusive(() => migrate(db, 'test'));
      return schemaOf(db);
    });
    const migratedSchema = await withDb(migrated, async (db) => {
      await db.exclusive(() => migrate(db, 'test', 1)); // migration 1, then the others, one by one
      await db.exclusive(() => migrate(db, 'test'));
      return schemaOf(db);
    });
    expect(freshSchema).toEqual(migratedSchema);
    await withDb(fresh, async (db) => expect(await schemaVersion(db)).toBe(SCHEMA_VERSION));
    // A first recording large enough that SQLite builds the fingerprint index after its rows: the index is back, unique.
    const many = Array.from({ length: 1_500 }, (_, i) => finding(`n${i}`));
    await withDb(fresh, async (db) => {
      expect((await recordScan(db, 'test', scan(1, many))).counts).toMatchObject({ new: 1_500 });
      expect(await schemaOf(db)).toEqual(migratedSchema);
      expect((await recordScan(db, 'test', scan(2, [...many.slice(1), finding('x')]))).counts).toMatchObject({ new: 1, persisting: 1_499, resolved: 1 });
    });
    // A first recording creates an empty store itself, leaving part of it until its rows are in (on
    // PostgreSQL, findings' primary key and finding_events): the same schema at the end.
    await withDb(await newTarget(), async (db) => {
      expect((await recordScan(db, 'test', scan(1, many))).counts).toMatchObject({ new: 1_500 });
      expect(await schemaOf(db)).toEqual(migratedSchema);
      expect((await recordScan(db, 'test', scan(2, [...many.slice(2), finding('x')]))).counts).toMatchObject({ new: 1, persisting: 1_498, resolved: 2 });
      expect((await db.rows(`SELECT COUNT(*) FROM finding_events WHERE kind = 'resolved'`))[0]![0]).toBe(2);
    });
  });

  it('migrates a version 5 store (PostgreSQL drops the unique fingerprint index, and lets first_seen be NULL) and reads every finding, scan and diff back unchanged', async () => {
    const target = await newTarget();
    const findings = [finding('a'), finding('b', { severity: 'high', owner: null }), finding('c', { sources: ['git:repo', 'aws'] })];
    const read = async (db: Db) => ({
      histories: await Promise.all(findings.map((f) => findingHistory(db, f.fingerprint))),
      scans: await listScans(db),
      diff: await diffScans(db, '1', '2'),
      trend: await trendOf(db, { since: '2026-01-01T00:00:00.000Z', targets: DEFAULT_FIX_TARGETS }),
    });
    const before = await withDb(target, async (db) => {
      await recordScan(db, 'test', scan(1, findings));
      await recordScan(db, 'test', scan(2, findings.slice(1))); // a resolved
      // Back to what version 5 left: on PostgreSQL, the unique constraint of migration 1 (SQLite never lost it).
      if (db.dialect === 'postgres') await db.run('ALTER TABLE findings ADD CONSTRAINT findings_fingerprint_key UNIQUE (fingerprint)');
      await undoVersion8(db);
      await undoVersion7(db);
      await db.run(`UPDATE history_meta SET value = '5' WHERE key = 'schema_version'`);
      return read(db);
    });
    const reader = await readsBackMigrated(target, read, before);
    if (reader.dialect === 'postgres')
      expect(await reader.rows(`SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'findings'::regclass AND contype = 'u'`)).toEqual([[0]]);
    await reader.close();
    await withDb(target, async (db) => {
      // 'a' comes back (found among the resolved findings by its fingerprint), 'd' is new.
      expect((await recordScan(db, 'test', scan(3, [...findings, finding('d')]))).counts).toMatchObject({ reopened: 1, persisting: 2, new: 1 });
      expect(await findingHistory(db, 'a')).toMatchObject({ state: 'open', reopened: 1 });
      expect((await db.rows('SELECT COUNT(*), COUNT(DISTINCT fingerprint) FROM findings'))[0]).toEqual([4, 4]);
      // A new finding's first_seen: NULL on PostgreSQL (its first scan's time), written on SQLite; read alike.
      const stored = (await db.rows(`SELECT first_seen FROM findings WHERE fingerprint = 'd'`))[0]![0];
      expect(stored).toBe(db.dialect === 'postgres' ? null : '2026-11-03T00:00:00.000Z');
      expect(await findingHistory(db, 'd')).toMatchObject({
        firstSeen: '2026-11-03T00:00:00.000Z',
        events: [{ scanId: '3', at: '2026-11-03T00:00:00.000Z', kind: 'new', daysOpen: null }],
      });
    });
  });

  it('migrates a version 7 store (PostgreSQL lets state, open_since and reopened be NULL) and reads every finding, scan, diff and trend back unchanged', async () => {
    const target = await newTarget();
    const findings = [
      finding('a'),
      finding('b', { severity: 'high', owner: null }),
      finding('c', { sources: ['git:repo', 'aws'] }),
      finding('u', { sources: ['aws'] }),
    ];
    const partial: SourceInput = { ...CLOUD, status: 'partial', fullyCovered: false };
    const read = async (db: Db) => ({
      histories: await Promise.all([...findings, finding('d')].map((f) => findingHistory(db, f.fingerprint).catch((e: Error) => e.message))),
      scans: await listScans(db),
      diffs: [await diffScans(db, '1', '2'), await diffScans(db, '2', '3')],
      trend: await trendOf(db, { since: '2026-01-01T00:00:00.000Z', by: 'owner', targets: DEFAULT_FIX_TARGETS }),
    });
    const before = await withDb(target, async (db) => {
      await recordScan(db, 'test', scan(1, findings));
      await recordScan(db, 'test', scan(2, findings.slice(1, 3), [REPO, partial])); // a resolved, u unknown
      await recordScan(db, 'test', scan(3, [...findings, finding('d')])); // a reopened, u back, d new
      await undoVersion8(db);
      await db.run(`UPDATE history_meta SET value = '7' WHERE key = 'schema_version'`);
      return read(db);
    });
    const reader = await readsBackMigrated(target, read, before);
    expect(before.histories[0]).toMatchObject({ state: 'open', reopened: 1 });
    await reader.close();
    await withDb(target, async (db) => {
      // A new finding of a migrated store: its state, open_since and reopened NULL on PostgreSQL, written on SQLite; read alike.
      expect((await recordScan(db, 'test', scan(4, [...findings.slice(1), finding('d'), finding('e')]))).counts).toMatchObject({
        new: 1,
        resolved: 1,
        persisting: 4,
      });
      const stored = (await db.rows(`SELECT state, open_since, reopened FROM findings WHERE fingerprint = 'e'`))[0];
      expect(stored).toEqual(db.dialect === 'postgres' ? [null, null, null] : ['open', '2026-11-04T00:00:00.000Z', 0]);
      expect(await findingHistory(db, 'e')).toMatchObject({
        state: 'open',
        reopened: 0,
        firstSeen: '2026-11-04T00:00:00.000Z',
        lastSeen: '2026-11-04T00:00:00.000Z',
      });
      // e: gone (resolved after 2 days open, from its first scan's time), then back (reopened once).
      await recordScan(db, 'test', scan(6, findings.slice(1)));
      expect((await diffScans(db, '4', '5')).removed.map((f) => [f.fingerprint, f.state])).toEqual([
        ['d', 'resolved'],
        ['e', 'resolved'],
      ]);
      expect((await findingHistory(db, 'e')).events.map((e) => [e.kind, e.daysOpen])).toEqual([
        ['new', null],
        ['resolved', 2],
      ]);
      expect((await recordScan(db, 'test', scan(7, [...findings.slice(1), finding('e')]))).counts).toMatchObject({ reopened: 1, persisting: 3 });
      expect(await findingHistory(db, 'e')).toMatchObject({ state: 'open', reopened: 1 });
      expect((await trendOf(db, { since: '2026-01-01T00:00:00.000Z', targets: DEFAULT_FIX_TARGETS })).scans.at(-1)).toMatchObject({ open: 4 });
    });
  });

  it("stores a finding's changed severity, owner, sources and suppression, and reads unchanged facts back as a scan sees them", async () => {
    const target = await newTarget();
    // Values that need escaping somewhere: quotes, a backslash, a comma, braces, non-ASCII, no owner, two sources.
    const odd = [
      finding('plain'),
      finding('no-owner', { owner: null, suppressed: true }),
      finding('quotes', { owner: 'o"wn\\er, {x}', sources: ['git:repo', 'aws'] }),
      finding('unicode', { owner: 'zoë@example.com', sources: ['git:ré"po'] }),
      // What PostgreSQL's COPY text format escapes, and its NULL marker as a value.
      finding('control', { owner: 'tab\tnew\nline\rend\\N', resourceName: '\\N' }),
    ];
    await withDb(target, async (db) => {
      await recordScan(db, 'test', scan(1, odd));
      const storedFacts = async () => {
        const catalog = await FactsCatalog.load(db);
        return new Map((await db.rows(`SELECT fingerprint, facts_id FROM findings`)).map((row) => [row[0], catalog.partsOf(Number(row[1]))]));
      };
      const partsOf = (input: FindingInput): FactsParts => ({
        severity: input.severity,
        category: input.category,
        suppressed: input.suppressed ? 1 : 0,
        sources: JSON.stringify(input.sources),
        owner: input.owner,
      });
      const stored = await storedFacts();
      const names = new Map((await db.rows(`SELECT fingerprint, resource_name FROM findings`)).map((row) => [row[0], row[1]]));
      for (const input of odd) {
        expect(names.get(input.fingerprint), input.fingerprint).toBe(input.resourceName);
        expect(stored.get(input.fingerprint), input.fingerprint).toEqual(partsOf(input));
        // The recorder compares part by part: a difference in any part shows.
        expect(sameFacts(stored.get(input.fingerprint), scanFindings([input]), 0), input.fingerprint).toBe(true);
        const others: Array<Partial<FindingInput>> = [
          { severity: 'info' },
          { category: 'reuse' },
          { suppressed: !input.suppressed },
          { sources: [...input.sources, 'x'] },
          { owner: input.owner === null ? '-' : null },
          { owner: `${input.owner ?? ''}x` },
        ];
        for (const other of others)
          expect(sameFacts(stored.get(input.fingerprint), scanFindings([{ ...input, ...other }]), 0), JSON.stringify(other)).toBe(false);
      }
      const changed = finding('plain', { severity: 'low', owner: 'bob@example.com', sources: ['aws'], suppressed: true });
      expect((await recordScan(db, 'test', scan(2, [changed, ...odd.slice(1)]))).counts).toMatchObject({ persisting: 5, new: 0 });
      expect(await findingHistory(db, 'plain')).toMatchObject({ severity: 'low', owner: 'bob@example.com', sources: ['aws'], state: 'open' });
      expect((await storedFacts()).get('plain')).toEqual(partsOf(changed));
    });
  });

  it('matches the stored findings in whatever order a scan lists them, with or without a line break in a fingerprint', async () => {
    // PostgreSQL reads the open findings as one row, fingerprints joined by line breaks; a fingerprint
    // that holds one is read row by row instead. Either way the order of the scan does not matter.
    for (const names of [
      ['a', 'b', 'c', 'd', 'e'],
      ['a', 'line\nbreak', 'b', 'c\n', 'd'],
    ]) {
      const findings = names.map((name) => finding(name));
      await withDb(await newTarget(), async (db) => {
        await recordScan(db, 'test', scan(1, findings));
        const second = await recordScan(db, 'test', scan(2, [...findings].reverse().concat(finding('b'), finding('new'))));
        expect(second.counts, names.join()).toMatchObject({ persisting: 5, new: 1, resolved: 0, open: 6 });
        const third = await recordScan(db, 'test', scan(3, [findings[3]!, findings[1]!, finding('new'), findings[2]!, findings[4]!]));
        expect(third.counts, names.join()).toMatchObject({ persisting: 5, new: 0, resolved: 1, open: 5 });
        expect(await findingHistory(db, names[1]!)).toMatchObject({ state: 'open' });
        expect(await findingHistory(db, 'a')).toMatchObject({ state: 'resolved' });
        expect((await diffScans(db, '2', '3')).unchanged).toBe(5);
      });
    }
  });

  it('matches more open findings than one read of the store holds, and counts a repeated fingerprint once', async () => {
    const target = await newTarget();
    // The recorder reads SQLite's open findings 1,024 at a time: 8,300 take nine reads.
    const many = Array.from({ length: 8_300 }, (_, i) => finding(`f${i}`));
    await withDb(target, async (db) => {
      expect((await recordScan(db, 'test', scan(1, [...many, finding('f7')]))).counts).toMatchObject({ new: 8_300, open: 8_300 });
      expect((await db.rows('SELECT COUNT(*), COUNT(DISTINCT fingerprint) FROM findings'))[0]).toEqual([8_300, 8_300]);
      // The first and the last gone; one on the second read changes owner; one new.
      const next = [...many.slice(1, -1), finding('f8250', { owner: 'bob@example.com' }), finding('extra')];
      next.splice(8_249, 1);
      const outcome = await recordScan(db, 'test', scan(2, next));
      expect(outcome.counts).toMatchObject({ persisting: 8_298, resolved: 2, new: 1, open: 8_299 });
      expect(await findingHistory(db, 'f8250')).toMatchObject({ owner: 'bob@example.com', state: 'open' });
      expect(await findingHistory(db, 'f8299')).toMatchObject({ state: 'resolved' });
      expect((await diffScans(db, '1', '2')).unchanged).toBe(8_298);
    });
  });

  it("writes new findings' texts as given: non-ASCII, several messages of rows, one row longer than a message, and columns of other types", async () => {
    // On PostgreSQL new findings are laid out in binary COPY by their own loop (src/history/new-rows.ts),
    // 1 MiB messages at a time; a store whose columns have other types gets the generic encoding.
    const long = 'ü'.repeat(600_000); // 1.2 MB in UTF-8: a row larger than a message
    const findings = [
      ...Array.from({ length: 9_000 }, (_, i) => finding(`f${i}`, { resourceName: `${'name '.repeat(30)}${i}` })),
      finding('é€😀', { resourceId: 'id-ü', resourceName: 'name 😀' }),
      finding('f5'), // repeated: written once
      finding('long', { resourceName: long }),
      finding('after-long', { resourceId: '', resourceName: 'x'.repeat(300) }),
    ];
    const expected = findings.filter((_, i) => i !== 9_001).map((f, i) => [i + 1, f.fingerprint, f.resourceId, f.resourceName]);
    for (const otherTypes of [false, true]) {
      await withDb(await newTarget(), async (db) => {
        if (otherTypes) {
          await recordScan(db, 'test', scan(1, [finding('first')]));
          if (db.dialect === 'postgres') await db.run('ALTER TABLE findings ALTER COLUMN facts_id TYPE SMALLINT');
        }
        expect((await recordScan(db, 'test', scan(2, findings))).counts).toMatchObject({ new: findings.length - 1 });
        const rows = await db.rows(`SELECT id, fingerprint, resource_id, resource_name FROM findings WHERE fingerprint <> 'first' ORDER BY id`);
        expect(rows.map((row) => [Number(row[0]) - (otherTypes ? 1 : 0), ...row.slice(1)])).toEqual(expected);
        expect(await findingHistory(db, 'é€😀')).toMatchObject({ resourceId: 'id-ü', state: 'open' });
      });
    }
  });

  it("records every new finding when a plugin rule's resource name is a number, wherever its row falls among the messages", async () => {
    // ~80 bytes a row on PostgreSQL: finding 15,000 is past the first 1 MiB COPY message. A number's
    // missing `length` once emptied its message: rows dropped without an error, and every later COPY refused.
    const findings = Array.from({ length: 20_000 }, (_, i) => finding(`f${i}`, { resourceName: (i === 15_000 ? 12345 : `name ${i}`) as string }));
    await withDb(await newTarget(), async (db) => {
      expect((await recordScan(db, 'test', scan(1, findings))).counts).toMatchObject({ new: 20_000, open: 20_000 });
      expect(await db.rows('SELECT count(*) FROM findings')).toEqual([[20_000]]);
      expect(await findingHistory(db, 'f19999')).toMatchObject({ state: 'open' });
      expect((await recordScan(db, 'test', scan(2, findings))).counts).toMatchObject({ new: 0, persisting: 20_000 });
    });
  });

  it('refuses a new finding without a resource name, and stores nothing of the scan, as both stores do', async () => {
    for (const missing of [undefined, null]) {
      await withDb(await newTarget(), async (db) => {
        const findings = [finding('a'), finding('b', { resourceName: missing as unknown as string })];
        await expect(recordScan(db, 'test', scan(1, findings))).rejects.toThrow(/resource.name/);
        expect((await listScans(db).catch(() => [])).length).toBe(0);
      });
    }
  });

  it('bulk inserts write every column type the store uses, non-ASCII text, NULLs and more than one message of rows', async () => {
    const target = await newTarget();
    await withDb(target, async (db) => {
      // On PostgreSQL: binary COPY for these types, sized by the column (SMALLINT, INTEGER, BIGINT); NUMERIC falls back to text.
      await db.run('CREATE TABLE typed (s SMALLINT, i INTEGER, b BIGINT, d DOUBLE PRECISION, t TEXT, n NUMERIC)');
      const long = 'é€😀 '.repeat(300); // 3,000 rows of ~1.8 KB: several 1 MiB messages
      const rows = Array.from({ length: 3_000 }, (_, k) => [k % 300, k, 2 ** 40 + k, k / 4, k % 2 ? long + k : null]);
      const columns = [
        { name: 's', type: 'int' as const },
        { name: 'i', type: 'int' as const },
        { name: 'b', type: 'int' as const },
        { name: 'd', type: 'float' as const },
        { name: 't', type: 'text' as const },
      ];
      await db.insertMany('typed', columns, rows.values(), [{ name: 'n', type: 'int', value: 7 }]);
      const back = await db.rows('SELECT s, i, b, d, t, n FROM typed ORDER BY i');
      expect(back.length).toBe(3_000);
      expect(back[1]).toEqual([1, 1, 2 ** 40 + 1, 0.25, long + 1, 7]);
      expect(back[2_998]).toEqual([298, 2_998, 2 ** 40 + 2_998, 749.5, null, 7]);
      // Negative integers of every width, and the extremes of a safe integer (written as two 32-bit halves).
      const extremes = [
        [-1, -70_000, -(2 ** 40) - 3, -0.5, 'ascii', 8],
        [-300, -1, Number.MIN_SAFE_INTEGER, 0, '', 8],
        [300, 2 ** 31 - 1, Number.MAX_SAFE_INTEGER, 1e300, 'x'.repeat(300), 8],
      ];
      await db.run('DELETE FROM typed');
      await db.insertMany('typed', columns, extremes.map((row) => row.slice(0, 5)).values(), [{ name: 'n', type: 'int', value: 8 }]);
      expect(await db.rows('SELECT s, i, b, d, t, n FROM typed ORDER BY i')).toEqual([extremes[0], extremes[1], extremes[2]]);
      // Past an INTEGER column's range, PostgreSQL's binary rows refuse the value rather than wrap it (SQLite's INTEGER holds it).
      await db.run('CREATE TABLE narrow (i INTEGER, t TEXT)');
      const tooWide = db.insertMany('narrow', [{ name: 'i', type: 'int' }], [[2 ** 31 + 5]].values(), [{ name: 't', type: 'text', value: 'x' }]);
      if (db.dialect === 'postgres') await expect(tooWide).rejects.toThrow(/cannot write 2147483653/);
      else await tooWide;
      // A table with a column binary COPY does not write here: the text format, the same rows.
      await db.run('CREATE TABLE loose (n NUMERIC, t TEXT)');
      await db.insertMany('loose', [{ name: 'n', type: 'int' }], [[5], [6]].values(), [{ name: 't', type: 'text', value: 'ü\\t' }]);
      expect(await db.rows('SELECT n, t FROM loose ORDER BY n')).toEqual([
        [5, 'ü\\t'],
        [6, 'ü\\t'],
      ]);
    });
  });

  it('bulk inserts keep constants larger than one message, and refuse a row of the wrong length', async () => {
    const target = await newTarget();
    await withDb(target, async (db) => {
      await db.run('CREATE TABLE wide (i INTEGER, a TEXT, b TEXT)');
      const [a, b] = ['a', 'b'].map((c) => c.repeat(700_000)); // 1.4 MB of constants: past one 1 MiB message
      const constants = [
        { name: 'a', type: 'text' as const, value: a },
        { name: 'b', type: 'text' as const, value: b },
      ];
      await db.insertMany('wide', [{ name: 'i', type: 'int' }], [[1], [2]].values(), constants);
      expect(await db.rows('SELECT i, length(a), length(b), substr(a, 1, 1), substr(b, 1, 1) FROM wide ORDER BY i')).toEqual([
        [1, 700_000, 700_000, 'a', 'b'],
        [2, 700_000, 700_000, 'a', 'b'],
      ]);
      await expect(db.insertMany('wide', [{ name: 'i', type: 'int' }], [[3, 'extra']].values(), constants)).rejects.toThrow();
      expect(await db.rows('SELECT COUNT(*) FROM wide')).toEqual([[2]]);
      if (db.dialect !== 'postgres') return;
      // A bad row once a message is sent (the COPY under way): the COPY fails whole, with that row's error, and the connection goes on.
      const rows = [...Array.from({ length: 3 }, (_, i) => [10 + i]), [99, 'extra']];
      await expect(db.insertMany('wide', [{ name: 'i', type: 'int' }], rows.values(), constants)).rejects.toThrow('a row of 2 values for 1 columns');
      expect(await db.rows('SELECT COUNT(*) FROM wide')).toEqual([[2]]);
    });
  });

  it('bulk inserts write constant columns as given: quotes, tabs, backslashes, NULL and numbers', async () => {
    const target = await newTarget();
    await withDb(target, async (db) => {
      await db.run('CREATE TABLE bulk (id INTEGER, name TEXT, a TEXT, b TEXT, c INTEGER)');
      const rows = [
        [1, `it's`],
        [2, 'tab\there\\N'],
      ];
      await db.insertMany(
        'bulk',
        [
          { name: 'id', type: 'int' },
          { name: 'name', type: 'text' },
        ],
        rows.values(),
        [
          { name: 'a', type: 'text', value: `o'clock "x" \\ tab\tline\n` },
          { name: 'b', type: 'text', value: null },
          { name: 'c', type: 'int', value: 42 },
        ],
      );
      expect(await db.rows('SELECT id, name, a, b, c FROM bulk ORDER BY id')).toEqual([
        [1, `it's`, `o'clock "x" \\ tab\tline\n`, null, 42],
        [2, 'tab\there\\N', `o'clock "x" \\ tab\tline\n`, null, 42],
      ]);
    });
  });

  it('a failed recording leaves nothing behind (one transaction)', async () => {
    const target = await newTarget();
    await withDb(target, async (db) => {
      await recordScan(db, 'test', scan(1, [finding('a')]));
      // The second scan's inventory breaks a constraint after its findings were planned: nothing of it may stay.
      const broken = scan(2, [finding('a'), finding('b')]);
      broken.inventory = [broken.inventory[0]!, broken.inventory[0]!];
      await expect(recordScan(db, 'test', broken)).rejects.toThrow();
      expect((await listScans(db)).length).toBe(1);
      expect((await recordScan(db, 'test', scan(3, [finding('a'), finding('b')]))).counts).toMatchObject({ new: 1, persisting: 1 });
    });
  });
});

describe('history statistics', () => {
  it("a store's first recording counts its new findings by facts set, with the same figures and groups in the same order as one by one", () => {
    // Sets that come back later in the list, suppressed ones, no owner, several severities, a repeated fingerprint.
    const list = Array.from({ length: 300 }, (_, i) =>
      finding(`f${i}`, {
        severity: (['critical', 'high', 'low'] as const)[i % 3],
        ruleId: `rule-${i % 7}`,
        owner: i % 5 ? `team-${i % 4}@example.com` : null,
        suppressed: i % 11 === 0,
        sources: i % 13 ? ['git:repo'] : ['aws', 'git:repo'],
      }),
    );
    const input = scanFindings([...list, finding('f3')]);
    const present = new PresentMatcher('2026-11-01T00:00:00.000Z', input).assignNewIds(1);
    const catalog = new FactsCatalog();
    catalog.idsOfNew(present);
    const transitions = { present, gone: [] };
    const bySet = scanStatsOf('2026-11-01T00:00:00.000Z', transitions, 0, catalog.partsById);
    // Without the facts by id, every finding is counted one by one.
    const oneByOne = scanStatsOf('2026-11-01T00:00:00.000Z', transitions, 0, []);
    expect(JSON.stringify(bySet)).toBe(JSON.stringify(oneByOne));
    expect(bySet.counts).toMatchObject({ open: 272, new: 272 });
    expect(Object.keys(bySet.stats.by.owner)).toEqual(['team-1@example.com', 'team-2@example.com', 'team-3@example.com', 'team-0@example.com', '(no owner)']);
  });
});

describe('history matching', () => {
  it("finds a first recording's repeated fingerprints as the map does, also when the fingerprints' ends are alike", () => {
    const at = '2026-11-01T00:00:00.000Z';
    const cases = [
      { fingerprints: Array.from({ length: 2_000 }, (_, i) => `f${i % 1_500}`), repeats: 500 },
      // Every end the same: the table gives up and the map is used.
      { fingerprints: Array.from({ length: 600 }, (_, i) => `${i % 500}-same-end`), repeats: 100 },
    ];
    for (const { fingerprints, repeats } of cases) {
      const input = scanFindings(fingerprints.map((fingerprint) => finding(fingerprint)));
      const first = new PresentMatcher(at, input, false).present;
      const byMap = new PresentMatcher(at, input, true).present;
      expect(first.duplicates).toBe(repeats);
      expect(byMap.duplicates).toBe(repeats);
      expect([...first.kind]).toEqual([...byMap.kind]);
    }
  });
});

describe('history store on PostgreSQL, concurrency', () => {
  const many = (prefix: string) => Array.from({ length: 1_200 }, (_, i) => finding(`${prefix}${i}`));

  it('a large first recording lands at once though a reader holds the table (it changes no schema)', async () => {
    const target: HistoryTarget = { kind: 'postgres', url: await postgres.createDatabase('held') };
    const [writer, reader] = [await openDb(target), await openDb(target)];
    try {
      await recordScan(writer, 'test', scan(1, [])); // the store exists, still without findings
      await reader.run('BEGIN');
      await reader.rows('SELECT COUNT(*) FROM findings'); // a session idle in its transaction: a lock any ALTER TABLE would wait for
      // Once, a first recording dropped the fingerprint index around its load: that waited out the 60 s write wait, and failed.
      expect((await recordScan(writer, 'test', scan(2, many('h')))).counts).toMatchObject({ new: 1_200 });
      await reader.run('ROLLBACK');
      expect((await writer.rows('SELECT COUNT(*), COUNT(DISTINCT fingerprint) FROM findings'))[0]).toEqual([1_200, 1_200]);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('two scans recording at once both land on a server whose default isolation is repeatable read', async () => {
    const url = await postgres.createDatabase('repeatable');
    const admin = await openDb({ kind: 'postgres', url });
    await admin.run(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET default_transaction_isolation = 'repeatable read'`);
    await admin.close();
    const [one, two] = [await openDb({ kind: 'postgres', url }), await openDb({ kind: 'postgres', url })];
    try {
      const outcomes = await Promise.all([recordScan(one, 'test', scan(1, [finding('a')])), recordScan(two, 'test', scan(1, [finding('a'), finding('b')]))]);
      expect(outcomes.map((o) => o.scanId).sort()).toEqual([1, 2]);
      expect((await one.rows('SELECT COUNT(*) FROM findings'))[0]).toEqual([2]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('records on a database whose standard_conforming_strings is off (a backslash in a literal is an escape there)', async () => {
    const url = await postgres.createDatabase('legacy_strings');
    const admin = await openDb({ kind: 'postgres', url });
    await admin.run(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET standard_conforming_strings = off`);
    await admin.close();
    const db = await openDb({ kind: 'postgres', url });
    try {
      expect((await db.rows('SHOW standard_conforming_strings'))[0]).toEqual(['off']);
      expect((await recordScan(db, 'test', scan(1, [finding('a'), finding('b')]))).counts).toMatchObject({ new: 2 });
      expect((await recordScan(db, 'test', scan(2, [finding('a'), finding('b')]))).counts).toMatchObject({ new: 0, persisting: 2 });
    } finally {
      await db.close();
    }
  });

  it('a role that may write the tables but does not own them records a large first recording', async () => {
    const url = await postgres.createDatabase('granted');
    const owner = await openDb({ kind: 'postgres', url });
    const role = `writer_${process.pid}`;
    try {
      await recordScan(owner, 'test', scan(1, []));
      await owner.run(`CREATE ROLE ${role} LOGIN`);
      await owner.run(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
      await owner.run(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    } finally {
      await owner.close();
    }
    const asWriter = new URL(url);
    asWriter.username = role;
    const writer = await openDb({ kind: 'postgres', url: asWriter.href });
    try {
      expect((await recordScan(writer, 'test', scan(2, many('g')))).counts).toMatchObject({ new: 1_200 });
      expect((await writer.rows('SELECT COUNT(DISTINCT fingerprint) FROM findings'))[0]).toEqual([1_200]);
    } finally {
      await writer.close();
    }
  });

  it('a store that needs a migration tells a role that does not own its tables to upgrade it once as their owner', async () => {
    const url = await postgres.createDatabase('granted_older');
    const owner = await openDb({ kind: 'postgres', url });
    const role = `reader_${process.pid}`;
    try {
      await recordScan(owner, 'test', scan(1, [finding('a')]));
      await undoVersion8(owner);
      await owner.run(`UPDATE history_meta SET value = '7' WHERE key = 'schema_version'`);
      await owner.run(`CREATE ROLE ${role} LOGIN`);
      await owner.run(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    } finally {
      await owner.close();
    }
    const asRole = new URL(url);
    asRole.username = role;
    asRole.password = 'not-a-real-password';
    const target: HistoryTarget = { kind: 'postgres', url: asRole.href };
    const hint = /schema version 7 and this nhiscan needs \d+; .*only their owner may do: run `nhiscan history --history <store>` once/;
    const writer = await openDb(target);
    try {
      const refused = await recordScan(writer, 'test', scan(2, [finding('a')])).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(refused).toBeInstanceOf(HistoryError);
      expect(refused?.message).toMatch(hint);
      expect(refused?.message).not.toContain('not-a-real-password');
    } finally {
      await writer.close();
    }
    await expect(openForRead(target)).rejects.toThrow(hint);
    await (await openForRead({ kind: 'postgres', url })).close(); // the owner upgrades it ...
    const upgraded = await openDb(target); // ... and the role records again
    try {
      expect((await recordScan(upgraded, 'test', scan(2, [finding('a'), finding('b')]))).counts).toMatchObject({ new: 1, persisting: 1 });
    } finally {
      await upgraded.close();
    }
  });

  it('two scans recording at once both land, one after the other', async () => {
    const target: HistoryTarget = { kind: 'postgres', url: await postgres.createDatabase('concurrent') };
    const [one, two] = [await openDb(target), await openDb(target)];
    // Enough findings for a bulk load.
    const many = Array.from({ length: 1_200 }, (_, i) => finding(`m${i}`));
    try {
      const outcomes = await Promise.all([
        recordScan(one, 'test', scan(1, [finding('a'), finding('b'), ...many])),
        recordScan(two, 'test', scan(1, [finding('a'), finding('c'), ...many])),
      ]);
      expect(outcomes.map((o) => o.scanId).sort()).toEqual([1, 2]);
      // The second saw the first: 'a' persisted rather than being new twice.
      const second = outcomes.find((o) => o.scanId === 2)!;
      expect(second.counts).toMatchObject({ persisting: 1_201, new: 1, resolved: 1 });
      expect((await listScans(one)).length).toBe(2);
      expect((await one.rows('SELECT COUNT(*), COUNT(DISTINCT fingerprint) FROM findings'))[0]).toEqual([1_203, 1_203]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

describe('history store on SQLite, read commands', () => {
  it('read an older store that is read-only (a file 0444 in a directory 0555) through a migrated copy, and leave the store as it was', async () => {
    const dir = tempDir();
    const path = join(dir, 'artifact.sqlite');
    const target: HistoryTarget = { kind: 'sqlite', path };
    const findings = [finding('a'), finding('b', { severity: 'high', owner: null }), finding('c', { sources: ['git:repo', 'aws'] })];
    const db = await openDb(target);
    let before: unknown[];
    try {
      await recordScan(db, 'test', scan(1, findings));
      await recordScan(db, 'test', scan(2, findings.slice(1))); // a resolved
      before = [
        await Promise.all(findings.map((f) => findingHistory(db, f.fingerprint))),
        await listScans(db),
        await diffScans(db, '1', '2'),
        await trendOf(db, { since: '2026-01-01T00:00:00.000Z', targets: DEFAULT_FIX_TARGETS }),
      ];
      // Back to what schema 4 wrote, as an older nhiscan would have left it.
      await undoVersion5(db);
      await db.run(`UPDATE history_meta SET value = '4' WHERE key = 'schema_version'`);
    } finally {
      await db.close();
    }
    const bytes = readFileSync(path);
    chmodSync(path, 0o444);
    chmodSync(dir, 0o555);
    const temporary = useTemporaryDir();
    try {
      const reader = await openForRead(target);
      try {
        expect(readdirSync(temporary.dir)).toHaveLength(1); // the migrated copy, on disk
        expect(await schemaVersion(reader)).toBe(SCHEMA_VERSION);
        expect([
          await Promise.all(findings.map((f) => findingHistory(reader, f.fingerprint))),
          await listScans(reader),
          await diffScans(reader, '1', '2'),
          await trendOf(reader, { since: '2026-01-01T00:00:00.000Z', targets: DEFAULT_FIX_TARGETS }),
        ]).toEqual(before);
      } finally {
        await reader.close();
      }
      expect(readdirSync(temporary.dir)).toEqual([]); // the copy removed
      // Not migrated: the same bytes, nothing beside it, still version 4.
      expect(readFileSync(path).equals(bytes)).toBe(true);
      expect(readdirSync(dir)).toEqual(['artifact.sqlite']);
      const raw = await openDb(target, { mustExist: true, readOnly: true });
      try {
        expect(await schemaVersion(raw)).toBe(4);
      } finally {
        await raw.close();
      }
    } finally {
      temporary.restore();
      chmodSync(dir, 0o755);
      chmodSync(path, 0o644);
    }
  });

  /** A store of two scans, closed, and what the read commands give of it. */
  async function closedStore(): Promise<{ dir: string; path: string; target: HistoryTarget; read: (db: Db) => Promise<unknown[]>; before: unknown[] }> {
    const dir = tempDir();
    const path = join(dir, 'store.sqlite');
    const target: HistoryTarget = { kind: 'sqlite', path };
    const findings = [finding('a'), finding('b', { severity: 'high' })];
    const read = async (db: Db) => [
      await findingHistory(db, 'a'),
      await listScans(db),
      await diffScans(db, '1', '2'),
      await trendOf(db, { since: '2026-01-01T00:00:00.000Z', targets: DEFAULT_FIX_TARGETS }),
    ];
    const db = await openDb(target);
    let before: unknown[];
    try {
      await recordScan(db, 'test', scan(1, findings));
      await recordScan(db, 'test', scan(2, findings.slice(1)));
      before = await read(db);
    } finally {
      await db.close();
    }
    return { dir, path, target, read, before };
  }

  it('read a store of the current schema where it is: no copy made, the store unchanged, nothing left beside it', async () => {
    const { dir, path, target, read, before } = await closedStore();
    const bytes = readFileSync(path);
    const temporary = useTemporaryDir();
    try {
      const reader = await openForRead(target);
      try {
        expect(readdirSync(temporary.dir)).toEqual([]);
        // SQLite's shared-memory index beside the store: the reader has it open on disk, not a copy in memory.
        expect(readdirSync(dir)).toContain('store.sqlite-shm');
        expect(await read(reader)).toEqual(before);
      } finally {
        await reader.close();
      }
      expect(readFileSync(path).equals(bytes)).toBe(true);
      expect(readdirSync(dir)).toEqual(['store.sqlite']);
      // Past 2 GiB (sparse: SQLite reads by the size in its header), which no read of the whole file into memory could take.
      truncateSync(path, 2300 * 1024 * 1024);
      const large = await openForRead(target);
      try {
        expect(await read(large)).toEqual(before);
      } finally {
        await large.close();
      }
      expect(readdirSync(temporary.dir)).toEqual([]);
    } finally {
      temporary.restore();
    }
  });

  it('read a store in a directory it cannot be opened in, with an empty -wal a killed writer left, through a copy; a -wal holding data is named, not called corrupt', async (ctx) => {
    const { dir, path, target, read, before } = await closedStore();
    writeFileSync(`${path}-wal`, '');
    const unwritable = makeUnwritable(dir);
    const temporary = useTemporaryDir();
    try {
      if (!unwritable.applied) ctx.skip(); // neither the mode bits nor chattr +i stop this user writing there
      const reader = await openForRead(target);
      try {
        expect(readdirSync(temporary.dir)).toHaveLength(1);
        expect(await read(reader)).toEqual(before);
      } finally {
        await reader.close();
      }
      expect(readdirSync(temporary.dir)).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(['store.sqlite', 'store.sqlite-wal']);
      unwritable.restore();
      writeFileSync(`${path}-wal`, Buffer.alloc(4096, 1));
      makeUnwritable(dir);
      await expect(openForRead(target)).rejects.toThrow(
        /has a write-ahead log .*store\.sqlite-wal\) that cannot be read where it is.*copy the store with its -wal/,
      );
      expect(readdirSync(temporary.dir)).toEqual([]);
    } finally {
      temporary.restore();
      unwritable.restore();
    }
  });
});

/** Points os.tmpdir() at a fresh directory, to see what the read commands copy there. */
function useTemporaryDir(): { dir: string; restore: () => void } {
  const saved = process.env.TMPDIR;
  const dir = tempDir();
  process.env.TMPDIR = dir;
  return {
    dir,
    restore: () => {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    },
  };
}

/**
 * Makes a directory one no file can be created in: its write bits off, and for root (which ignores
 * them) the immutable attribute. `applied` is false where a probe file could still be created there.
 */
function makeUnwritable(dir: string): { applied: boolean; restore: () => void } {
  chmodSync(dir, 0o555);
  const root = process.getuid?.() === 0;
  if (root) {
    try {
      execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
    } catch {
      // No chattr or no support on this file system: the probe below tells.
    }
  }
  const restore = () => {
    if (root) {
      try {
        execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
      } catch {
        // Never set.
      }
    }
    chmodSync(dir, 0o755);
  };
  const probe = join(dir, '.probe');
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
    return { applied: false, restore };
  } catch {
    return { applied: true, restore };
  }
}
