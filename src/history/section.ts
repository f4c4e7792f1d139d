/**
 * What a report carries when the scan was written with history on (`--history`). The history
 * store fills it in; every reporter (JSON, Markdown, HTML) renders it when present and stays
 * silent when absent, so reports without history are unchanged.
 *
 * This file is the contract between the history store (which computes it) and the reporters
 * (which only render it); keep it type-only.
 */
import type { Severity } from '../model/index.js';

/** How the findings of this scan compare with the previous recorded scan. */
export interface SinceLastScan {
  previousScanId: string;
  previousScanAt: string;
  new: number;
  /** Gone from a source that was fully covered in this scan. */
  resolved: number;
  /** Seen before, resolved, and back again. */
  reopened: number;
  persisting: number;
  /** Gone, but from a source that was partial, failed or out of range: neither open nor fixed. */
  unknown: number;
}

/** One recorded scan as a point on the trend charts. */
export interface TrendPoint {
  scanId: string;
  at: string;
  open: number;
  new: number;
  resolved: number;
  reopened: number;
  openBySeverity: Record<Severity, number>;
}

export interface TimeToFix {
  /** Findings resolved in the window, and their mean and median days open; null when none. */
  fixed: number;
  meanDays: number | null;
  medianDays: number | null;
}

export interface HistorySection {
  /** The store, as a user can recognise it; never a password. */
  store: string;
  /** False when the store could not be written (the scan still wrote its reports and exits 3). */
  recorded: boolean;
  /** Why it was not recorded, already scrubbed of credentials. */
  error?: string;
  scanId?: string;
  /** Absent on the first recorded scan. */
  sinceLast?: SinceLastScan;
  /** Oldest first; includes this scan when it was recorded. */
  trend: TrendPoint[];
  timeToFix: Record<Severity, TimeToFix>;
  /** Open findings older than the configured fix-time target of their severity. */
  breaches: Array<{ severity: Severity; targetDays: number; count: number }>;
}
