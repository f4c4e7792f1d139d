/**
 * The two databases a history store can live in, behind one small async interface: SQLite through
 * better-sqlite3 (the embedded default) and PostgreSQL through pg (a team's shared store). The store
 * writes one SQL for both: `?` placeholders (numbered for PostgreSQL here), TEXT/INTEGER/DOUBLE
 * PRECISION columns, and the one type that differs (binary) named by `blobType`.
 *
 * Writers serialise on one exclusive transaction: `BEGIN IMMEDIATE` on SQLite (a second writer waits
 * on the busy timeout), a transaction-scoped advisory lock on PostgreSQL. So two scans recording at
 * once both land, one after the other, and each sees the other's state.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection, Submittable } from 'pg';
import type { HistoryTarget } from './target.js';
import { describeTarget } from './target.js';
import { redactText } from '../redact.js';
import { UserError } from '../user-error.js';
import { binaryCopyMessages, binaryEncoder, type BinaryEncoder, type CopyMessages } from './copy-binary.js';

export type Row = Record<string, unknown>;

/** A column's type for a bulk insert: PostgreSQL needs it to unpack the column's array. */
export type ColumnType = 'int' | 'text' | 'float';

export interface Column {
  name: string;
  type: ColumnType;
}

/** A column that has the same value in every row of a bulk insert. */
export interface Constant extends Column {
  value: string | number | null;
}

/**
 * Rows that can also lay themselves out in binary COPY (PostgreSQL), given the server's types of the
 * insert's columns then the constants' values; undefined when those types are not the ones they write
 * (the generic encoding of the rows is used then).
 */
export interface BinaryRows extends Iterable<readonly unknown[]> {
  binaryMessages(encoders: readonly BinaryEncoder[], constants: readonly unknown[]): CopyMessages | undefined;
}

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  /** `BLOB` or `BYTEA`. */
  readonly blobType: string;
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Rows as arrays in the selected columns' order: no object per row, for reads of every open finding. */
  rows(sql: string, params?: unknown[]): Promise<unknown[][]>;
  /**
   * Inserts many rows in one go: one prepared statement on SQLite, COPY on PostgreSQL. Each row is
   * read before the next is asked for, so a generator may hand over the same array every time.
   * `constants` are columns whose value is the same in every row: written into the statement (SQLite)
   * or each line (COPY) once, rather than bound or formatted per row. BinaryRows lay themselves out.
   */
  insertMany(table: string, columns: readonly Column[], rows: Iterable<readonly unknown[]>, constants?: readonly Constant[]): Promise<void>;
  /** `column IN (values)` in as few statements as the dialect needs (one on PostgreSQL: `= ANY(array)`). */
  inClauses(column: string, type: ColumnType, values: readonly unknown[]): Array<{ sql: string; params: unknown[] }>;
  run(sql: string, params?: unknown[]): Promise<void>;
  tableExists(name: string): Promise<boolean>;
  /** Runs `fn` in one transaction that no other writer of the store runs alongside; rolls back on any error. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * SQLite only: the store copied (SQLite's backup: consistent under a writer) into a temporary file,
   * this handle closed; the copy is removed on closing it. The read commands migrate an older store's
   * copy, never the store (which may be read-only: a CI artifact).
   */
  copyToTemporary?(): Promise<Db>;
  close(): Promise<void>;
}

/** A history store that cannot be opened, read or written; the message names the store and never holds a password. */
export class HistoryError extends UserError {
  constructor(message: string) {
    super(redactText(message));
    this.name = 'HistoryError';
  }
}

/** How long a writer waits for another one before giving up (a daily scan's recording takes seconds). */
const WRITE_WAIT_MS = 60_000;
/** pg_advisory_xact_lock key: the bytes of "nhiscan" as a number. */
const ADVISORY_LOCK_KEY = '30801124396982126';

export interface OpenOptions {
  /** Read commands (`history`, `trend`, `diff`) never create a store: a wrong path is an error, not an empty history. */
  mustExist?: boolean;
  /** Read commands: SQLite is opened read-only and never written, so a read-only file reads. */
  readOnly?: boolean;
}

export async function openDb(target: HistoryTarget, options: OpenOptions = {}): Promise<Db> {
  try {
    return target.kind === 'sqlite' ? await openSqlite(target.path, options) : await openPostgres(target.url);
  } catch (error) {
    if (error instanceof HistoryError) throw error;
    throw new HistoryError(`cannot open the history store ${describeTarget(target)}: ${(error as Error).message}`);
  }
}

