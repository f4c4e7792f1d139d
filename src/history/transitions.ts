/**
 * How one scan moves every finding's state, given what the store knew before it. Pure: rows in,
 * transitions out; src/history/record.ts reads and writes them.
 *
 * - present and never seen: new;
 * - present, and resolved before: reopened;
 * - present, and open or unknown before: persisting;
 * - absent, and every source it came from was fully covered in this scan: resolved;
 * - absent otherwise (a partial, failed or range-limited source, or one not scanned this time): unknown.
 */
import { goneMeansResolved, type Coverage } from '../coverage.js';
import type { Category, Severity } from '../model/index.js';
import type { FindingInput } from './scan-input.js';

export type FindingState = 'open' | 'resolved' | 'unknown';

/** A finding as the store holds it. */
export interface TrackedFinding {
  id: number;
  fingerprint: string;
  rule_id: string;
  category: Category;
  severity: Severity;
  provider: string;
  owner: string | null;
  /** JSON array of source specs. */
  sources: string;
  suppressed: number;
  state: FindingState;
  open_since: string;
}

export interface PresentFinding {
  input: FindingInput;
  id: number;
  kind: 'new' | 'reopened' | 'persisting';
  /** When its current open period began: this scan for new and reopened findings. */
  openSince: string;
  before?: TrackedFinding;
}

export interface GoneFinding {
  row: TrackedFinding;
  /** `stays-unknown`: unknown before and still not provably fixed (no event). */
  to: 'resolved' | 'unknown' | 'stays-unknown';
}

export interface Transitions {
  present: PresentFinding[];
  gone: GoneFinding[];
}

/**
 * `tracked`: the open and unknown findings before this scan; `resolvedBefore`: the resolved findings of
 * the store among this scan's fingerprints; `nextId`: the first free finding id.
 */
export function transitionsOf(
  at: string,
  findings: FindingInput[],
  tracked: ReadonlyMap<string, TrackedFinding>,
  resolvedBefore: ReadonlyMap<string, TrackedFinding>,
  coverage: Coverage,
  nextId: number,
): Transitions {
  const present: PresentFinding[] = [];
  const seen = new Set<string>();
  for (const input of findings) {
    if (seen.has(input.fingerprint)) continue; // one fingerprint, one finding (a report never repeats one; a hand-built input might)
    seen.add(input.fingerprint);
    const open = tracked.get(input.fingerprint);
    const closed = resolvedBefore.get(input.fingerprint);
    if (open) present.push({ input, id: open.id, kind: 'persisting', openSince: open.open_since, before: open });
    else if (closed) present.push({ input, id: closed.id, kind: 'reopened', openSince: at, before: closed });
    else present.push({ input, id: nextId++, kind: 'new', openSince: at });
  }
  const gone: GoneFinding[] = [];
  for (const row of tracked.values()) {
    if (seen.has(row.fingerprint)) continue;
    const resolved = goneMeansResolved(JSON.parse(row.sources) as string[], coverage);
    gone.push({ row, to: resolved ? 'resolved' : row.state === 'unknown' ? 'stays-unknown' : 'unknown' });
  }
  return { present, gone };
}

/** How a finding's sources are stored: a JSON array (one source, the common case, without the serialiser). */
export function sourcesJson(sources: readonly string[]): string {
  return sources.length === 1 && !/["\\\u0000-\u001f]/.test(sources[0]!) ? `["${sources[0]}"]` : JSON.stringify(sources);
}

/** Whether a present finding's stored facts differ from what this scan saw. */
export function attributesChanged(present: PresentFinding): boolean {
  const { before, input } = present;
  if (!before) return false;
  return (
    before.severity !== input.severity ||
    before.category !== input.category ||
    before.owner !== input.owner ||
    before.sources !== sourcesJson(input.sources) ||
    Boolean(before.suppressed) !== input.suppressed
  );
}

export const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / DAY_MS);
}
