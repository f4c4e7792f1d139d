/**
 * The history store at scale (issue 16): an estate of 50,000 findings scanned daily for a year.
 *
 * 1. Recording against the scan itself: a real scan (the example plugin's `inventory-file:` source,
 *    every built-in rule) of an estate giving ~50,000 findings is timed, then recording it in a history
 *    store the way `scan --history` does (open, migrate, record, compute the report's section). Goal:
 *    recording costs under 10% of the scan. Measured on SQLite and on PostgreSQL, for the first
 *    recording (everything new) and the next (everything persisting).
 * 2. A year: 365 daily scans of 50,000 findings with churn (1% fixed and 1% new a day, some reopened,
 *    a partly covered source now and then) recorded into SQLite and PostgreSQL; the time to record one
 *    scan, `trend` over the year, `diff` of the first and last scans, and the store's size.
 *
 * PostgreSQL is a real server (testkit/postgres.ts). Sizes: NHISCAN_BENCH_HISTORY_FINDINGS (50000),
 * NHISCAN_BENCH_HISTORY_SCANS (365), NHISCAN_BENCH_HISTORY_YEAR_FINDINGS (the year's estate; default the same);
 * --quick runs 5,000 findings and 30 scans.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBuiltinPlugins } from '../src/builtins.js';
import { defaultConfig } from '../src/config.js';
import { runScan } from '../src/engine.js';
import { openDb, type Db } from '../src/history/db.js';
import { diffScans, trendOf, DEFAULT_FIX_TARGETS } from '../src/history/query.js';
import { recordScan } from '../src/history/record.js';
import type { FindingInput, ScanInput, SourceInput } from '../src/history/scan-input.js';
import { recordHistory } from '../src/history/store.js';
import type { HistoryTarget } from '../src/history/target.js';
import { silentLogger } from '../src/log.js';
import { SEVERITIES } from '../src/model/index.js';
import { buildReport } from '../src/report-model.js';
import { Registry } from '../src/registry.js';
import { VERSION } from '../src/version.js';
import { startPostgres, type PostgresServer } from '../testkit/postgres.js';
import type { NhiscanPlugin } from '../src/plugin.js';

/** The example plugin (plain JavaScript, not compiled): from the repository, next to dist/. */
const EXAMPLE_PLUGIN = new URL('../../examples/plugins/nhiscan-plugin-example.js', import.meta.url);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const NOW = new Date('2026-11-29T00:00:00Z');

/** Service accounts with one old, unused, never-expiring key each, half without an owner: ~3 findings per account. */
function writeEstate(dir: string, accounts: number): string {
  const serviceAccounts = Array.from({ length: accounts }, (_, i) => ({
    id: `sa-${i}`,
    name: i % 2 ? `svc-app-${i}` : `app-${i}`,
    ...(i % 2 ? { owner: `team-${i % 40}@example.com` } : {}),
    keys: [{ id: `key-${i}`, createdAt: '2025-01-01T00:00:00Z', ...(i % 3 ? { lastUsedAt: '2026-11-28T00:00:00Z' } : {}) }],
  }));
  const path = join(dir, 'inventory.json');
  writeFileSync(path, JSON.stringify({ serviceAccounts }));
  return path;
}

async function realScan(dir: string, accounts: number) {
  const registry = new Registry();
  for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
  registry.register(((await import(EXAMPLE_PLUGIN.href)) as { default: NhiscanPlugin }).default);
  const path = writeEstate(dir, accounts);
  const started = performance.now();
  const result = await runScan({ registry, config: defaultConfig(), sources: [`inventory-file:${path}`], log: silentLogger, now: NOW, baseDir: dir });
  const report = buildReport({
    result,
    findings: result.findings,
    version: VERSION,
    rules: registry.sortedRules().map((r) => r.meta),
    gate: result.gate,
    now: NOW,
  });
  return { report, ms: performance.now() - started };
}

async function recordingCost(target: HistoryTarget, report: Awaited<ReturnType<typeof realScan>>['report']) {
  const times: number[] = [];
  for (const day of [0, 1]) {
    report.scan.now = new Date(NOW.getTime() + day * 86_400_000).toISOString();
    const started = performance.now();
    const section = await recordHistory(report, { target, targets: DEFAULT_FIX_TARGETS }, 'sha256:bench');
    times.push(performance.now() - started);
    if (!section.recorded) throw new Error(`not recorded: ${section.error}`);
  }
  return times;
}

/** A year of daily scans over one estate: each day 1% fixed, 1% new (a tenth of them reopened), a partial source on every 30th day. */
function* year(findings: number, scans: number): Generator<ScanInput> {
  const SOURCES = ['git:monorepo', 'github:acme', 'aws', 'azure', 'gcp'];
  let next = 0;
  const make = (n: number): FindingInput => {
    const source = SOURCES[n % SOURCES.length]!;
    return {
      fingerprint: n.toString(16).padStart(32, '0'),
      ruleId: `rule-${n % 60}`,
      category: 'leaked-secret',
      severity: SEVERITIES[n % 4]!,
      provider: source.split(':')[0]!,
      resourceKind: 'kind',
      resourceId: `resource-${n}`,
      resourceName: `resource ${n}`,
      owner: n % 3 ? `team-${n % 200}@example.com` : null,
      sources: [source],
      suppressed: false,
    };
  };
  const open = new Map<number, FindingInput>();
  const fixed: number[] = [];
  while (open.size < findings) open.set(next, make(next++));
  const churn = Math.max(1, Math.round(findings / 100));
  for (let day = 0; day < scans; day++) {
    if (day) {
      const ids = [...open.keys()];
      for (let i = 0; i < churn; i++) {
        const id = ids[(day * 7919 + i * 104729) % ids.length]!;
        if (open.delete(id)) fixed.push(id);
      }
      for (let i = 0; i < churn; i++) {
        const reopen = i % 10 === 0 && fixed.length > churn ? fixed.splice((day * 31 + i) % fixed.length, 1)[0] : undefined;
        const id = reopen ?? next++;
        open.set(id, make(id));
      }
    }
    const at = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString();
    const sources: SourceInput[] = SOURCES.map((spec, i) => {
      const partial = day % 30 === 29 && i === 0;
      return { spec, status: partial ? 'partial' : 'ok', fullyCovered: !partial, notCovered: [] };
    });
    yield { at, startedAt: at, finishedAt: at, toolVersion: VERSION, rulesHash: 'sha256:bench', sources, findings: [...open.values()], inventory: [] };
  }
}

