/**
 * The history store at scale (issue 16): an estate of 50,000 findings scanned daily for a year.
 *
 * 1. Recording against the scan itself: a real scan of an estate giving ~50,000 findings is timed,
 *    then recording it in a history store the way `scan --history` does (turn the report into the
 *    store's input, open, migrate, record, compute the report's section). Goal: recording costs under
 *    10% of the scan. "The scan" is what `nhiscan scan` does without history: collect (the example
 *    plugin's `inventory-file:` source), enrich and evaluate with every built-in rule (`runScan`),
 *    build the report and write it in the default formats (JSON, Markdown, SARIF). The ratio to
 *    `runScan` + report building alone (no report written) is printed too. Measured on SQLite and on
 *    PostgreSQL, for the first recording (everything new), the next (everything persisting) and a
 *    third with 1% of the findings gone and 1% new.
 * 2. A year: 365 daily scans of 50,000 findings with churn (1% fixed and 1% new a day, some reopened,
 *    a partly covered source now and then) recorded into SQLite and PostgreSQL; the time to record one
 *    scan, `trend` over the year, `diff` of the first and last scans, and the store's size.
 *
 * PostgreSQL is a real server (testkit/postgres.ts). Sizes: NHISCAN_BENCH_HISTORY_FINDINGS (50000; 0
 * skips part 1), NHISCAN_BENCH_HISTORY_SCANS (365; 0 skips part 2), NHISCAN_BENCH_HISTORY_YEAR_FINDINGS
 * (the year's estate; default the same); NHISCAN_BENCH_HISTORY_STORES (`sqlite,postgres`) runs one
 * store at a time on a small machine; NHISCAN_BENCH_HISTORY_ROUNDS (1) records part 1's scan that many
 * times, each into new stores; --quick runs 5,000 findings and 30 scans.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomicStream } from '../src/atomic-write.js';
import { loadBuiltinPlugins } from '../src/builtins.js';
import { defaultConfig } from '../src/config.js';
import { runScan } from '../src/engine.js';
import { openDb, type Db } from '../src/history/db.js';
import { diffScans, trendOf, DEFAULT_FIX_TARGETS } from '../src/history/query.js';
import { recordScan } from '../src/history/record.js';
import { scanFindings, type FindingInput, type ScanInput, type SourceInput } from '../src/history/scan-input.js';
import { recordHistory, REPORT_WINDOW_DAYS, sinceDaysBefore } from '../src/history/store.js';
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

/** Clock ticks a second in /proc/PID/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU milliseconds the PostgreSQL server has spent: the postmaster, its live processes, and the
 * backends that already ended (their time is in the postmaster's cutime/cstime once reaped).
 */
