/**
 * How one scan moves every finding's state, given what the store knew before it. Pure: rows in,
 * transitions out; src/history/record.ts reads and writes them.
 *
 * - present and never seen: new;
 * - present, and resolved before: reopened;
 * - present, and open or unknown before: persisting;
 * - absent, and every source it came from was fully covered in this scan: resolved;
 * - absent otherwise (a partial, failed or range-limited source, or one not scanned this time): unknown.
 *
 * The scan's findings are taken as they are (src/history/scan-input.ts) and what the store says of each
 * is kept in typed arrays beside them: the recorder meets every open finding on every scan, and an object or
 * a kept row per finding cost more (in the garbage collector mostly) than the comparison itself.
 */
import { goneMeansResolved, type Coverage } from '../coverage.js';
import type { Category, Severity } from '../model/index.js';
import type { RecordedFinding, ScanFindings } from './scan-input.js';

export type FindingState = 'open' | 'resolved' | 'unknown';

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

/** What a scan's finding is to the store. DUPLICATE: its fingerprint came earlier in the same scan (one fingerprint, one finding). */
export const DUPLICATE = 0;
export const NEW = 1;
export const REOPENED = 2;
export const PERSISTING = 3;

/** The scan's findings and, index for index, what the store knew of them. */
export interface Present {
  findings: ScanFindings;
  kind: Uint8Array;
  /** The finding's id in the store (new ones get the next free ids). */
  id: Float64Array;
  /** When its current open period began (ms): this scan for new and reopened findings. */
  openSinceMs: Float64Array;
  /** 1 for a persisting finding whose state was unknown. */
  wasUnknown: Uint8Array;
  /** 1 for a persisting or reopened finding whose stored facts differ from what this scan saw. */
  changed: Uint8Array;
  /** A new finding's facts id (FactsCatalog.idsOfNew); 0 for the others. */
  factsId: Int32Array;
  /** How many findings are DUPLICATE. */
  duplicates: number;
}

export interface GoneFinding {
  row: StoredFinding;
  /** `stays-unknown`: unknown before and still not provably fixed (no event). */
  to: 'resolved' | 'unknown' | 'stays-unknown';
}

export interface Transitions {
  present: Present;
  gone: GoneFinding[];
}

/**
 * Matches the store's findings to the scan's, one row at a time, so that the rows need not be kept:
 * `tracked` for each open or unknown finding, `resolved` for the resolved ones among `unmatched()`,
 * then `assignNewIds`.
 */
export class PresentMatcher {
  readonly present: Present;
  /** Fingerprint → its first finding: built when first needed (a first recording matches nothing). */
  private indexMap: Map<string, number> | undefined;
  private readonly atMs: number;
  private lastOpenSince = '';
  private lastOpenSinceMs = 0;
  /** The finding after the last one `tracked` matched: the likeliest match of the next row. */
  private next = 0;
  /** The last sources list compared and its JSON: consecutive findings mostly share one. */
  private lastSources: readonly string[] | undefined;
  private lastSourcesJson = '';
  private readonly sourcesJsonOf = (list: readonly string[]): string => {
    if (list !== this.lastSources) {
      this.lastSources = list;
      this.lastSourcesJson = sourcesJson(list);
    }
    return this.lastSourcesJson;
  };

  /** `storeHasFindings` false (a store's first recording): repeated fingerprints are found without the map. */
  constructor(at: string, findings: ScanFindings, storeHasFindings = true) {
    const n = findings.length;
    this.atMs = Date.parse(at);
    this.present = {
      findings,
      kind: new Uint8Array(n),
      id: new Float64Array(n),
      openSinceMs: new Float64Array(n).fill(this.atMs),
      wasUnknown: new Uint8Array(n),
      changed: new Uint8Array(n),
      factsId: new Int32Array(n),
      duplicates: 0,
    };
    const kind = this.present.kind.fill(NEW);
    this.present.duplicates = (storeHasFindings ? undefined : markRepeats(findings.items, kind)) ?? this.markRepeatsByIndex();
  }

  private get index(): Map<string, number> {
    if (this.indexMap) return this.indexMap;
    // One map operation a finding: from the last to the first, so that a repeated fingerprint ends at its first finding.
    const { items } = this.present.findings;
    const index = (this.indexMap = new Map<string, number>());
    for (let i = items.length - 1; i >= 0; i--) index.set(items[i]!.fingerprint, i);
    return index;
  }

  /** Marks DUPLICATE the findings whose fingerprint came earlier, by the map: only when it is short of findings is there a repeat to look for (rare). */
  private markRepeatsByIndex(): number {
    const { kind, findings } = this.present;
    const index = this.index;
    if (index.size < kind.length) for (let i = 0; i < kind.length; i++) if (index.get(findings.items[i]!.fingerprint) !== i) kind[i] = DUPLICATE;
    return kind.length - index.size;
  }

