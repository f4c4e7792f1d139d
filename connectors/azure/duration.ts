/**
 * ISO 8601 durations as Key Vault rotation policies use them (`P90D`, `P1Y`, `P2Y6M`, `P4W`), in days.
 * Months count as 30 days and years as 365: close enough to compare against a day threshold.
 */
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;

export function durationDays(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = DURATION.exec(value.trim());
  if (!match || value.trim().length <= 1) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const days =
    (y as number) * 365 + (mo as number) * 30 + (w as number) * 7 + (d as number) + ((h as number) * 3600 + (mi as number) * 60 + (s as number)) / 86_400;
  return days;
}
