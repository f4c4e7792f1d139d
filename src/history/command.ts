/**
 * `nhiscan history`, `nhiscan trend` and `nhiscan diff`: read a history store back.
 *
 *   nhiscan history [--history TARGET] [--config FILE] [--finding FINGERPRINT] [--json]
 *   nhiscan trend [--since 90d|DATE] [--by severity|category|provider|owner|rule] [--targets critical=7,high=30] [--now DATE] [--json]
 *   nhiscan diff SCAN_A SCAN_B [--json]
 *
 * `--json` of `trend` follows docs/history.trend.schema.json (documented in docs/history.md).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { SEVERITIES, type Severity } from '../model/index.js';
import { HistoryError, type Db } from './db.js';
import { diffScans, findingHistory, listScans, trendOf, type FindingHistory, type RecordedScan, type FixTargets, type ScanDiff, type Trend } from './query.js';
import { readHistorySettings } from './settings.js';
import { DIMENSIONS, type Dimension } from './stats.js';
import { openForRead, sinceDaysBefore } from './store.js';
import { describeTarget } from './target.js';

type Write = (text: string) => void;

const COMMON = { history: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } } as const;

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON, ...options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new HistoryError((error as Error).message);
  }
}

async function withStore<T>(values: { history?: unknown; config?: unknown }, fn: (db: Db, store: string, targets: FixTargets) => Promise<T>): Promise<T> {
  const loaded = loadConfig(values.config as string | undefined);
  const settings = readHistorySettings(values.history as string | undefined, loaded.config, loaded.baseDir);
  const db = await openForRead(settings.target);
  try {
    return await fn(db, describeTarget(settings.target), settings.targets);
  } finally {
    await db.close();
  }
}

const pad = (cells: (string | number)[], widths: number[]) =>
  cells
    .map((c, i) => String(c).padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();

function table(header: string[], rows: (string | number)[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  return [pad(header, widths), ...rows.map((r) => pad(r, widths))].join('\n') + '\n';
}

/** `10 sources, 1 not fully covered (import:gcp/x.ndjson)`: the detail is in --json. */
function sourcesSummary(sources: RecordedScan['sources']): string {
  const partly = sources.filter((s) => !s.fullyCovered);
  return `${sources.length}${partly.length ? `, ${partly.length} not fully covered (${partly.map((s) => s.spec).join(', ')})` : ', all fully covered'}`;
}

function renderFinding(f: FindingHistory): string {
  return [
    `${f.fingerprint} ${f.severity} ${f.ruleId} on ${f.resourceId}: ${f.state}`,
    `  first seen ${f.firstSeen}, last seen ${f.lastSeen}${f.resolvedAt ? `, resolved ${f.resolvedAt}` : ''}${f.reopened ? `, reopened ${f.reopened} time(s)` : ''}`,
    ...f.events.map((e) => `  scan ${e.scanId} (${e.at}): ${e.kind}${e.daysOpen !== null ? ` after ${e.daysOpen} day(s)` : ''}`),
    '',
  ].join('\n');
}

export async function historyCommand(argv: string[], write: Write): Promise<void> {
  const { values } = parse(argv, { finding: { type: 'string' } });
  await withStore(values, async (db, store) => {
    if (values.finding !== undefined) {
      const finding = await findingHistory(db, values.finding as string);
      return write(values.json ? `${JSON.stringify({ store, ...finding }, null, 2)}\n` : renderFinding(finding));
    }
    const scans = await listScans(db);
    if (values.json) return write(`${JSON.stringify({ store, scans }, null, 2)}\n`);
    write(`${scans.length} scan(s) recorded in ${store}\n\n`);
    const rows = scans.map((s) => [s.scanId, s.at, s.toolVersion, sourcesSummary(s.sources), s.open, s.new, s.resolved, s.reopened, s.unknown]);
    write(table(['scan', 'at', 'nhiscan', 'sources', 'open', 'new', 'resolved', 'reopened', 'unknown'], rows));
  });
}

/** `90d`, `12w` or an ISO date → the earliest scan time to include, counted back from `now`. */
export function parseSince(value: string, now: Date): string {
  const relative = /^(\d+)([dw])$/.exec(value.trim());
  if (relative) return sinceDaysBefore(now.toISOString(), Number(relative[1]) * (relative[2] === 'w' ? 7 : 1));
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new HistoryError(`--since must be a number of days (90d), weeks (12w) or a date (got "${value}")`);
  return new Date(date).toISOString();
}