async function openSqlite(path: string, options: OpenOptions): Promise<Db> {
  const { mkdirSync } = await import('node:fs');
  if (!existsSync(path)) {
    if (options.mustExist) throw new HistoryError(`no history store at ${path} (scan with --history ${path} first)`);
    mkdirSync(dirname(path), { recursive: true });
  }
  const { default: Database } = await import('better-sqlite3');
  if (options.readOnly) return openSqliteReadOnly(Database, path);
  const db = new Database(path, { timeout: WRITE_WAIT_MS });
  configureSqlite(db, path);
  return sqliteDb(db, path);
}

type SqliteDatabase = typeof import('better-sqlite3');

function notReadableSqlite(path: string, error: unknown): HistoryError {
  return new HistoryError(
    `the history store ${path} is not a readable SQLite database (${(error as Error).message}); it was left untouched: restore a backup, or move it away to start a new history`,
  );
}

/**
 * A store opened for reading only, on disk where it is: SQLite reads only the pages a query needs. The
 * handle never writes (query_only); opened read-write, it removes the WAL and shared-memory files it
 * made beside the store on closing (a read-only handle would leave them). A store that cannot be opened
 * where it is (a read-only file or directory: a CI artifact) is read from a copy in a temporary file.
 */
async function openSqliteReadOnly(Database: SqliteDatabase, path: string): Promise<Db> {
  let db: import('better-sqlite3').Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: WRITE_WAIT_MS });
    // A file SQLite can only read: a read-only handle would leave files beside it, so copy it unless a writer's log holds data.
    if (db.readonly && walSize(path) === 0) {
      db.close();
      return await openTemporaryCopy(Database, path, fileCopy(path));
    }
    db.pragma('query_only = ON');
    db.pragma('schema_version'); // reads the header: a file that is not SQLite fails here
    db.pragma('cache_size = -65536');
    return sqliteDb(db, path);
  } catch (error) {
    db?.close();
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR')) throw notReadableSqlite(path, error);
    // SQLite could not make its WAL or shared-memory files beside the store: read a copy, unless its log holds data a copy would miss.
    if (walSize(path) > 0) {
      throw new HistoryError(
        `the history store ${path} has a write-ahead log (${path}-wal) that cannot be read where it is (${(error as Error).message}): copy the store with its -wal file into a writable directory and read that copy`,
      );
    }
    return await openTemporaryCopy(Database, path, fileCopy(path));
  }
}