async function recordYear(target: HistoryTarget, findings: number, scans: number) {
  const db = await openDb(target);
  const times: number[] = [];
  try {
    for (const input of year(findings, scans)) {
      const started = performance.now();
      await recordScan(db, 'bench', input);
      times.push(performance.now() - started);
    }
    const since = '2026-01-01T00:00:00.000Z';
    const trendStarted = performance.now();
    const trend = await trendOf(db, { since, targets: DEFAULT_FIX_TARGETS });
    const trendMs = performance.now() - trendStarted;
    const byStarted = performance.now();
    await trendOf(db, { since, by: 'owner', targets: DEFAULT_FIX_TARGETS });
    const byMs = performance.now() - byStarted;
    const diffStarted = performance.now();
    const diff = await diffScans(db, '1', String(scans));
    const diffMs = performance.now() - diffStarted;
    return { times, trend, trendMs, byMs, diff, diffMs, size: await storeSize(db, target) };
  } finally {
    await db.close();
  }
}

async function storeSize(db: Db, target: HistoryTarget): Promise<number> {
  if (target.kind === 'postgres') return Number((await db.query<{ size: number }>('SELECT pg_database_size(current_database()) AS size'))[0]!.size);
  await db.run('PRAGMA wal_checkpoint(TRUNCATE)');
  return statSync(target.path).size + (existsSync(`${target.path}-wal`) ? statSync(`${target.path}-wal`).size : 0);
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return `mean ${seconds(mean)}, median ${seconds(sorted[Math.floor(sorted.length / 2)]!)}, max ${seconds(sorted[sorted.length - 1]!)}, first ${seconds(times[0]!)}`;
}

export async function run(args: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const findings = args.quick ? 5_000 : Number(process.env.NHISCAN_BENCH_HISTORY_FINDINGS ?? 50_000);
  const scans = args.quick ? 30 : Number(process.env.NHISCAN_BENCH_HISTORY_SCANS ?? 365);
  // The year's estate can be set apart from the real scan's, to bound the run on a busy machine.
  const yearFindings = args.quick ? findings : Number(process.env.NHISCAN_BENCH_HISTORY_YEAR_FINDINGS ?? findings);
  const dir = mkdtempSync(join(tmpdir(), 'nhiscan-bench-history-'));
  let postgres: PostgresServer | undefined;
  const lines: string[] = [];
  // Each figure also goes to stderr as soon as it is measured: a long run that is cut short keeps what it measured.
  const push = lines.push.bind(lines);
  lines.push = (...items: string[]) => {
    for (const item of items) process.stderr.write(`  ${item}\n`);
    return push(...items);
  };
  try {
    postgres = await startPostgres();
    const scan = await realScan(dir, Math.round(findings / 3));
    const n = scan.report.findings.length;
    lines.push(
      `scan of ${n.toLocaleString('en')} findings (${scan.report.inventory.identities.length.toLocaleString('en')} identities, every built-in rule): ${seconds(scan.ms)}`,
    );
    const stores: Array<[string, HistoryTarget]> = [
      ['SQLite', { kind: 'sqlite', path: join(dir, 'scan.sqlite') }],
      ['PostgreSQL', { kind: 'postgres', url: await postgres.createDatabase('scan') }],
    ];
    for (const [name, target] of stores) {
      const [first, next] = await recordingCost(target, scan.report);
      lines.push(
        `  recording it in ${name}: first ${seconds(first!)} (${((first! / scan.ms) * 100).toFixed(1)}% of the scan), next ${seconds(next!)} (${((next! / scan.ms) * 100).toFixed(1)}%)`,
      );
    }
    const yearStores: Array<[string, HistoryTarget]> = [
      ['SQLite', { kind: 'sqlite', path: join(dir, 'year.sqlite') }],
      ['PostgreSQL', { kind: 'postgres', url: await postgres.createDatabase('year') }],
    ];
    lines.push(`a year: ${scans} daily scans of ${yearFindings.toLocaleString('en')} findings, 1% fixed and 1% new a day`);
    for (const [name, target] of yearStores) {
      const y = await recordYear(target, yearFindings, scans);
      const last = y.trend.scans[y.trend.scans.length - 1]!;
      lines.push(`  ${name}: record one scan ${summary(y.times)}; total ${seconds(y.times.reduce((a, b) => a + b, 0))}`);
      lines.push(
        `    trend over the year ${seconds(y.trendMs)} (--by owner ${seconds(y.byMs)}), ${y.trend.scans.length} scans, critical median time to fix ${last ? y.trend.timeToFix.critical.medianDays : '-'} d; diff first..last ${seconds(y.diffMs)} (${y.diff.added.length} added, ${y.diff.removed.length} gone); store ${(y.size / 2 ** 20).toFixed(1)} MiB`,
      );
    }
  } finally {
    postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'history', lines };
}
