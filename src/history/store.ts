/**
 * The history store as the CLI uses it: record a scan and compute the report's `history` section, or
 * open a store to read it back. Every failure is a HistoryError naming the store (never its password).
 */
import { SEVERITIES } from '../model/index.js';
import type { ScanReport } from '../report-model.js';
import { HistoryError, openDb, type Db } from './db.js';
import { migrate, schemaVersion, checkNotNewer, SCHEMA_VERSION } from './migrations.js';
import { trendOf, type FixTargets } from './query.js';
import { recordScan } from './record.js';
import { scanInputOf } from './scan-input.js';
import type { HistorySection, TimeToFix } from './section.js';
import { breachesOf, type ScanStats } from './stats.js';
import { describeTarget, type HistoryTarget } from './target.js';

/** How far back the report's trend and time-to-fix figures look. */
export const REPORT_WINDOW_DAYS = 90;

export interface HistorySettings {
  target: HistoryTarget;
  targets: FixTargets;
}

function emptyTimeToFix(): Record<(typeof SEVERITIES)[number], TimeToFix> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, { fixed: 0, meanDays: null, medianDays: null }])) as HistorySection['timeToFix'];
}

/**
 * Opens a store for the read commands: it must exist and be an nhiscan store. SQLite is read where it
 * is and never written: an older schema is migrated in a copy in a temporary file, never in the store,
 * and a store that cannot be opened where it is (a read-only CI artifact) is read from such a copy. A PostgreSQL store of an older schema is migrated in place (the upgrade its owner
 * runs, see notOwnerHint in src/history/migrations.ts).
 */
export async function openForRead(target: HistoryTarget): Promise<Db> {
  const store = describeTarget(target);
  let db = await openDb(target, { mustExist: true, readOnly: true });
  try {
    const version = await schemaVersion(db);
    if (version === 0) throw new HistoryError(`${store} holds no recorded scan (it is not an nhiscan history store yet)`);
    checkNotNewer(version, store);
    if (version < SCHEMA_VERSION && db.copyToTemporary) {
      db = await db.copyToTemporary();
      await migrate(db, store);
    } else if (version < SCHEMA_VERSION) {
      const writer = db;
      await writer.exclusive(() => migrate(writer, store));
    }
    return db;
  } catch (error) {
    await db.close().catch(() => {});
    throw wrap(error, store);
  }
}

function wrap(error: unknown, store: string): HistoryError {
  if (error instanceof HistoryError) return error;
  return new HistoryError(`the history store ${store} cannot be used: ${(error as Error).message}`);
}

export function sinceDaysBefore(at: string, days: number): string {
  return new Date(Date.parse(at) - days * 86_400_000).toISOString();
}

/** Records the scan and returns the report's history section; never throws: a store that fails gives `recorded: false`. */
export async function recordHistory(report: ScanReport, settings: HistorySettings, rulesHash: string): Promise<HistorySection> {
  const store = describeTarget(settings.target);
  let db: Db | undefined;
  try {
    db = await openDb(settings.target);
    const outcome = await recordScan(db, store, scanInputOf(report, rulesHash));
    const trend = await trendOf(db, { since: sinceDaysBefore(outcome.at, REPORT_WINDOW_DAYS), targets: settings.targets });
    const current = (await db.query<{ stats: string }>('SELECT stats FROM scans WHERE id = ?', [outcome.scanId]))[0];
    const stats = JSON.parse(current!.stats) as ScanStats;
    const c = outcome.counts;
    return {
      store,
      recorded: true,
      scanId: String(outcome.scanId),
      ...(outcome.previous
        ? {
            sinceLast: {
              previousScanId: String(outcome.previous.id),
              previousScanAt: outcome.previous.at,
              new: c.new,
              resolved: c.resolved,
              reopened: c.reopened,
              persisting: c.persisting,
              unknown: c.unknown,
            },
          }
        : {}),
      trend: trend.scans.map((s) => ({
        scanId: s.scanId,
        at: s.at,
        open: s.open,
        new: s.new,
        resolved: s.resolved,
        reopened: s.reopened,
        openBySeverity: s.openBySeverity,
      })),
      timeToFix: trend.timeToFix,
      breaches: breachesOf(stats, settings.targets).filter((b) => b.count > 0),
    };
  } catch (error) {
    return { store, recorded: false, error: wrap(error, store).message, trend: [], timeToFix: emptyTimeToFix(), breaches: [] };
  } finally {
    await db?.close().catch(() => {});
  }
}
