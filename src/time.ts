/** Date helpers: the model stores ISO 8601 UTC strings. */

const DAY_MS = 86_400_000;

/** Normalises a Date, epoch seconds, or any parseable date string to ISO 8601 UTC; undefined when absent or invalid. */
export function toIsoDate(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value < 1e11 ? value * 1000 : value);
  else if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^(n\/a|no_information|not_supported|none|null)$/i.test(trimmed)) return undefined;
    date = new Date(/^\d+$/.test(trimmed) ? Number(trimmed) * (trimmed.length <= 10 ? 1000 : 1) : trimmed);
  } else return undefined;
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Whole days from `iso` to `now` (positive when `iso` is in the past). */
export function daysSince(iso: string, now: Date): number {
  return Math.floor((now.getTime() - new Date(iso).getTime()) / DAY_MS);
}

/** Whole days from `now` until `iso` (negative when already past). */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((new Date(iso).getTime() - now.getTime()) / DAY_MS);
}

const STRICT_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A reference time given by a user (`--now`): an ISO 8601 date or date-time whose fields exist. Date
 * alone would roll `2026-02-31` over to March 3rd; a date-only value is midnight UTC. Undefined when
 * the value is not such a date.
 */
export function parseStrictIsoDate(value: string): Date | undefined {
  const match = STRICT_ISO.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', zone] = match;
  const y = Number(year),
    m = Number(month),
    d = Number(day);
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  // Date-only is midnight UTC; a date-time without an offset is read as UTC too (never the local zone).
  const date = new Date(!match[4] ? `${year}-${month}-${day}T00:00:00Z` : zone ? value.trim() : `${value.trim()}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