/** The size of the store's write-ahead log; 0 when there is none (an empty one holds nothing uncommitted). */
function walSize(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

/** The store's file copied as it is (`copy` of openTemporaryCopy). */
function fileCopy(path: string): (to: string) => void {
  return (to) => {
    try {
      copyFileSync(path, to);
    } catch (error) {
      throw new HistoryError(`cannot read the history store ${path} to copy it into ${dirname(to)} (${(error as Error).message})`);
    }
  };
}

/**
 * A copy of the store at `path`, made by `copy` into a new temporary directory, opened; the directory is
 * removed on close, or here on failure.
 */
async function openTemporaryCopy(Database: SqliteDatabase, path: string, copy: (to: string) => unknown): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'nhiscan-history-'));
  const to = join(dir, 'store.sqlite');
  let db: import('better-sqlite3').Database | undefined;
  try {
    await copy(to);
    try {
      db = new Database(to, { fileMustExist: true });
      db.pragma('schema_version');
      db.pragma('cache_size = -65536');
    } catch (error) {
      throw notReadableSqlite(path, error);
    }
    return sqliteDb(db, path, dir);
  } catch (error) {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The store's settings, set on opening; a file that is not SQLite fails here, closed and untouched. */
function configureSqlite(db: import('better-sqlite3').Database, path: string): void {
  try {
    // The first statement reads the header: a file that is not SQLite fails here, before anything is written.
    // A new store gets 8 KiB pages (an existing one keeps its own: WAL fixes the size): a first recording
    // writes its 50,000 rows into half as many pages, and committed them in two thirds of the time of 4 KiB.
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // The fingerprint index of 50,000 findings outgrows the 2 MiB default page cache; 64 MiB keeps it in memory.
    db.pragma('cache_size = -65536');
  } catch (error) {
    db.close();
    throw notReadableSqlite(path, error);
  }
}

/**
 * The Db interface over an open SQLite handle of the store at `path`; statements are prepared once and
 * kept. `temporaryDir` holds a copy the handle reads, removed on close.
 */
function sqliteDb(db: import('better-sqlite3').Database, path: string, temporaryDir?: string): Db {
  const statements = new Map<string, import('better-sqlite3').Statement>();
  const rawStatements = new Map<string, import('better-sqlite3').Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    dialect: 'sqlite',
    blobType: 'BLOB',
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return prepared(sql).all(...params) as T[];
    },
    async rows(sql: string, params: unknown[] = []) {
      let statement = rawStatements.get(sql);
      if (!statement) rawStatements.set(sql, (statement = db.prepare(sql).raw(true)));
      return statement.all(...params) as unknown[][];
    },
    async run(sql: string, params: unknown[] = []) {
      if (params.length) prepared(sql).run(...params);
      else db.exec(sql);
    },
    async insertMany(table: string, columns: readonly Column[], rows: Iterable<readonly unknown[]>, constants: readonly Constant[] = []) {
      const names = [...columns, ...constants].map((c) => c.name).join(', ');
      const values = [...columns.map(() => '?'), ...constants.map((c) => sqliteLiteral(c.value))].join(', ');
      const sql = `INSERT INTO ${table} (${names}) VALUES (${values})`;
      // A statement with constants is one recording's: not kept with the ones every recording runs.
      const insert = constants.length ? db.prepare(sql) : prepared(sql);
      for (const row of rows) insert.run(row);
    },
    inClauses(column: string, _type: ColumnType, values: readonly unknown[]) {
      const out = [];
      for (let i = 0; i < values.length; i += SQLITE_IN_CHUNK) {
        const part = values.slice(i, i + SQLITE_IN_CHUNK);
        out.push({ sql: `${column} IN (${part.map(() => '?').join(', ')})`, params: part });
      }
      return out;
    },
    async tableExists(name: string) {
      return prepared(`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
    },
    async exclusive<T>(fn: () => Promise<T>) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
    async copyToTemporary() {
      if (temporaryDir) return this;
      const { default: Database } = await import('better-sqlite3');
      const copy = await openTemporaryCopy(Database, path, (to) => db.backup(to));
      db.close();
      return copy;
    },
    async close() {
      try {
        db.close();
      } finally {
        if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A constant as an SQLite literal. Binding five constant columns per row was a quarter of SQLite's
 * work for a first recording's rows.
 */
function sqliteLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new HistoryError(`cannot write ${value} into the history store`);
    return String(value);
  }
  if (value.includes('\0')) throw new HistoryError('cannot write a NUL character as a constant into the history store');
  return `'${value.replace(/'/g, "''")}'`;
}

/** SQLite binds at most 32,766 parameters a statement; a few hundred keep each statement small. */
const SQLITE_IN_CHUNK = 500;

const PG_TYPES: Record<ColumnType, string> = { int: 'bigint', text: 'text', float: 'double precision' };

/** Values as a PostgreSQL array literal (pg's own serialiser is slow for thousands of values). */
function arrayLiteral(values: readonly unknown[], type: ColumnType): string {
  const items = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    return type === 'text' ? `"${String(value).replace(/[\\"]/g, '\\$&')}"` : String(value);
  });
  return `{${items.join(',')}}`;
}