  /**
   * An open (`unknown` 0) or unknown (1) finding of the store; false when this scan did not see it.
   * The store's rows come mostly in id order (SQLite's by ORDER BY; PostgreSQL's packed read in heap
   * order, which updates move), and a scan's new findings take ids in the scan's order, so
   * a row is most often the finding after the last one matched: that one is compared first, and the
   * map is looked up only when it is not. Looking a fingerprint read from the store up in the map
   * hashes a new string (and compares it in memory far from the last): ~2 µs a row in a fresh
   * process, most of a daily recording's matching.
   */
  tracked(id: number, fingerprint: string, unknown: number, openSince: string, facts: FactsParts | undefined): boolean {
    const p = this.present;
    let i: number | undefined = this.next;
    if (i >= p.kind.length || p.kind[i] === DUPLICATE || p.findings.items[i]!.fingerprint !== fingerprint) i = this.index.get(fingerprint);
    if (i === undefined) return false;
    this.next = i + 1;
    p.kind[i] = PERSISTING;
    p.id[i] = id;
    p.wasUnknown[i] = unknown ? 1 : 0;
    // Rows of one scan's findings share their start: parse each run of equal starts once.
    if (openSince !== this.lastOpenSince) {
      this.lastOpenSince = openSince;
      this.lastOpenSinceMs = Date.parse(openSince);
    }
    p.openSinceMs[i] = this.lastOpenSinceMs;
    p.changed[i] = sameFacts(facts, p.findings, i, this.sourcesJsonOf) ? 0 : 1;
    return true;
  }

  /** Fingerprints of the findings no tracked row matched: new, unless the store has them resolved. */
  unmatched(): string[] {
    const out: string[] = [];
    const { kind, findings } = this.present;
    for (let i = 0; i < kind.length; i++) if (kind[i] === NEW) out.push(findings.items[i]!.fingerprint);
    return out;
  }

  /** A resolved finding of the store that this scan saw again. */
  resolved(id: number, fingerprint: string, facts: FactsParts | undefined): void {
    const i = this.index.get(fingerprint);
    if (i === undefined || this.present.kind[i] !== NEW) return;
    this.present.kind[i] = REOPENED;
    this.present.id[i] = id;
    this.present.changed[i] = sameFacts(facts, this.present.findings, i, this.sourcesJsonOf) ? 0 : 1;
  }

  /** Ids for the new findings, from `nextId` on; returns the present findings. */
  assignNewIds(nextId: number): Present {
    const { kind, id } = this.present;
    for (let i = 0; i < kind.length; i++) if (kind[i] === NEW) id[i] = nextId++;
    return this.present;
  }
}

/** Characters at a fingerprint's end that markRepeats hashes: a hex digest's 20 bits. */
const HASHED_TAIL = 5;

/**
 * Marks DUPLICATE the findings whose fingerprint came earlier and returns how many; undefined (nothing
 * marked) when the fingerprints' ends are too alike to tell them apart quickly. An open-addressing table
 * of finding indexes hashed on a few of the last characters, in one typed array: filling a Map of the
 * 55,578 fingerprints cost a first recording 20 to 30 ms in a fresh process, most of it in the map's
 * growth; the map is built only when a store has findings to match.
 */
function markRepeats(items: readonly RecordedFinding[], kind: Uint8Array): number | undefined {
  const n = items.length;
  const size = 2 ** Math.max(4, 32 - Math.clz32(2 * n));
  const mask = size - 1;
  /** A finding's index + 1; 0 is an empty slot. */
  const slots = new Int32Array(size);
  let repeats = 0;
  let probes = 0;
  for (let i = 0; i < n; i++) {
    const fingerprint = items[i]!.fingerprint;
    const end = fingerprint.length;
    // A character before the start is NaN, which ^ takes as 0.
    let hash = end;
    for (let c = 1; c <= HASHED_TAIL; c++) hash = Math.imul(hash ^ fingerprint.charCodeAt(end - c), 0x01000193);
    let at = (hash ^ (hash >>> 15)) & mask;
    for (;;) {
      const held = slots[at]!;
      if (held === 0) {
        slots[at] = i + 1;
        break;
      }
      if (items[held - 1]!.fingerprint === fingerprint) {
        kind[i] = DUPLICATE;
        repeats++;
        break;
      }
      at = (at + 1) & mask;
      if (++probes > 4 * n) return void kind.fill(NEW);
    }
  }
  return repeats;
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
  return isPlainSingle(sources) ? `["${sources[0]}"]` : JSON.stringify(sources);
}

/** One source that JSON writes as it is. */
function isPlainSingle(sources: readonly string[]): boolean {
  return sources.length === 1 && !/["\\\u0000-\u001f]/.test(sources[0]!);
}

/** What findings share that a scan can change (a finding_facts row's parts, src/history/facts.ts): compared with what the scan saw. */
export interface FactsParts {
  readonly severity: string;
  readonly category: string;
  /** 1 when suppressed, else 0. */
  readonly suppressed: number;
  /** The sources as stored: a JSON array (sourcesJson). */
  readonly sources: string;
  readonly owner: string | null;
}

/**
 * Whether `stored` (undefined: not known) are finding `i`'s facts as this scan saw them, part by part.
 * `sourcesJson` gives the JSON of a sources list (a resource's findings share one list, so it is built
 * once a list). Comparing parts costs a few identity checks a finding; walking a facts string built
 * by the database (startsWith at each part's place) cost ~100 ms of a daily recording's 55,578 in a
 * fresh process.
 */
export function sameFacts(
  stored: FactsParts | undefined,
  findings: ScanFindings,
  i: number,
  sourcesJsonOf: (list: readonly string[]) => string = sourcesJson,
): boolean {
  if (stored === undefined) return false;
  const f = findings.items[i]!;
  return (
    f.severity === stored.severity &&
    f.category === stored.category &&
    (f.suppressed ? 1 : 0) === stored.suppressed &&
    findings.owner[i] === stored.owner &&
    sourcesJsonOf(findings.sources[i]!) === stored.sources
  );
}

export const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / DAY_MS);
}