/** `critical=7,high=30` over the configured targets. */
export function parseTargets(value: string | undefined, base: FixTargets): FixTargets {
  if (value === undefined) return base;
  const targets: FixTargets = { ...base };
  for (const pair of value.split(',').filter(Boolean)) {
    const [severity, days] = pair.split('=');
    if (!(SEVERITIES as readonly string[]).includes(severity!.trim()) || !(Number(days) > 0))
      throw new HistoryError(`--targets takes SEVERITY=DAYS pairs such as critical=7,high=30 (got "${pair}")`);
    targets[severity!.trim() as Severity] = Number(days);
  }
  return targets;
}

const days = (n: number | null | undefined) => (n === null || n === undefined ? '-' : `${n}d`);

function renderTrend(trend: Trend, store: string): string {
  const out = [`Trend of ${store} since ${trend.since}: ${trend.scans.length} scan(s)\n\n`];
  out.push(
    table(
      ['scan', 'at', 'open', 'new', 'resolved', 'reopened', 'unknown', 'median age', 'max age', 'breaches'],
      trend.scans.map((s) => [
        s.scanId,
        s.at,
        s.open,
        s.new,
        s.resolved,
        s.reopened,
        s.unknown,
        days(s.age?.medianDays),
        days(s.age?.maxDays),
        s.breaches
          .filter((b) => b.count)
          .map((b) => `${b.count} ${b.severity} > ${b.targetDays}d`)
          .join(', ') || '-',
      ]),
    ),
  );
  out.push('\nTime to fix over the window:\n');
  out.push(
    table(
      ['severity', 'fixed', 'mean', 'median', 'target'],
      SEVERITIES.map((s) => [s, trend.timeToFix[s].fixed, days(trend.timeToFix[s].meanDays), days(trend.timeToFix[s].medianDays), days(trend.targets[s])]),
    ),
  );
  const last = trend.scans[trend.scans.length - 1];
  if (trend.by && last?.groups) {
    out.push(`\nBy ${trend.by}, latest scan (${last.scanId}):\n`);
    const groups = Object.entries(last.groups).sort(([, a], [, b]) => b.open - a.open);
    out.push(
      table(
        [trend.by, 'open', 'new', 'resolved', 'reopened', 'unknown'],
        groups.map(([key, g]) => [key, g.open, g.new, g.resolved, g.reopened, g.unknown]),
      ),
    );
  }
  return out.join('');
}

export async function trendCommand(argv: string[], write: Write): Promise<void> {
  const { values } = parse(argv, { since: { type: 'string' }, by: { type: 'string' }, targets: { type: 'string' }, now: { type: 'string' } });
  const now = values.now !== undefined ? new Date(parseSince(values.now as string, new Date())) : new Date();
  const by = values.by as string | undefined;
  if (by !== undefined && !(DIMENSIONS as readonly string[]).includes(by)) throw new HistoryError(`--by must be one of ${DIMENSIONS.join(', ')} (got "${by}")`);
  const since = parseSince((values.since as string | undefined) ?? '90d', now);
  await withStore(values, async (db, store, configured) => {
    const trend = await trendOf(db, { since, targets: parseTargets(values.targets as string | undefined, configured), ...(by ? { by: by as Dimension } : {}) });
    write(values.json ? `${JSON.stringify({ store, ...trend }, null, 2)}\n` : renderTrend(trend, store));
  });
}

function renderDiff(diff: ScanDiff): string {
  const line = (f: ScanDiff['added'][number]) =>
    `  ${f.severity.padEnd(8)} ${f.ruleId}  ${f.resourceName}  (${f.fingerprint}${f.state === 'open' ? '' : `, now ${f.state}`})`;
  return [
    `Scan ${diff.from.scanId} (${diff.from.at}) → scan ${diff.to.scanId} (${diff.to.at}): ${diff.added.length} added, ${diff.removed.length} gone, ${diff.unchanged} in both`,
    ...(diff.added.length ? ['', 'Added:', ...diff.added.map(line)] : []),
    ...(diff.removed.length ? ['', 'Gone:', ...diff.removed.map(line)] : []),
    '',
  ].join('\n');
}

export async function diffCommand(argv: string[], write: Write): Promise<void> {
  const { values, positionals } = parse(argv, {});
  if (positionals.length !== 2) throw new HistoryError('usage: nhiscan diff SCAN_A SCAN_B (scan ids from nhiscan history)');
  await withStore(values, async (db, store) => {
    const diff = await diffScans(db, positionals[0]!, positionals[1]!);
    write(values.json ? `${JSON.stringify({ store, ...diff }, null, 2)}\n` : renderDiff(diff));
  });
}