/** `?` → `$1, $2, …` (the store's SQL never holds a literal question mark). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The escapes of COPY's text format. */
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyField(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

/** Rows a chunk of COPY data holds: a chunk's text is short-lived, and turned into bytes at once. */
const COPY_CHUNK_ROWS = 2048;

/** Any character that UTF-8 writes in more than one byte. */
const NON_ASCII = /[^\0-\x7f]/;

/** Text of ASCII only is its own UTF-8, and Latin-1 copies it byte for byte (UTF-8 encoding was a third of the chunking). */
function utf8Bytes(text: string): Buffer {
  return Buffer.from(text, NON_ASCII.test(text) ? 'utf8' : 'latin1');
}

/** A field of COPY's text format. */
function copyValue(value: unknown, type: ColumnType): string {
  if (value === null || value === undefined) return '\\N';
  return type === 'text' ? copyField(String(value)) : String(value);
}

/**
 * Rows in COPY's text format (tab-separated, one a line, `\N` for NULL), in chunks of bytes; the
 * constants' fields end every line. Numbers need no escaping.
 */
function copyChunks(columns: readonly Column[], rows: Iterable<readonly unknown[]>, constants: readonly Constant[]): Buffer[] {
  const text = columns.map((c) => c.type === 'text');
  const tail = constants.map((c) => `\t${copyValue(c.value, c.type)}`).join('') + '\n';
  const chunks: Buffer[] = [];
  let chunk = '';
  let count = 0;
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (i) chunk += '\t';
      chunk += value === null || value === undefined ? '\\N' : text[i] ? copyField(String(value)) : String(value);
    }
    chunk += tail;
    if (++count === COPY_CHUNK_ROWS) {
      chunks.push(utf8Bytes(chunk));
      chunk = '';
      count = 0;
    }
  }
  if (count) chunks.push(utf8Bytes(chunk));
  return chunks;
}

/** What CopyFrom uses of pg's connection (pg's own Query uses the same methods). */
interface CopyConnection {
  query(text: string): void;
  /** The socket: framed messages are written to it as they are. */
  stream: { write(data: Buffer, callback: (error?: Error | null) => void): boolean };
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/** Resolves once `data` is written out (in the kernel's hands), so that its buffer can be filled again. */
function writeOut(connection: CopyConnection, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => connection.stream.write(data, (error) => (error ? reject(error) : resolve())));
}

/**
 * `COPY … FROM STDIN` through pg's Submittable interface (client.query hands it the connection): pg
 * has no COPY of its own. The server asks for the data (CopyInResponse), gets it, and answers with
 * CommandComplete and ReadyForQuery, or an error. Binary data comes as CopyMessages, already framed,
 * each written out before the next is encoded into its buffer; the first is encoded before the COPY is
 * sent (none: nothing to send). An encoding error fails the COPY (CopyFail) and is the error reported.
 */
class CopyFrom implements Submittable {
  private failure: Error | undefined;
  constructor(
    private readonly sql: string,
    private readonly data: { first: Buffer; messages: CopyMessages } | readonly Buffer[],
    private readonly settle: (error?: Error) => void,
  ) {}
  submit(connection: Connection): void {
    (connection as unknown as CopyConnection).query(this.sql);
  }
  handleCopyInResponse(connection: CopyConnection): void {
    if (!('first' in this.data)) {
      for (const chunk of this.data) connection.sendCopyFromChunk(chunk);
      connection.endCopyFrom();
      return;
    }
    const { first, messages } = this.data;
    void (async () => {
      try {
        let message = first;
        for (;;) {
          await writeOut(connection, message);
          const next = messages.next(true);
          if (next.done) break;
          message = next.value;
        }
        connection.endCopyFrom();
      } catch (error) {
        this.failure = error as Error;
        try {
          connection.sendCopyFail(this.failure.message);
        } catch {
          // The connection is gone: pg reports it to the query.
        }
      }
    })();
  }
  handleError(error: Error): void {
    this.settle(this.failure ?? error);
  }
  handleReadyForQuery(): void {
    this.settle();
  }
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Column name → type oid, by table. */
type ColumnTypes = Map<string, Map<string, number>>;

/**
 * The column types of every table in `table`'s schema, in one catalogue query: a recording's five bulk
 * inserts then cost one round trip, not one each.
 */
async function columnTypes(client: import('pg').Client, table: string, into: ColumnTypes): Promise<void> {
  const rows = await client.query({
    text: `SELECT c.relname, a.attname, a.atttypid::int FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
           WHERE c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = $1::regclass) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    values: [table],
    rowMode: 'array',
  });
  for (const [relation, name, oid] of rows.rows as Array<[string, string, number]>) {
    let columns = into.get(relation);
    if (!columns) into.set(relation, (columns = new Map()));
    columns.set(name, oid);
  }
}

/**
 * The binary COPY encoders of `columns` by their types on the server (binary integers must have the
 * column's width), or undefined when one has a type binaryCopyMessages does not write.
 */
function binaryEncoders(types: ReadonlyMap<string, number> | undefined, columns: readonly string[]): BinaryEncoder[] | undefined {
  const encoders = columns.map((name) => binaryEncoder(types?.get(name) ?? 0));
  return encoders.every((e) => e !== undefined) ? (encoders as BinaryEncoder[]) : undefined;
}

/**
 * Imports pg. On load, pg asks whether it runs in a Cloudflare Worker: by `navigator.userAgent`, or,
 * where there is no `navigator` (Node 20; Node 21 has one), by building a `Response`, which loads
 * Node's whole fetch implementation: ~30 of the ~85 ms of CPU pg's import cost, in every process that
 * records on PostgreSQL. So the import sees the `navigator` Node 21 would have, for as long as it
 * takes; nothing else of the process sees it.
 */
async function importPg(): Promise<(typeof import('pg'))['default']> {
  const g = globalThis as { navigator?: unknown };
  if (g.navigator !== undefined) return (await import('pg')).default;
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node}` }, configurable: true, writable: true });
  try {
    return (await import('pg')).default;
  } finally {
    delete g.navigator;
  }
}

