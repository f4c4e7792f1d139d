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

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