function serverCpuMs(server: PostgresServer | undefined): number {
  if (!server) return 0;
  const postmaster = Number(readFileSync(join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15) cutime(16) cstime(17).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    if (pid !== postmaster && Number(fields[1]) !== postmaster) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
    if (pid === postmaster) ticks += Number(fields[13]) + Number(fields[14]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU milliseconds of this process (every thread). */
function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Wall and CPU time of `fn`; CPU counts this process and the PostgreSQL server, the figure a loaded machine distorts least. */
async function timed<T>(fn: () => Promise<T>, server?: PostgresServer): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = ownCpuMs() + serverCpuMs(server);
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  const own = ownCpuMs();
  // A backend that just ended counts in the postmaster's cutime once reaped: give it a moment (not timed).
  if (server) await new Promise((resolve) => setTimeout(resolve, 500));
  return { value, ms, cpuMs: own + serverCpuMs(server) - cpu };
}
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

/** `nhiscan scan` without history: runScan, the report, and the report written in the default formats. */
async function realScan(dir: string, accounts: number) {
  const registry = new Registry();
  for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
  registry.register(((await import(EXAMPLE_PLUGIN.href)) as { default: NhiscanPlugin }).default);
  const path = writeEstate(dir, accounts);
  const evaluated = await timed(async () => {
    const result = await runScan({ registry, config: defaultConfig(), sources: [`inventory-file:${path}`], log: silentLogger, now: NOW, baseDir: dir });
    return buildReport({ result, findings: result.findings, version: VERSION, rules: registry.sortedRules().map((r) => r.meta), gate: result.gate, now: NOW });
  });
  const report = evaluated.value;
  const out = join(dir, 'reports');
  mkdirSync(out);
  const written = await timed(async () => {
    for (const format of registry.defaultFormats()) {
      const reporter = registry.reporters.get(format)!;
      await writeAtomicStream(out, reporter.fileName, (sink) => reporter.write(report, sink));
    }
  });
  return {
    report,
    whole: { ms: evaluated.ms + written.ms, cpuMs: evaluated.cpuMs + written.cpuMs },
    evaluated: { ms: evaluated.ms, cpuMs: evaluated.cpuMs },
    formats: registry.defaultFormats(),
  };
}

interface Cost {
  ms: number;
  cpuMs: number;
}

/** Records the scan's report three days running: all new, all persisting, then 1% gone and 1% new. */
async function recordingCost(target: HistoryTarget, report: Awaited<ReturnType<typeof realScan>>['report'], server?: PostgresServer): Promise<Cost[]> {
  const costs: Cost[] = [];
  const all = report.findings;
  const churn = Math.max(1, Math.round(all.length / 100));
  for (const day of [0, 1, 2]) {
    report.scan.now = new Date(NOW.getTime() + day * 86_400_000).toISOString();
    // Day 3: the first 1% fixed, and 1% new (the same findings under new fingerprints).
    report.findings = day < 2 ? all : [...all.slice(churn), ...all.slice(0, churn).map((f) => ({ ...f, fingerprint: `${f.fingerprint}-day3` }))];
    const { value: section, ms, cpuMs } = await timed(() => recordHistory(report, { target, targets: DEFAULT_FIX_TARGETS }, 'sha256:bench'), server);
    costs.push({ ms, cpuMs });
    if (!section.recorded) throw new Error(`not recorded: ${section.error}`);
  }
  report.findings = all;
  return costs;
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
    yield {
      at,
      startedAt: at,
      finishedAt: at,
      toolVersion: VERSION,
      rulesHash: 'sha256:bench',
      sources,
      findings: scanFindings([...open.values()]),
      inventory: [],
    };
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
    // What every recording also computes for the report's section: the trend of the last 90 days.
    const sectionStarted = performance.now();
    await trendOf(db, { since: sinceDaysBefore(trend.scans.at(-1)?.at ?? since, REPORT_WINDOW_DAYS), targets: DEFAULT_FIX_TARGETS });
    const sectionMs = performance.now() - sectionStarted;
    const diffStarted = performance.now();
    const diff = await diffScans(db, '1', String(scans));
    const diffMs = performance.now() - diffStarted;
    return { times, trend, trendMs, byMs, sectionMs, diff, diffMs, size: await storeSize(db, target) };
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
  const only = (process.env.NHISCAN_BENCH_HISTORY_STORES ?? 'sqlite,postgres').split(',');
  const rounds = Math.max(1, Number(process.env.NHISCAN_BENCH_HISTORY_ROUNDS ?? 1));
  const pct = (ms: number, of: number) => `${((ms / of) * 100).toFixed(1)}%`;
  try {
    postgres = only.includes('postgres') ? await startPostgres() : undefined;
    const storesOf = async (name: string): Promise<Array<[string, HistoryTarget]>> => [
      ...(only.includes('sqlite') ? [['SQLite', { kind: 'sqlite', path: join(dir, `${name}.sqlite`) }] as [string, HistoryTarget]] : []),
      ...(postgres ? [['PostgreSQL', { kind: 'postgres', url: await postgres.createDatabase(name) }] as [string, HistoryTarget]] : []),
    ];
    if (findings > 0) {
      const scan = await realScan(dir, Math.round(findings / 3));
      const n = scan.report.findings.length;
      const cost = (c: Cost) => `${seconds(c.ms)} wall, ${seconds(c.cpuMs)} CPU`;
      lines.push(
        `scan of ${n.toLocaleString('en')} findings (${scan.report.inventory.identities.length.toLocaleString('en')} identities, every built-in rule), reports written (${scan.formats.join(', ')}): ${cost(scan.whole)}; of which runScan + report built: ${cost(scan.evaluated)}`,
      );
      // Ratios of CPU time (nhiscan's, plus the PostgreSQL server's while recording): on a shared machine wall time swings with the load.
      const against = (c: Cost) =>
        `${cost(c)}: ${pct(c.cpuMs, scan.whole.cpuMs)} of the scan (${pct(c.cpuMs, scan.evaluated.cpuMs)} of runScan + report; wall ${pct(c.ms, scan.whole.ms)})`;
      // Each round records the same scan into new stores: on a loaded machine one recording's CPU time swings by half.
      for (let round = 1; round <= rounds; round++)
        for (const [name, target] of await storesOf(round > 1 ? `scan${round}` : 'scan')) {
          const [first, next, churned] = await recordingCost(target, scan.report, target.kind === 'postgres' ? postgres : undefined);
          lines.push(`  recording it in ${name}${rounds > 1 ? ` (round ${round})` : ''}: first ${against(first!)}`);
          lines.push(`    next, unchanged ${against(next!)}`);
          lines.push(`    next, 1% churn ${against(churned!)}`);
        }
    }
    if (scans > 0) {
      lines.push(`a year: ${scans} daily scans of ${yearFindings.toLocaleString('en')} findings, 1% fixed and 1% new a day`);
      for (const [name, target] of await storesOf('year')) {
        const y = await recordYear(target, yearFindings, scans);
        const last = y.trend.scans[y.trend.scans.length - 1]!;
        lines.push(`  ${name}: record one scan ${summary(y.times)}; total ${seconds(y.times.reduce((a, b) => a + b, 0))}`);
        lines.push(
          `    trend over the year ${seconds(y.trendMs)} (--by owner ${seconds(y.byMs)}; the last ${REPORT_WINDOW_DAYS} days, as each recording computes for its report, ${seconds(y.sectionMs)}), ${y.trend.scans.length} scans, critical median time to fix ${last ? y.trend.timeToFix.critical.medianDays : '-'} d; diff first..last ${seconds(y.diffMs)} (${y.diff.added.length} added, ${y.diff.removed.length} gone); store ${(y.size / 2 ** 20).toFixed(1)} MiB`,
        );
      }
    }
  } finally {
    postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'history', lines };
}