async function openPostgres(url: string): Promise<Db> {
  const pg = await importPg();
  // Counts and sums come back as numbers, not strings: the store's values fit a double.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format as 'text')),
  };
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, types: types as never });
  // A connection that drops later must not crash the process; the next query reports it.
  client.on('error', () => {});
  await client.connect();
  // Column types for binary COPY, looked up once for a schema's tables: the lookup was a round trip and a
  // catalogue query per bulk insert (five a recording). Forgotten by any statement without parameters
  // (DDL among them) and at each writer's transaction, so a table changed meanwhile is looked up again.
  const tableTypes: ColumnTypes = new Map();
  const encodersOf = async (table: string, names: readonly string[]) => {
    if (!tableTypes.has(table)) await columnTypes(client, table, tableTypes);
    return binaryEncoders(tableTypes.get(table), names);
  };
  return {
    dialect: 'postgres',
    blobType: 'BYTEA',
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      return (await client.query(numbered(sql), params)).rows as T[];
    },
    async rows(sql: string, params: unknown[] = []) {
      return (await client.query({ text: numbered(sql), values: params, rowMode: 'array' })).rows as unknown[][];
    },
    async run(sql: string, params: unknown[] = []) {
      if (!params.length) tableTypes.clear();
      await client.query(params.length ? numbered(sql) : sql, params.length ? params : undefined);
    },
    async insertMany(table: string, columns: readonly Column[], rows: Iterable<readonly unknown[]>, constants: readonly Constant[] = []) {
      const names = [...columns, ...constants].map((c) => c.name);
      const encoders = await encodersOf(table, names);
      let data: ConstructorParameters<typeof CopyFrom>[1];
      if (encoders) {
        const values = constants.map((c) => c.value);
        const messages = ('binaryMessages' in rows && (rows as BinaryRows).binaryMessages(encoders, values)) || binaryCopyMessages(encoders, rows, values);
        const first = messages.next();
        if (first.done) return;
        data = { first: first.value, messages };
      } else if (!(data = copyChunks(columns, rows, constants)).length) return;
      // COPY is the server's bulk path (rows written in batches): half the server's CPU of one
      // INSERT … SELECT of the same rows, which was most of a first recording's cost.
      const sql = `COPY ${table} (${names.join(', ')}) FROM STDIN${encoders ? ' (FORMAT binary)' : ''}`;
      await new Promise<void>((resolve, reject) => {
        client.query(new CopyFrom(sql, data, (error) => (error ? reject(error) : resolve())));
      });
    },
    inClauses(column: string, type: ColumnType, values: readonly unknown[]) {
      return values.length ? [{ sql: `${column} = ANY(?::${PG_TYPES[type]}[])`, params: [arrayLiteral(values, type)] }] : [];
    },
    async tableExists(name: string) {
      const rows = (await client.query('SELECT to_regclass($1) AS found', [name])).rows;
      return rows[0]?.found !== null && rows[0]?.found !== undefined;
    },
    async exclusive<T>(fn: () => Promise<T>) {
      // Read committed whatever the server's default: the writer must see what the writer before it
      // committed while it waited for the lock (a repeatable-read snapshot is taken before it).
      tableTypes.clear();
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      try {
        await client.query(`SET LOCAL lock_timeout = '${WRITE_WAIT_MS}ms'`);
        await client.query(`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`);
        const result = await fn();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    async close() {
      await client.end();
    },
  };
}
