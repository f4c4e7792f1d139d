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

/**
 * What the recorder reads of every open or unknown finding on every scan: little, and kept as the
 * array the driver returns (no object per finding), so that the read costs a fraction of the scan.
 * The attributes a scan can change travel as one string, `facts`, which the database builds from
 * the columns (src/history/record.ts) and `factsOf` builds from what a scan saw.
 */
/** `unknown`: 1 when the finding's state is unknown (gone from a source not fully covered), else 0. */
export type TrackedFinding = readonly [id: number, fingerprint: string, unknown: 0 | 1, openSince: string, facts: string];
export const ID = 0;
export const FINGERPRINT = 1;
export const UNKNOWN = 2;
export const OPEN_SINCE = 3;
export const FACTS = 4;

/** A finding with the columns the statistics group by: read only for the findings that are gone. */
export interface StoredFinding {
  id: number;
  state: FindingState;
  open_since: string;
  rule_id: string;
  category: Category;
  severity: Severity;
  provider: string;
  owner: string | null;
  /** JSON array of source specs. */
  sources: string;
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
  row: StoredFinding;
  /** `stays-unknown`: unknown before and still not provably fixed (no event). */
  to: 'resolved' | 'unknown' | 'stays-unknown';
}

export interface Transitions {
  present: PresentFinding[];
  gone: GoneFinding[];
}

/**
 * The findings this scan saw, and the ids of the tracked ones it did not see. `known[i]`: the open or
 * unknown finding of `findings[i]`'s fingerprint before this scan; `tracked`: all of those;
 * `resolvedBefore`: the resolved findings of the store among this scan's other fingerprints;
 * `nextId`: the first free finding id.
 */
export function presentOf(
  at: string,
  findings: readonly FindingInput[],
  known: ReadonlyArray<TrackedFinding | undefined>,
  tracked: readonly TrackedFinding[],
  resolvedBefore: ReadonlyMap<string, TrackedFinding>,
  nextId: number,
): { present: PresentFinding[]; unseenIds: number[] } {
  const present: PresentFinding[] = [];
  // Known findings seen, by id (ids are dense, below nextId): a flag each instead of a set of 50,000 strings.
  const seen = new Uint8Array(nextId);
  const newSeen = new Set<string>();
  for (let i = 0; i < findings.length; i++) {
    const input = findings[i]!;
    const open = known[i];
    const closed = open ? undefined : resolvedBefore.get(input.fingerprint);
    const before = open ?? closed;
    // One fingerprint, one finding (a report never repeats one; a hand-built input might).
    if (before ? seen[before[ID]] : newSeen.has(input.fingerprint)) continue;
    if (before) seen[before[ID]] = 1;
    else newSeen.add(input.fingerprint);
    if (open) present.push({ input, id: open[ID], kind: 'persisting', openSince: open[OPEN_SINCE], before: open });
    else if (closed) present.push({ input, id: closed[ID], kind: 'reopened', openSince: at, before: closed });
    else present.push({ input, id: nextId++, kind: 'new', openSince: at });
  }
  const unseenIds: number[] = [];
  for (const row of tracked) if (!seen[row[ID]]) unseenIds.push(row[ID]);
  return { present, unseenIds };
}

/** Where each tracked finding this scan did not see goes: resolved only when all its sources were fully covered. */
export function goneOf(rows: readonly StoredFinding[], coverage: Coverage): GoneFinding[] {
  return rows.map((row) => {
    const resolved = goneMeansResolved(JSON.parse(row.sources) as string[], coverage);
    return { row, to: resolved ? 'resolved' : row.state === 'unknown' ? 'stays-unknown' : 'unknown' };
  });
}

/** How a finding's sources are stored: a JSON array (one source, the common case, without the serialiser). */
export function sourcesJson(sources: readonly string[]): string {
  return sources.length === 1 && !/["\\\u0000-\u001f]/.test(sources[0]!) ? `["${sources[0]}"]` : JSON.stringify(sources);
}

/** The unit separator: JSON escapes it, so it never appears inside the sources. */
export const FACTS_SEPARATOR = '\u001f';

/** `facts` of a finding as a scan saw it; the same string as the SQL in src/history/record.ts builds from the columns. */
export function factsOf(input: FindingInput): string {
  const s = FACTS_SEPARATOR;
  return `${input.severity}${s}${input.category}${s}${input.suppressed ? 1 : 0}${s}${sourcesJson(input.sources)}${s}${input.owner === null ? '-' : `=${input.owner}`}`;
}

/** Whether a present finding's stored facts differ from what this scan saw. */
export function attributesChanged(present: PresentFinding): boolean {
  return present.before !== undefined && present.before[FACTS] !== factsOf(present.input);
}

export const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / DAY_MS);
}
