/**
 * The history store's schema, as numbered migrations that run in order, once, inside the writer's
 * exclusive transaction (src/history/db.ts), so two scans opening an old store at once migrate it once.
 * SQLite and PostgreSQL get the same tables; only the binary type differs.
 *
 * Never edit a migration that has shipped: add the next one. A store whose version is higher than
 * the last one here was written by a newer nhiscan, and is refused rather than guessed at.
 */
import { HistoryError, type Db } from './db.js';

type Migration = (db: Db) => string;

/** The columns of finding_facts (migration 5), moved there from findings. */
const FACT_COLUMNS = 'rule_id, category, severity, provider, resource_kind, owner, sources, suppressed';

// The three texts below are tables as the migration that created them wrote them, which no later
// migration has changed, shared by that migration and freshSchema. A migration that changes one must
// leave its text as it is (the migration that created it still runs it) and give freshSchema the new form.

/** history_meta, scans, scan_sources and scan_inventory, as migration 1 created them. */
const scanTables = (db: Db) => `
    CREATE TABLE history_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE scans (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      tool_version TEXT NOT NULL,
      rules_hash TEXT NOT NULL,
      open_count INTEGER NOT NULL,
      new_count INTEGER NOT NULL,
      resolved_count INTEGER NOT NULL,
      reopened_count INTEGER NOT NULL,
      unknown_count INTEGER NOT NULL,
      persisting_count INTEGER NOT NULL,
      stats TEXT NOT NULL,
      members ${db.blobType} NOT NULL
    );
    CREATE TABLE scan_sources (
      scan_id INTEGER NOT NULL REFERENCES scans(id),
      spec TEXT NOT NULL,
      status TEXT NOT NULL,
      fully_covered INTEGER NOT NULL,
      not_covered TEXT NOT NULL,
      PRIMARY KEY (scan_id, spec)
    );
    CREATE TABLE scan_inventory (
      scan_id INTEGER NOT NULL REFERENCES scans(id),
      provider TEXT NOT NULL,
      kind TEXT NOT NULL,
      owner_state TEXT NOT NULL,
      count INTEGER NOT NULL,
      PRIMARY KEY (scan_id, provider, kind, owner_state)
    );`;
/** finding_events and its index, as migration 1 created them. */
const EVENT_TABLE = `
    CREATE TABLE finding_events (
      scan_id INTEGER NOT NULL REFERENCES scans(id),
      finding_id INTEGER NOT NULL REFERENCES findings(id),
      kind TEXT NOT NULL,
      days_open DOUBLE PRECISION,
      PRIMARY KEY (scan_id, finding_id)
    );
    CREATE INDEX finding_events_kind ON finding_events (kind, scan_id);`;
/** finding_facts, as migration 5 created it. */
const FACTS_TABLE = `
    CREATE TABLE finding_facts (
      id INTEGER PRIMARY KEY,
      rule_id TEXT NOT NULL,
      category TEXT NOT NULL,
      severity TEXT NOT NULL,
      provider TEXT NOT NULL,
      resource_kind TEXT NOT NULL,
      owner TEXT,
      sources TEXT NOT NULL,
      suppressed INTEGER NOT NULL
    );`;

export const MIGRATIONS: readonly Migration[] = [
  // 1: scans, what each saw, and the state of every finding ever seen.
  (db) => `
    ${scanTables(db)}
    CREATE TABLE findings (
      id INTEGER PRIMARY KEY,
      fingerprint TEXT NOT NULL UNIQUE,
      rule_id TEXT NOT NULL,
      category TEXT NOT NULL,
      severity TEXT NOT NULL,
      provider TEXT NOT NULL,
      resource_kind TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      resource_name TEXT NOT NULL,
      owner TEXT,
      sources TEXT NOT NULL,
      suppressed INTEGER NOT NULL,
      state TEXT NOT NULL,
      first_seen TEXT NOT NULL,
      last_seen TEXT,
      open_since TEXT NOT NULL,
      resolved_at TEXT,
      reopened INTEGER NOT NULL,
      last_reopened_at TEXT
    );
    ${EVENT_TABLE}`,
  // 2: the recorder reads the open and unknown findings of the last scan on every scan.
  () => `CREATE INDEX findings_state ON findings (state);`,
  // 3: that read is `state <> 'resolved'`, which no index serves; the index only cost every insert and state change.
  () => `DROP INDEX findings_state;`,
  // 4: the scan that first saw a finding, kept on its row: a 'new' event per finding (every finding of a
  // store's first scan) cost as much to write as the finding itself. Older findings keep their 'new' event.
  () => `ALTER TABLE findings ADD COLUMN first_scan_id INTEGER;`,
  // 5: what findings share (rule, category, severity, provider, resource kind, owner, sources, suppression)
  // in a row of its own that each finding points to: a finding's row is half as wide, so a first
  // recording (every finding new) writes half the bytes, and a daily one compares one number per row.
  (db) => `
    ${FACTS_TABLE}
    INSERT INTO finding_facts (id, ${FACT_COLUMNS})
      SELECT ROW_NUMBER() OVER (ORDER BY ${FACT_COLUMNS}), ${FACT_COLUMNS} FROM (SELECT DISTINCT ${FACT_COLUMNS} FROM findings) AS distinct_facts;
    CREATE INDEX finding_facts_all ON finding_facts (${FACT_COLUMNS});
    ALTER TABLE findings ADD COLUMN facts_id INTEGER;
    UPDATE findings SET facts_id = (SELECT ff.id FROM finding_facts ff WHERE ${FACT_COLUMNS.split(', ')
      .map((c) => `ff.${c} ${c === 'owner' ? (db.dialect === 'postgres' ? 'IS NOT DISTINCT FROM' : 'IS') : '='} findings.${c}`)
      .join(' AND ')});
    DROP INDEX finding_facts_all;
    ${FACT_COLUMNS.split(', ')
      .map((c) => `ALTER TABLE findings DROP COLUMN ${c};`)
      .join('\n    ')}`,
  // 6: PostgreSQL drops the unique fingerprint index. The recorder matches fingerprints in memory and
  // writers take turns (an advisory lock), so the index only served two lookups of a few rows (the
  // resolved findings a scan sees again, one finding's history), which a scan of the table answers;
  // building it was a third of the server's CPU for a store's first recording (every finding new), and
  // each row inserted later paid for it. SQLite keeps it: a column's UNIQUE cannot be dropped there
  // without copying the table.
  (db) => (db.dialect === 'postgres' ? 'ALTER TABLE findings DROP CONSTRAINT IF EXISTS findings_fingerprint_key;' : 'SELECT 1;'),
  // 7: PostgreSQL's first_seen may be NULL: "when its first scan ran" (first_scan_id's time), which a new
  // finding then does not repeat. Every new finding of a scan carried that same 24-character time;
  // without it a row is an eighth narrower, and a first recording's server CPU falls with it. SQLite keeps
  // NOT NULL (a column's constraint cannot be changed there without copying the table) and the time.
  (db) => (db.dialect === 'postgres' ? 'ALTER TABLE findings ALTER COLUMN first_seen DROP NOT NULL;' : 'SELECT 1;'),
  // 8: PostgreSQL's state, open_since and reopened may be NULL too: a new finding's row leaves them so,
  // "open since its first scan (first_scan_id), never reopened", until a scan changes its state (every
  // reader reads them through COALESCE). They were the same in every new finding of a scan (37 of a
  // row's ~150 bytes): a store's first recording encoded, sent and stored them 50,000 times. SQLite
  // keeps NOT NULL (changing a column's constraint there copies the table) and writes them.
  (db) =>
    db.dialect === 'postgres'
      ? 'ALTER TABLE findings ALTER COLUMN state DROP NOT NULL, ALTER COLUMN open_since DROP NOT NULL, ALTER COLUMN reopened DROP NOT NULL;'
      : 'SELECT 1;',
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** A finding's (`f`) state, open when NULL (PostgreSQL, migration 8). */
export const STATE_SQL = `COALESCE(f.state, 'open')`;
/** A finding's (`f`) open_since: its first scan's time when NULL (PostgreSQL, migration 8). */
export const OPEN_SINCE_SQL = `COALESCE(f.open_since, (SELECT s.at FROM scans s WHERE s.id = f.first_scan_id))`;
/** How many times a finding (`f`) was reopened: never when NULL (PostgreSQL, migration 8). */
export const REOPENED_SQL = `COALESCE(f.reopened, 0)`;

/**
 * The schema at SCHEMA_VERSION, created at once in an empty store, rather than migration after
 * migration: those create and drop eight columns, an index and a constraint, which cost the server a
 * store's first recording 20 to 30 ms of CPU and left every row of PostgreSQL's findings with eight
 * dropped columns to skip. It must equal what the migrations give (a test compares them on both
 * databases), but for one form: SQLite's unique fingerprint index is a named index here, not the
 * column's UNIQUE of migration 1, so that a first recording can build it after its rows
 * (src/history/record.ts). Change it with each new migration.
 */
export function freshSchema(db: Db): string {
  const { tables, afterLoad } = freshSchemaParts(db, false);
  return `${tables}${afterLoad}`;
}

/**
 * freshSchema in two parts: the tables, then what is left to run after a first recording has loaded
 * its findings. With `keyAfterLoad` (PostgreSQL), findings' primary key and the table that references
 * it (finding_events) are that second part: the server builds the key from the loaded rows in one
 * sort instead of inserting 50,000 keys one by one (each with its own WAL record), ~25 ms less of its
 * CPU for a store's first recording. The schema at the end is the same (a test checks it).
 */
function freshSchemaParts(db: Db, keyAfterLoad: boolean): { tables: string; afterLoad: string } {
  const sqlite = db.dialect === 'sqlite';
  const tables = `
    ${scanTables(db)}
    CREATE TABLE findings (
      id INTEGER ${keyAfterLoad ? 'NOT NULL' : 'PRIMARY KEY'},
      fingerprint TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      resource_name TEXT NOT NULL,
      state TEXT${sqlite ? ' NOT NULL' : ''},
      first_seen TEXT${sqlite ? ' NOT NULL' : ''},
      last_seen TEXT,
      open_since TEXT${sqlite ? ' NOT NULL' : ''},
      resolved_at TEXT,
      reopened INTEGER${sqlite ? ' NOT NULL' : ''},
      last_reopened_at TEXT,
      first_scan_id INTEGER,
      facts_id INTEGER
    );
    ${sqlite ? `${SQLITE_FINGERPRINT_INDEX_SQL};` : ''}
    ${FACTS_TABLE}
    INSERT INTO history_meta (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}');`;
  // One process sorts the keys: parallel workers for a build this small cost more to start than they save.
  const key = `
    SET LOCAL max_parallel_maintenance_workers = 0;
    ALTER TABLE findings ADD PRIMARY KEY (id);`;
  return { tables, afterLoad: `${keyAfterLoad ? key : ''}${EVENT_TABLE}` };
}

/** SQLite's unique fingerprint index in a store created by freshSchema (migration 1's is the column's own, unnamed). */
export const SQLITE_FINGERPRINT_INDEX = 'findings_fingerprint';
export const SQLITE_FINGERPRINT_INDEX_SQL = `CREATE UNIQUE INDEX ${SQLITE_FINGERPRINT_INDEX} ON findings (fingerprint)`;

/** The store's schema version; 0 for an empty database. */
export async function schemaVersion(db: Db): Promise<number> {
  if (!(await db.tableExists('history_meta'))) return 0;
  const rows = await db.query<{ value: string }>(`SELECT value FROM history_meta WHERE key = 'schema_version'`);
  const version = Number(rows[0]?.value);
  if (!Number.isInteger(version) || version < 1)
    throw new HistoryError('the history store has a history_meta table without a schema version: it is not an nhiscan history store');
  return version;
}

/** Refuses a store written by a newer nhiscan. */
export function checkNotNewer(version: number, store: string): void {
  if (version > SCHEMA_VERSION)
    throw new HistoryError(
      `the history store ${store} has schema version ${version}, newer than this nhiscan understands (${SCHEMA_VERSION}): upgrade nhiscan to read or write it`,
    );
}

/**
 * Brings the store up to `upTo` (default: the latest). Call inside `db.exclusive`; the version is read
 * again there, so a concurrent writer that migrated first leaves nothing to do.
 */
export async function migrate(db: Db, store: string, upTo = SCHEMA_VERSION): Promise<number> {
  const from = await schemaVersion(db);
  checkNotNewer(from, store);
  if (from === 0 && upTo === SCHEMA_VERSION) {
    await db.run(freshSchema(db));
    return SCHEMA_VERSION;
  }
  return migrateFrom(db, from, upTo, store);
}

/**
 * migrate for a recording, in the writer's transaction. An empty store is created without what
 * freshSchemaParts leaves until after the load (on PostgreSQL, findings' primary key): the DDL
 * returned, which the recorder runs once its new findings are in, before any event row; undefined
 * for a store that was not empty.
 */
export async function migrateToRecord(db: Db, store: string): Promise<string | undefined> {
  const from = await schemaVersion(db);
  checkNotNewer(from, store);
  if (from) {
    await migrateFrom(db, from, SCHEMA_VERSION, store);
    return undefined;
  }
  const { tables, afterLoad } = freshSchemaParts(db, db.dialect === 'postgres');
  await db.run(tables);
  return afterLoad;
}

async function migrateFrom(db: Db, from: number, upTo: number, store: string): Promise<number> {
  for (let version = from + 1; version <= upTo; version++) {
    await db.run(MIGRATIONS[version - 1]!(db)).catch((error: unknown) => {
      throw notOwnerHint(error, store, from, upTo);
    });
    if (version === 1) await db.run(`INSERT INTO history_meta (key, value) VALUES ('schema_version', ?)`, ['1']);
    else await db.run(`UPDATE history_meta SET value = ? WHERE key = 'schema_version'`, [String(version)]);
  }
  return Math.max(from, upTo);
}

/** PostgreSQL's "insufficient privilege": a role that may read and write the tables but not alter them. */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * A migration alters tables, which PostgreSQL allows only their owner. A team often records with a role
 * that may only read and write them: tell it what to do rather than pass the server's bare "must be owner".
 */
function notOwnerHint(error: unknown, store: string, from: number, upTo: number): unknown {
  if ((error as { code?: unknown }).code !== INSUFFICIENT_PRIVILEGE) return error;
  return new HistoryError(
    `the history store ${store} has schema version ${from} and this nhiscan needs ${upTo}; upgrading it alters its tables, which only their owner may do: run \`nhiscan history --history <store>\` once as the role that owns them (${(error as Error).message})`,
  );
}
