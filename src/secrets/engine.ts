/**
 * The scanning engine: keyword prefilter → candidate windows → confirming regexes → validators →
 * ignores/allowlists → overlap resolution. Pure and synchronous, so it runs unchanged in worker threads.
 *
 * Cost model: one Aho-Corasick pass over the text, then for each detector whose keywords occurred,
 * its regex runs over the union of its windows (each character at most once per detector). Windows
 * are capped in characters, so a 5 MB minified line is never handed whole to a regex unless keywords
 * occur all along it.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { Severity } from '../model/index.js';
import { secretHash } from '../redact.js';
import type { Confidence, DetectorDef, DetectorFamily, KeywordContext, Verdict } from './detector.js';
import { DETECTORS } from './detectors/index.js';
import { INLINE_IGNORE, NEXT_LINE_IGNORE, pathAllowlisted } from './ignore.js';
import { KeywordMatcher } from './keywords.js';
import { LineIndex } from './lines.js';
import { isBundledPath, isMinifiablePath, isTestPath, isVendoredPath, MINIFIED_LINE_CHARS } from './paths.js';
import type { Assurance, KeywordHits, ScanBytesOptions, ScanBytesResult, ScanTextOptions, SecretHit } from './types.js';
import { deriveKeywordHits } from './delta-hits.js';
import { regexReach, type RegexReach } from './regex-reach.js';
import { unitsToString, utf16Units } from './utf16-units.js';
import { PairList } from './pair-list.js';
import { keystoreHits } from './keystores.js';
import {
  DEFAULT_MIN_ENTROPY,
  DEFAULT_MIN_ENTROPY_LENGTH,
  isCodeValue,
  isEmailAddress,
  isEncodedStandIn,
  isPlaceholder,
  shannonEntropy,
} from './value-checks.js';

/** Default characters of context either side of a keyword hit (long lines are cut to this). */
export const DEFAULT_WINDOW_CHARS = 2048;
/** Keyword hits closer than this merge into one span (their windows would overlap anyway). */
const MERGE_GAP = 1024;
/** Bytes either side of a hit that inline-ignore markers are looked for on its line. */
const MARKER_REACH = 4096;

const FAMILY_PRIORITY: Record<DetectorFamily, number> = {
  'cloud-key': 60,
  'private-key': 55,
  'structured-token': 50,
  manifest: 45,
  contextual: 40,
  jwt: 30,
  'url-credential': 25,
  generic: 10,
};
/** Families whose shape is specific enough that a rejected look-alike must not resurface as a generic hit. */
const SHAPE_FAMILIES = new Set<DetectorFamily>(['structured-token', 'cloud-key', 'private-key', 'jwt']);
/** Families whose values get the shared placeholder check (`sk_live_xxxx…`). */
const PLACEHOLDER_FAMILIES = new Set<DetectorFamily>(['structured-token', 'cloud-key', 'contextual']);
/**
 * Families whose value is whatever stands after a name or inside a URL: it must be a literal, not code
 * (`$3`, `$(cmd)`, `$self->x`, `%VAR%`, `{{ x }}`, `.value.object=`), and not a stand-in.
 */
const VALUE_FAMILIES = new Set<DetectorFamily>(['generic', 'url-credential', 'contextual', 'manifest']);
/** Families whose validator's `high` confidence means the structure was proven (checksum, decoding, key parse). */
const VALIDATING_FAMILIES = new Set<DetectorFamily>(['structured-token', 'cloud-key', 'private-key', 'jwt', 'manifest']);
/** Characters after a value that tell whether an unquoted value continues as an expression. */
const AFTER_VALUE_CHARS = 3;
/** Families whose confidence drops one step in test/example/doc paths (generic does its own scoring). */
const PATH_SENSITIVE = new Set<DetectorFamily>(['contextual', 'url-credential', 'manifest']);

interface CompiledDetector {
  def: DetectorDef;
  re: RegExp;
  /** Anchored detectors: the pattern with the sticky flag, and the run-character table. */
  sticky?: RegExp;
  anchor?: Anchor;
  /** How far the sticky pattern reads around an anchor (undefined: no bound known). */
  stickyReach?: RegexReach;
  priority: number;
  linesBefore: number;
  linesAfter: number;
  charsBefore: number;
  charsAfter: number;
}

/** What one scan knows about the file it reads, shared by every detector's confirmations. */
interface FileScope {
  path: string | undefined;
  testPath: boolean;
  lines: LineIndex;
  /** Vendored or bundled by path. */
  foreignPath: boolean;
  /** Bundler output by content (asked only when a skipForeignCode detector matched). */
  bundle: () => boolean;
  /** A script or page: a very long line there is minified. */
  minifiable: boolean;
}

/** Bundler runtimes that mark a file as bundler output wherever it is and whatever its name. */
const BUNDLE_MARKERS = ['__webpack_require__', 'webpackJsonp', 'webpackChunk', 'parcelRequire'];
const BUNDLE_MARKER = new RegExp(BUNDLE_MARKERS.join('|'));
const WEBPACK_MARKERS = BUNDLE_MARKERS.filter((marker) => marker.includes('webpack'));

/**
 * Whether a file's bytes hold a bundler marker. Asked of every file where a generic detector matched, over
 * its whole length: two searches (`webpack`, which every webpack marker holds, then `parcelRequire`)
 * instead of four, since most files hold neither (the four took ~12% of a history scan's worker CPU).
 */
function holdsBundleMarker(buffer: Buffer): boolean {
  if (buffer.includes('webpack') && WEBPACK_MARKERS.some((marker) => buffer.includes(marker))) return true;
  return buffer.includes('parcelRequire');
}

/**
 * Keywords the prefilter also looks for, owned by no detector (so they never trigger one): every bundle
 * marker holds one of them. A large file's bundler markers are then read off its keyword hits, which a
 * history scan carries from one version of a file to the next, instead of searched for over the whole
 * file each time a generic detector matches in it (~6% of the workers' CPU on redis's history).
 */
const MARKER_KEYWORDS = ['webpack', 'parcelrequire'] as const;

/** Whether the bytes at a `webpack` or `parcelrequire` keyword hit (keyword at [start, end)) are one of BUNDLE_MARKERS, case and all. */
function markerAt(buffer: Buffer, keyword: (typeof MARKER_KEYWORDS)[number], start: number): boolean {
  return BUNDLE_MARKERS.some((marker) => {
    const at = marker.toLowerCase().indexOf(keyword);
    return at >= 0 && bytesAre(buffer, start - at, marker);
  });
}

/** Whether `buffer` holds exactly `text` (ASCII) at `from`. */
function bytesAre(buffer: Buffer, from: number, text: string): boolean {
  if (from < 0 || from + text.length > buffer.length) return false;
  for (let i = 0; i < text.length; i++) if (buffer[from + i] !== text.charCodeAt(i)) return false;
  return true;
}

interface Candidate {
  hit: SecretHit;
  start: number;
  end: number;
  priority: number;
  family: DetectorFamily;
  /** Allowlisted or ignored: takes part in overlap resolution, then is left out of the result. */
  suppressed: boolean;
}

function compile(def: DetectorDef): CompiledDetector {
  const flags = new Set([...def.pattern.flags, 'g', 'd']);
  flags.delete('y');
  const w = def.window ?? {};
  let anchor: Anchor | undefined;
  let sticky: RegExp | undefined;
  if (def.anchor) {
    const cls = new RegExp(`[${def.anchor.runChars}]`);
    const inRun = new Uint8Array(128);
    for (let c = 0; c < 128; c++) inRun[c] = cls.test(String.fromCharCode(c)) ? 1 : 0;
    anchor = { inRun, reach: def.anchor.reach };
    sticky = new RegExp(def.pattern.source, [...flags].filter((f) => f !== 'g').join('') + 'y');
  }
  return {
    def,
    anchor,
    sticky,
    stickyReach: sticky && regexReach(sticky.source, sticky.flags),
    re: new RegExp(def.pattern.source, [...flags].join('')),
    priority: def.priority ?? FAMILY_PRIORITY[def.family],
    linesBefore: w.linesBefore ?? 0,
    linesAfter: w.linesAfter ?? 0,
    charsBefore: w.charsBefore ?? DEFAULT_WINDOW_CHARS,
    charsAfter: w.charsAfter ?? DEFAULT_WINDOW_CHARS,
  };
}

/**
 * A scanner over a fixed detector list. The default instance uses every built-in detector.
 *
 * A detector's regexes and its keywords' byte-level checks are built when a keyword of its first
 * occurs, not at construction: a small scan (a pre-commit hook's few files) wakes a handful of the
 * catalogue's hundreds of detectors, and building them all was a tenth of its start-up.
 */
export class SecretScanner {
  /** detector index → its compiled form, once one of its keywords has occurred */
  private readonly compiled: Array<CompiledDetector | undefined>;
  private readonly matcher: KeywordMatcher;
  /** keyword index → detector indices */
  private readonly keywordOwners: number[][];
  private readonly kwLengths: number[];
  private readonly longestKeyword: number;
  /** keywordHitsOf's list, reused: a fresh one per text was 4 KB (1,024 int32) of young garbage for every version of a file. */
  private readonly hitScratch = new PairList(1024);
  /** Indices of MARKER_KEYWORDS, in that order. */
  private readonly markerKeywords: number[];
  /**
   * keyword index → the byte-level context checks of its owners, or null when one owner has none;
   * undefined until the keyword first occurs.
   */
  private readonly keywordChecks: Array<ContextCheck[] | null | undefined>;
  /** detector index → its keywordContext as a byte-level check (null: none), once built. */
  private readonly detectorChecks: Array<ContextCheck | null | undefined>;
  /** detector index → its place in the list keywordSpans is building (−1 between calls). */
  private readonly spanSlots: Int32Array;

  /** The hit cap of the file being scanned (ScanBytesOptions.maxHitsPerDetector), if any. */
  /** The file's hit cap; `kept` (hits kept per detector) is made at the first hit: most files have none. */
  private budget: { max: number; kept: Map<string, number> | undefined; overCap: number } | undefined;
  /** A path rule dropped a candidate of the file being scanned (ScanBytesResult.droppedByPath). */
  private droppedByPath = false;
  private readonly noteDroppedByPath = (): void => {
    this.droppedByPath = true;
  };

  constructor(readonly detectors: readonly DetectorDef[]) {
    const ids = new Set<string>();
    for (const d of detectors) {
      if (ids.has(d.id)) throw new Error(`duplicate detector id ${d.id}`);
      ids.add(d.id);
      if (d.keywords.length === 0) throw new Error(`detector ${d.id} has no keywords`);
    }
    this.compiled = new Array<CompiledDetector | undefined>(detectors.length);
    const keywordIndex = new Map<string, number>();
    this.keywordOwners = [];
    detectors.forEach((d, di) => {
      for (const raw of d.keywords) {
        const kw = raw.toLowerCase();
        let ki = keywordIndex.get(kw);
        if (ki === undefined) {
          ki = keywordIndex.size;
          keywordIndex.set(kw, ki);
          this.keywordOwners.push([]);
        }
        if (!this.keywordOwners[ki]!.includes(di)) this.keywordOwners[ki]!.push(di);
      }
    });
    for (const marker of MARKER_KEYWORDS) {
      if (!keywordIndex.has(marker)) {
        keywordIndex.set(marker, keywordIndex.size);
        this.keywordOwners.push([]);
      }
    }
    this.markerKeywords = MARKER_KEYWORDS.map((marker) => keywordIndex.get(marker)!);
    this.matcher = new KeywordMatcher([...keywordIndex.keys()]);
    this.kwLengths = this.matcher.keywords.map((k) => k.length);
    this.longestKeyword = Math.max(...this.kwLengths);
    this.keywordChecks = new Array<ContextCheck[] | null | undefined>(this.keywordOwners.length);
    this.detectorChecks = new Array<ContextCheck | null | undefined>(detectors.length);
    this.spanSlots = new Int32Array(detectors.length).fill(-1);
  }

  /** Detector `di` compiled (its regexes built on first use). */
  private compiledAt(di: number): CompiledDetector {
    return (this.compiled[di] ??= compile(this.detectors[di]!));
  }

  /** The context checks of keyword `ki`'s owners, or null when one owner has none (built on first use). */
  private checksOf(ki: number): ContextCheck[] | null {
    let checks = this.keywordChecks[ki];
    if (checks === undefined) {
      const owners = this.keywordOwners[ki]!.map((di) => {
        const context = this.detectors[di]!.keywordContext;
        return (this.detectorChecks[di] ??= context ? contextCheck(context) : null);
      });
      checks = this.keywordChecks[ki] = owners.some((check) => check === null) ? null : (owners as ContextCheck[]);
    }
    return checks;
  }

  scan(text: string, options: ScanTextOptions = {}): SecretHit[] {
    if (text.length === 0 || pathAllowlisted(options.path, options.allowlist)) return [];
    const found = this.detect(text, options, (onHit) => this.matcher.scan(text, onHit));
    return found ? finish(found.candidates, found.rejectedShapes) : [];
  }

  /**
   * Scans a file's bytes, decoding as the git and dir sources do: UTF-8, or Latin-1 when the bytes are
   * not valid UTF-8 (`nonUtf8`). Same hits as `scan(decoded text)`, but cheaper on large files: V8 puts
   * every string over 128 KiB in its large-object space, and creating one costs ~5 ns per byte (more than
   * the whole scan). So when each byte is one character (ASCII, or Latin-1) and the file is large, the
   * prefilter runs on the bytes themselves, and only the segments holding keywords are decoded, as
   * strings under that size, overlapping by more than any detector looks around a match (window,
   * pattern and validator reach), each one owning the candidates that start in its core. A file with no
   * keyword at all is never decoded.
   */
  scanBytes(bytes: Uint8Array, options: ScanBytesOptions = {}): ScanBytesResult {
    this.droppedByPath = false; // the scan is synchronous: set by this file's scan only
    const result = this.scanBytesCapped(bytes, options);
    return this.droppedByPath ? { ...result, droppedByPath: true } : result;
  }

  private scanBytesCapped(bytes: Uint8Array, options: ScanBytesOptions): ScanBytesResult {
    if (options.maxHitsPerDetector === undefined || this.budget) return this.scanBytesUncapped(bytes, options);
    // The cap holds for the whole file, across its segments; the scan is synchronous, so one field will do.
    this.budget = { max: options.maxHitsPerDetector, kept: undefined, overCap: 0 };
    try {
      const result = this.scanBytesUncapped(bytes, options);
      return this.budget.overCap ? { ...result, hitsOverCap: this.budget.overCap } : result;
    } finally {
      this.budget = undefined;
    }
  }

  private scanBytesUncapped(bytes: Uint8Array, options: ScanBytesOptions): ScanBytesResult {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const allowlisted = pathAllowlisted(options.path, options.allowlist);
    const keystore = keystoreHits(buffer, options);
    if (keystore) {
      if (allowlisted && !keystore.length) this.droppedByPath = true;
      return { hits: keystore, nonUtf8: false };
    }
    const nonUtf8 = !isUtf8(buffer);
    // Multi-byte UTF-8: segments without any non-ASCII byte are handled like ASCII files; the others are
    // decoded as UTF-8 and prefiltered on their own, and their offsets mapped back to bytes.
    const multiByte = !nonUtf8 && !isAscii(buffer);

    // Keyword hits of the whole file as (keyword, end) pairs, in text order: given (derived from the
    // file this one is a delta of), or found now; then those whose surroundings rule out every owner's
    // match dropped (keywordContext). A file with no keyword left is never decoded.
    const keywordHits = options.keywordHits ?? this.keywordHitsOf(buffer);
    const { pairs, length: listed } = keywordHits.overflow ? keywordHits : this.plausibleHits(buffer, keywordHits);
    const listedHits: ListedHits = { pairs, listed, overflow: keywordHits.overflow };
    if (listed === 0 && !listedHits.overflow) return { hits: [], nonUtf8, keywordHits };
    if (allowlisted) {
      this.droppedByPath = true; // keywords, at a path the allowlist skips: the same content elsewhere may hold hits
      return { hits: [], nonUtf8, keywordHits };
    }
    if (multiByte && buffer.length <= SEGMENT_CHARS) {
      const text = this.utf8TextToScan(buffer, 0, buffer.length, options);
      return { hits: text === undefined ? [] : this.scan(text, options), nonUtf8, keywordHits };
    }
    if (buffer.length <= SEGMENT_CHARS) return { hits: this.scanOneSegment(buffer, options, listedHits), nonUtf8, keywordHits };
    return { hits: this.scanSegments(buffer, options, listedHits, multiByte, keywordHits), nonUtf8, keywordHits };
  }

  /** One segment, one byte per character: the listed hits are the text's hits, offsets unchanged. */
  private scanOneSegment(buffer: Buffer, options: ScanBytesOptions, { pairs, listed, overflow }: ListedHits): SecretHit[] {
    const listedFeed = (onHit: (keyword: number, end: number) => void) => {
      for (let k = 0; k < listed; k += 2) onHit(pairs[k]!, pairs[k + 1]!);
    };
    if (!overflow && !this.anyMatchInBytes(buffer, options, listedFeed)) return [];
    const text = buffer.toString('latin1');
    const found = this.detect(text, options, overflow ? (onHit) => this.matcher.scan(text, onHit) : listedFeed);
    return found ? finish(found.candidates, found.rejectedShapes) : [];
  }

  /**
   * A large file, segment by segment: each owns the hits that start in its core and reads a margin past
   * it, so a secret across a core boundary is whole in the segment that owns it. A segment with no
   * keyword is never decoded.
   */
  private scanSegments(buffer: Buffer, options: ScanBytesOptions, listedHits: ListedHits, multiByte: boolean, keywordHits: KeywordHits): SecretHit[] {
    const candidates: Candidate[] = [];
    const rejectedShapes: Array<[number, number]> = [];
    const lines = new ByteLines(buffer, multiByte);
    // Bundler output is a property of the whole file, which no segment holds: asked of the bytes, once.
    let bundle: boolean | undefined;
    const isBundle = (): boolean => (bundle ??= keywordHits.overflow ? holdsBundleMarker(buffer) : this.hitsHoldMarker(buffer, keywordHits));
    const cursor = { first: 0 }; // first keyword hit that may fall in the current segment
    for (let coreStart = 0; coreStart < buffer.length; coreStart += SEGMENT_CORE) {
      const segment: Segment = {
        coreStart,
        coreEnd: Math.min(buffer.length, coreStart + SEGMENT_CORE),
        start: segmentStart(buffer, coreStart, multiByte),
        end: 0,
        utf8: false,
      };
      segment.end = charBoundary(buffer, Math.min(buffer.length, segment.coreEnd + SEGMENT_AFTER), multiByte);
      segment.utf8 = multiByte && !isAscii(buffer.subarray(segment.start, segment.end));
      let text = '';
      const feed = this.segmentFeed(buffer, () => text, segment, listedHits, cursor);
      if (!feed) continue; // no keyword in this segment: never decoded
      // Nor with no match.
      const decoded = segment.utf8 ? this.utf8TextToScan(buffer, segment.start, segment.end, options) : undefined;
      if (segment.utf8 ? decoded === undefined : !this.anyMatchInBytes(buffer.subarray(segment.start, segment.end), options, feed)) continue;
      text = decoded ?? buffer.toString('latin1', segment.start, segment.end);
      const found = this.detect(text, options, feed, isBundle);
      if (found) ownedFindings(found, text, segment, lines, candidates, rejectedShapes);
    }
    return finish(candidates, rejectedShapes);
  }

  /** How a segment's keyword hits reach `detect` (`textOf` is the segment's text once decoded): undefined when it has none. */
  private segmentFeed(
    buffer: Buffer,
    textOf: () => string,
    segment: Segment,
    { pairs, listed, overflow }: ListedHits,
    cursor: { first: number },
  ): ((onHit: (keyword: number, end: number) => void) => void) | undefined {
    const { start, end } = segment;
    if (segment.utf8) return this.hasKeywordIn(pairs, listed, overflow, start, end) ? (onHit) => this.matcher.scan(textOf(), onHit) : undefined;
    if (overflow) return (onHit) => this.matcher.scanBytes(buffer.subarray(start, end), onHit);
    while (cursor.first < listed && pairs[cursor.first + 1]! <= start) cursor.first += 2; // ends are in order
    const from = cursor.first;
    let last = from;
    while (last < listed && pairs[last + 1]! <= end) last += 2;
    if (last === from) return undefined;
    const kwLengths = this.kwLengths;
    return (onHit) => {
      for (let k = from; k < last; k += 2) {
        const ki = pairs[k]!,
          at = pairs[k + 1]! - start;
        if (at >= kwLengths[ki]!) onHit(ki, at); // the keyword starts inside the segment
      }
    };
  }

  /**
   * Every keyword occurrence in `bytes` (one byte per character) as (keyword, end) pairs in the
   * matcher's order. Past MAX_LISTED_HITS the list stops and says so (`overflow`): a hostile file with
   * a keyword every few bytes then gets a prefilter per segment instead of a huge list.
   */
  keywordHitsOf(bytes: Uint8Array): KeywordHits {
    const list = this.hitScratch;
    list.length = 0;
    this.hitsOverflowed = false;
    this.matcher.scanBytes(bytes, this.listHit);
    return { pairs: list.pairs.slice(0, Math.max(2, list.length)), length: list.length, overflow: this.hitsOverflowed };
  }

  /** keywordHitsOf's callback, made once (a closure per text was young garbage too). */
  private hitsOverflowed = false;
  private readonly listHit = (ki: number, end: number): void => {
    if (this.hitsOverflowed) return;
    if (this.hitScratch.length >= MAX_LISTED_HITS * 2) this.hitsOverflowed = true;
    else this.hitScratch.push(ki, end);
  };

  /** Whether the file's keyword hits (every one, not overflowed) include a bundle marker: holdsBundleMarker, without a search. */
  private hitsHoldMarker(buffer: Buffer, { pairs, length }: KeywordHits): boolean {
    const [webpack, parcel] = this.markerKeywords;
    for (let k = 0; k < length; k += 2) {
      const ki = pairs[k]!;
      if (ki !== webpack && ki !== parcel) continue;
      const keyword = ki === webpack ? 'webpack' : 'parcelrequire';
      if (markerAt(buffer, keyword, pairs[k + 1]! - keyword.length)) return true;
    }
    return false;
  }

  /** The hits some owner's match could start from (all of them when no owner has a keywordContext). */
  private plausibleHits(bytes: Uint8Array, hits: KeywordHits): { pairs: Int32Array; length: number } {
    const { pairs, length } = hits;
    const checks = this.keywordChecks;
    let kept: Int32Array | undefined;
    let n = 0;
    for (let k = 0; k < length; k += 2) {
      const ki = pairs[k]!,
        end = pairs[k + 1]!;
      const cached = checks[ki];
      const owners = cached === undefined ? this.checksOf(ki) : cached;
      let keep = owners === null;
      if (owners !== null) {
        const start = end - this.kwLengths[ki]!;
        for (let o = 0; o < owners.length && !keep; o++) keep = owners[o]!(bytes, start, end);
      }
      if (keep) {
        if (kept) {
          kept[n++] = ki;
          kept[n++] = end;
        } else n += 2; // unchanged so far: no copy yet
      } else if (!kept) {
        kept = new Int32Array(length);
        kept.set(pairs.subarray(0, n));
      }
    }
    return kept ? { pairs: kept, length: n } : { pairs, length };
  }

  /**
   * The keyword hits of a file built from another by a git delta, from the other file's hits: those
   * lying wholly inside a copied range move with it, and only the inserted bytes and the seams between
   * instructions (widened by the longest keyword) are walked again. Exactly `keywordHitsOf(content)`,
   * for a fraction of the work: most versions of a file copy nearly all of the previous one.
   * `rewalkedShare`: past this share of the result walked again, the prefilter walks all of it (delta-hits.ts).
   */
  keywordHitsAfterDelta(base: KeywordHits, content: Uint8Array, copies: Int32Array, copyCount: number, rewalkedShare?: number): KeywordHits {
    if (base.overflow) return this.keywordHitsOf(content);
    const { matcher, kwLengths, longestKeyword } = this;
    return (
      deriveKeywordHits(base, content, copies, copyCount, matcher, kwLengths, longestKeyword, MAX_LISTED_HITS * 2, rewalkedShare) ?? this.keywordHitsOf(content)
    );
  }

  /** True when a listed keyword hit ends inside [from, to] (always true once the list overflowed). */
  private hasKeywordIn(hits: Int32Array, listed: number, overflow: boolean, from: number, to: number): boolean {
    if (overflow) return true;
    let lo = 0,
      hi = listed >> 1; // first hit ending after `from` (ends are in order)
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hits[2 * mid + 1]! <= from) lo = mid + 1;
      else hi = mid;
    }
    return lo < listed >> 1 && hits[2 * lo + 1]! <= to;
  }

  /**
   * Prefilter results → candidates (suppressed ones included) and rejected look-alikes, before overlap
   * resolution. `prefilter` reports every keyword occurrence of `text` in order.
   */
  private detect(
    text: string,
    options: ScanTextOptions,
    prefilter: (onHit: (keyword: number, end: number) => void) => void,
    isBundle: () => boolean = () => BUNDLE_MARKER.test(text),
  ): { candidates: Candidate[]; rejectedShapes: Array<[number, number]> } | undefined {
    const { path, allowlist } = options;
    const spans = this.keywordSpans(text, prefilter);
    const lines = new LineIndex(text);
    let bundle: boolean | undefined;
    const file: FileScope = {
      path,
      testPath: isTestPath(path),
      lines,
      foreignPath: isVendoredPath(path) || isBundledPath(path),
      bundle: () => (bundle ??= isBundle()),
      minifiable: isMinifiablePath(path),
    };

    // 2. Confirm: run each triggered detector over the union of its windows (or at its anchors).
    //    Allowlisted detectors still run: their hits are suppressed below, but they keep a look-alike
    //    generic hit from reporting the same value under another name.
    const candidates: Candidate[] = [];
    const rejectedShapes: Array<[number, number]> = [];
    const allowlistedDetectors = allowlist?.detectors;
    for (let i = 0; i < spans.detectors.length; i++) {
      const s = spans.spans[i]!;
      if (s.length === 0) continue;
      const cd = this.compiledAt(spans.detectors[i]!);
      if (path && cd.def.excludePaths?.test(path)) {
        if (!this.droppedByPath && this.findsAny(cd, text, s, file)) this.droppedByPath = true;
        continue;
      }
      const suppressed = allowlistedDetectors !== undefined && allowlistedDetectors.includes(cd.def.id);
      if (cd.anchor) this.confirmAnchored(cd, text, s, file, suppressed, candidates, rejectedShapes);
      else this.confirmInWindows(cd, text, s, file, suppressed, candidates, rejectedShapes);
    }
    if (candidates.length === 0) return undefined;
    suppressIgnored(candidates, text, lines, allowlist?.hashes);
    return { candidates, rejectedShapes };
  }

  /**
   * Whether a detector the path excludes would have found a candidate here (its windows or anchors
   * confirmed as usual, the file's hit cap left alone): a hit the path dropped.
   */
  private findsAny(cd: CompiledDetector, text: string, spans: number[], file: FileScope): boolean {
    const found: Candidate[] = [];
    const budget = this.budget;
    this.budget = undefined;
    try {
      if (cd.anchor) this.confirmAnchored(cd, text, spans, file, false, found, []);
      else this.confirmInWindows(cd, text, spans, file, false, found, []);
    } finally {
      this.budget = budget;
    }
    return found.length > 0;
  }

  /**
   * 1. Prefilter: per detector, spans [first, last] of keyword hit offsets (hits closer than MERGE_GAP
   * share one); for anchored detectors, the start of the identifier run holding each keyword instead.
   * Only the detectors some hit triggered are listed, in ascending order (the order `detect` confirms
   * them in): a table over the catalogue's ~650 detectors, made and walked for every text with a keyword,
   * was 3% of a git/git scan's worker time and ~5 KB of garbage per text.
   */
  private keywordSpans(text: string | Uint8Array | Uint16Array, prefilter: (onHit: (keyword: number, end: number) => void) => void): DetectorSpans {
    const compiled = this.compiled;
    const detectors: number[] = [];
    const spans: number[][] = [];
    const kwLengths = this.kwLengths;
    const owners = this.keywordOwners;
    const slotOf = this.spanSlots; // detector index → its place in `detectors`, −1 outside this call
    let ascending = true;
    try {
      prefilter((ki, end) => {
        const pos = end - kwLengths[ki]!;
        const list = owners[ki]!;
        for (let o = 0; o < list.length; o++) {
          const di = list[o]!;
          let slot = slotOf[di]!;
          if (slot < 0) {
            slot = slotOf[di] = detectors.length;
            if (slot > 0 && di < detectors[slot - 1]!) ascending = false;
            detectors.push(di);
            spans.push([]);
          }
          const s = spans[slot]!;
          const n = s.length;
          const anchor = (compiled[di] ?? this.compiledAt(di)).anchor;
          if (anchor) {
            const start = runStart(text, pos, anchor);
            if (start >= 0 && (n === 0 || start > s[n - 1]!)) s.push(start);
          } else if (n > 0 && pos - s[n - 1]! <= MERGE_GAP) s[n - 1] = Math.max(s[n - 1]!, pos);
          else s.push(pos, pos);
        }
      });
    } finally {
      for (const di of detectors) slotOf[di] = -1;
    }
    if (ascending) return { detectors, spans };
    const order = detectors.map((_, i) => i).sort((a, b) => detectors[a]! - detectors[b]!);
    return { detectors: order.map((i) => detectors[i]!), spans: order.map((i) => spans[i]!) };
  }

  /** A detector's pattern over the union of the windows around its keyword spans (lines and characters before and after). */
  private confirmInWindows(
    cd: CompiledDetector,
    text: string,
    spans: number[],
    file: FileScope,
    suppressed: boolean,
    out: Candidate[],
    rejectedShapes: Array<[number, number]>,
  ): void {
    for (const [ws, we] of windowsOf(cd, text, spans)) {
      const slice = text.slice(ws, we);
      const re = cd.re;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(slice)) !== null) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        this.confirm(cd, m, ws, text, file, suppressed, out, rejectedShapes);
      }
    }
  }

  /**
   * Anchored detectors: every match starts at an identifier-run start found by the prefilter, so the
   * pattern runs sticky there only (a few dozen characters each) instead of at every offset of a
   * window. Starts come in increasing order; one inside the previous match is skipped, exactly as a
   * global scan would skip it.
   */
  private confirmAnchored(
    cd: CompiledDetector,
    text: string,
    starts: number[],
    file: FileScope,
    suppressed: boolean,
    out: Candidate[],
    rejectedShapes: Array<[number, number]>,
  ): void {
    const re = cd.sticky!;
    let lastEnd = 0;
    for (const start of starts) {
      if (start < lastEnd) continue;
      re.lastIndex = start;
      const m = re.exec(text);
      if (m === null || m[0].length === 0) continue;
      lastEnd = start + m[0].length;
      this.confirm(cd, m, 0, text, file, suppressed, out, rejectedShapes);
    }
  }

  /**
   * Whether any pattern the keywords trigger matches in a text of one byte per character not decoded yet
   * (`bytes`; `prefilter` reports its keyword hits, as for `detect`): each window, and the few hundred
   * characters an anchored pattern can read around its anchor (`regexReach`), are decoded on their own,
   * and the patterns run on exactly the strings `detect` would give them. Most texts holding keywords
   * hold no match at all: their result is known (no candidate) without decoding them whole, which was
   * most of what a history scan decoded. Any match (but those a validator that reads the match alone
   * rejects: mayConfirm), and the text is scanned by `detect` as before.
   */
  private anyMatchInBytes(bytes: Buffer, options: ScanTextOptions, prefilter: (onHit: (keyword: number, end: number) => void) => void): boolean {
    return this.anyMatchIn({ chars: bytes, slice: (from, to) => bytes.toString('latin1', from, to), unitsPerChar: 1 }, options, prefilter);
  }

  /**
   * UTF-8 text with multi-byte characters, `bytes[start, end)`, decoded as `detect` needs it, or undefined
   * when no pattern the keywords trigger matches in it (anyMatchInBytes): its UTF-16 code units stand in for
   * the string (the same offsets, lines and keyword hits, non-ASCII units included), and each window is made
   * a string from them. Decoding such texts whole (a translation file's hundreds of versions) was a sixth to
   * a third of a worker's time on git/git.
   */
  private utf8TextToScan(bytes: Buffer, start: number, end: number, options: ScanTextOptions): string | undefined {
    const units = utf16Units(bytes, start, end);
    if (!units) return bytes.toString('utf8', start, end);
    const prefilter = (onHit: (keyword: number, end: number) => void) => this.matcher.scanUnits(units, onHit);
    const text: UndecodedText = { chars: units, slice: (from, to) => unitsToString(units, from, to), unitsPerChar: 2 };
    // A match: the text is scanned, made from its units (a copy; V8 decodes non-Latin UTF-8 ten times slower).
    return this.anyMatchIn(text, options, prefilter) ? unitsToString(units, 0, units.length) : undefined;
  }

  private anyMatchIn(text: UndecodedText, options: ScanTextOptions, prefilter: (onHit: (keyword: number, end: number) => void) => void): boolean {
    const spans = this.keywordSpans(text.chars, prefilter);
    for (let i = 0; i < spans.detectors.length; i++) {
      const s = spans.spans[i]!;
      if (s.length === 0) continue;
      const cd = this.compiledAt(spans.detectors[i]!);
      // A detector the path excludes counts too: `detect` then tells whether the path dropped a candidate.
      const yields = (m: RegExpExecArray) => this.mayConfirm(cd, m, options.path);
      if (cd.anchor ? anchoredMatchIn(cd, text, s, yields) : windowMatchIn(cd, text, s, yields)) return true;
    }
    return false;
  }

  /**
   * Whether `confirm` could make anything of match `m` (a candidate, a drop by path, a count over the
   * file's cap): false only when the detector's validator, which reads the match alone, rejects the value,
   * as `confirm` then would, leaving no trace. Most generic matches in code and prose end there
   * (`credential.c:96` in a translation file's references, `passwd: %s`), and their text is not decoded.
   */
  private mayConfirm(cd: CompiledDetector, m: RegExpExecArray, path: string | undefined): boolean {
    const { def } = cd;
    if (!def.validatesMatchAlone || !def.validate) return true;
    const budget = this.budget;
    if (budget && (budget.kept?.get(def.id) ?? 0) >= budget.max) return true; // counted over the cap before validation
    let byPath = false;
    const [, , value] = secretGroup(m);
    const matchEnd = m.index + m[0].length;
    const context = { text: m.input, matchStart: m.index, matchEnd, match: m, line: m.input, path, rejectedByPath: () => (byPath = true) };
    return def.validate(value, context) !== null || byPath;
  }

  /** Validates one regex match (`m` ran on text from offset `base`) and records it as a candidate. */
  private confirm(
    cd: CompiledDetector,
    m: RegExpExecArray,
    base: number,
    text: string,
    file: FileScope,
    suppressed: boolean,
    out: Candidate[],
    rejectedShapes: Array<[number, number]>,
  ): void {
    const { def } = cd;
    const { path, testPath, lines } = file;
    // A flood of one token shape (a million key ids in one file): past the cap, matches are only counted.
    const budget = this.budget;
    const kept = budget?.kept?.get(def.id) ?? 0;
    if (budget && kept >= budget.max) {
      budget.overCap += 1;
      return;
    }
    const [valueStartRel, valueEndRel, rawValue] = secretGroup(m);
    const matchStart = base + m.index;
    const matchEnd = matchStart + m[0].length;
    const start = base + valueStartRel;
    const end = base + valueEndRel;
    const foreign = def.skipForeignCode ? foreignCode(file, start) : undefined;
    if (foreign === 'content') return;
    const minEntropy = def.minEntropy ?? (rawValue.length >= DEFAULT_MIN_ENTROPY_LENGTH ? DEFAULT_MIN_ENTROPY : 0);
    let verdict: Verdict | null = {};
    if (minEntropy > 0 && shannonEntropy(rawValue) < minEntropy) verdict = null;
    else if (PLACEHOLDER_FAMILIES.has(def.family) && !rawValue.startsWith('-----BEGIN') && isPlaceholder(rawValue)) verdict = null;
    if (verdict && def.validate) {
      // The value's line, at most 1 KB either side: found with bounded searches, no line numbers needed.
      const lineText = text.slice(windowStart(text, start, 0, 1024), windowEnd(text, start, 0, end + 1024 - start));
      verdict = def.validate(rawValue, { text, matchStart, matchEnd, match: m, line: lineText, path, rejectedByPath: this.noteDroppedByPath });
    }
    if (!verdict) {
      if (SHAPE_FAMILIES.has(def.family) && foreign !== 'path') rejectedShapes.push([start, end]);
      return;
    }
    if (
      VALUE_FAMILIES.has(def.family) &&
      !longProviderKey(def.family, rawValue) &&
      notALiteral(rawValue, verdict.value, text.slice(end, end + AFTER_VALUE_CHARS))
    )
      return;
    if (def.family === 'generic' && isEmailAddress(rawValue)) return;
    let confidence: Confidence = verdict.confidence ?? def.hitConfidence ?? 'medium';
    if (testPath && PATH_SENSITIVE.has(def.family)) confidence = confidence === 'high' ? 'medium' : 'low';
    const severity: Severity = verdict.severity ?? def.severity;
    const line = lines.lineOf(start);
    const hit: SecretHit = {
      detectorId: def.id,
      title: def.title,
      provider: def.provider,
      severity,
      value: verdict.value ?? rawValue,
      line: line + 1,
      column: start - lines.start(line) + 1,
      confidence,
      assurance: assuranceOf(def, verdict),
    };
    if (def.identityKind) hit.identityKind = def.identityKind;
    if (verdict.decoded && Object.keys(verdict.decoded).length > 0) hit.decoded = verdict.decoded;
    if (isTestCredential(def, verdict)) hit.testCredential = true;
    if (foreign === 'path') return this.noteDroppedByPath(); // vendored or bundled by path, or a minified line of a script
    out.push({ hit, start, end, priority: cd.priority, family: def.family, suppressed });
    if (budget) (budget.kept ??= new Map()).set(def.id, kept + 1);
  }
}

/**
 * 3. Ignores and allowlisted hashes: such candidates are suppressed, not dropped, so that they still
 * win their overlaps (a generic hit on an ignored AWS key stays silent too).
 */
function suppressIgnored(candidates: Candidate[], text: string, lines: LineIndex, allowlistedHashes: readonly string[] | undefined): void {
  const hashes = allowlistedHashes?.length ? new Set(allowlistedHashes) : undefined;
  for (const c of candidates) {
    if (c.suppressed) continue;
    if ((hashes && hashes.has(secretHash(c.hit.value))) || ignoredInline(text, c, lines)) c.suppressed = true;
  }
}

/** The detectors a text's keywords triggered, ascending, and each one's keyword spans (keywordSpans). */
interface DetectorSpans {
  detectors: number[];
  spans: number[][];
}

/** A file's keyword hits after the plausibility check: (keyword, end) pairs, or `overflow` when there were too many to list. */
interface ListedHits {
  pairs: Int32Array;
  listed: number;
  overflow: boolean;
}

/** One segment of a large file (byte offsets): the core it owns, and the wider range it reads. */
interface Segment {
  coreStart: number;
  coreEnd: number;
  start: number;
  end: number;
  /** Holds non-ASCII UTF-8: decoded as UTF-8, so its character offsets are mapped back to bytes. */
  utf8: boolean;
}

/** A segment's findings in file coordinates (bytes, lines), keeping those that start in its core: another segment owns the rest. */
function ownedFindings(
  found: { candidates: Candidate[]; rejectedShapes: Array<[number, number]> },
  text: string,
  segment: Segment,
  lines: ByteLines,
  candidates: Candidate[],
  rejectedShapes: Array<[number, number]>,
): void {
  const { coreStart, coreEnd, start: segStart } = segment;
  // Segment offsets (characters) → file offsets (bytes), the coordinates shared by all segments.
  const toBytes = segment.utf8 ? utf8ByteOffsets(text, [...found.candidates.flatMap((c) => [c.start, c.end]), ...found.rejectedShapes.flat()]) : undefined;
  const at = (offset: number): number => segStart + (toBytes ? toBytes.get(offset)! : offset);
  for (const c of found.candidates) {
    const start = at(c.start);
    if (start < coreStart || start >= coreEnd) continue; // another segment owns it
    c.hit.column += c.hit.line === 1 ? lines.charsFromLineStart(segStart) : 0;
    c.hit.line += lines.newlinesBefore(segStart);
    candidates.push({ ...c, start, end: at(c.end) });
  }
  for (const [a, b] of found.rejectedShapes) {
    const start = at(a);
    if (start >= coreStart && start < coreEnd) rejectedShapes.push([start, at(b)]);
  }
}

/**
 * Why a skipForeignCode detector's match at `offset` is not reported: bundler output (`content`, wherever
 * the file is), or vendored or bundled by path or a minified line of a script (`path`: the same content
 * at another path is read), else undefined.
 */
function foreignCode(file: FileScope, offset: number): 'content' | 'path' | undefined {
  if (file.bundle()) return 'content';
  if (file.foreignPath) return 'path';
  if (!file.minifiable) return undefined;
  const line = file.lines.lineOf(offset);
  return file.lines.end(line) - file.lines.start(line) >= MINIFIED_LINE_CHARS ? 'path' : undefined;
}

/**
 * A provider key of 40+ characters found by its provider's name (contextual): a fixed-length random value,
 * not an expression, even when it holds `$`, backticks or braces (keys drawn from all printable characters).
 */
const LONG_PROVIDER_KEY = 40;
function longProviderKey(family: DetectorFamily, value: string): boolean {
  return family === 'contextual' && value.length >= LONG_PROVIDER_KEY;
}

/** Code (a variable, substitution, call, template, initializer) or an encoded stand-in: never a secret value. */
function notALiteral(raw: string, replaced: string | undefined, after: string): boolean {
  if (isCodeValue(raw, after) || (replaced !== undefined && replaced !== raw && isCodeValue(replaced))) return true;
  return isEncodedStandIn(raw) || (replaced !== undefined && isPlaceholder(replaced));
}

/** validated: the detector's validator proved the structure; structured: a provider format; generic: name + entropy. */
function assuranceOf(def: DetectorDef, verdict: Verdict): Assurance {
  // The catalogue declares each detector's class; `validated` holds only when the validator proved this hit.
  if (def.confidence === 'validated') return verdict.confidence === 'high' ? 'validated' : 'structured';
  if (def.confidence) return def.confidence;
  if (def.family === 'generic') return 'generic';
  if (def.validate && verdict.confidence === 'high' && VALIDATING_FAMILIES.has(def.family)) return 'validated';
  return 'structured';
}

/** Detector ids of credentials their provider issues for testing only (Stripe test mode, sandbox keys). */
const TEST_CREDENTIAL_ID = /(?:^|-)(?:test|sandbox)(?:-|$)/;

function isTestCredential(def: DetectorDef, verdict: Verdict): boolean {
  return TEST_CREDENTIAL_ID.test(def.id) || verdict.decoded?.location === 'test.pypi.org' || verdict.decoded?.testCredential === true;
}

interface Anchor {
  /** ASCII code → 1 when the character belongs to the run (runChars must be an ASCII class). */
  inRun: Uint8Array;
  reach: number;
}

/**
 * Start of the run of anchor characters holding the keyword at `pos`, or -1 when that start is more
 * than `reach` characters before it (the pattern could not reach this keyword from there). Walks back
 * at most `reach` + 1 characters, so a keyword inside a megabyte-long run costs nothing more.
 */
function runStart(text: string | Uint8Array | Uint16Array, pos: number, anchor: Anchor): number {
  const { inRun, reach } = anchor;
  let p = pos;
  while (p > 0) {
    const c = typeof text === 'string' ? text.charCodeAt(p - 1) : text[p - 1]!;
    if (c >= 128 || inRun[c] === 0) break;
    if (pos - p === reach) return -1;
    p--;
  }
  return p;
}

/** The value: the first defined named group whose name starts with `secret`, else the whole match. */
function secretGroup(m: RegExpExecArray): [number, number, string] {
  const groups = m.groups;
  const indices = m.indices?.groups;
  if (groups && indices) {
    for (const name of Object.keys(groups)) {
      if (!name.startsWith('secret')) continue;
      const v = groups[name];
      const at = indices[name];
      if (v !== undefined && at) return [at[0], at[1], v];
    }
  }
  return [m.index, m.index + m[0].length, m[0]];
}

function ignoredInline(text: string, c: Candidate, lines: LineIndex): boolean {
  const first = lines.lineOf(c.start);
  const last = lines.lineOf(Math.max(c.start, c.end - 1));
  const around = (line: number, anchor: number): string =>
    text.slice(Math.max(lines.start(line), anchor - MARKER_REACH), Math.min(lines.end(line), anchor + MARKER_REACH));
  if (INLINE_IGNORE.test(around(first, c.start))) return true;
  if (last !== first && INLINE_IGNORE.test(around(last, c.end))) return true;
  if (first > 0 && NEXT_LINE_IGNORE.test(around(first - 1, lines.start(first) - 1))) return true;
  return false;
}

/** 4. Overlaps: the most specific detector wins; generic hits on rejected look-alikes are dropped; suppressed ones go. */
function finish(candidates: Candidate[], rejectedShapes: Array<[number, number]>): SecretHit[] {
  if (candidates.length === 0) return [];
  return resolveOverlaps(candidates, rejectedShapes)
    .filter((c) => !c.suppressed)
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((c) => c.hit);
}

/**
 * Segments of large files (scanBytes). A segment is decoded as one string of at most SEGMENT_CHARS
 * characters, under V8's 128 KiB large-object threshold. It reaches SEGMENT_BEFORE characters before its
 * core and SEGMENT_AFTER after: more than any detector looks around a match it owns (windows of 8 KiB
 * either side of a keyword for Kubernetes manifests, 20 KiB after a private key's BEGIN line, matches of at
 * most 16.4 KiB, validators' look-arounds of at most 16 KiB forward and 8 KiB back).
 */
const SEGMENT_CHARS = 120_000;
const SEGMENT_BEFORE = 20_480;
const SEGMENT_AFTER = 24_576;
const SEGMENT_CORE = SEGMENT_CHARS - SEGMENT_BEFORE - SEGMENT_AFTER - 4096;
/** Keyword hits listed for a whole large file before falling back to a prefilter per segment (2 MB). */
const MAX_LISTED_HITS = 262_144;

/** A segment starts SEGMENT_BEFORE before its core, moved back to a line start when one is within 4 KiB. */
function segmentStart(bytes: Buffer, coreStart: number, multiByte: boolean): number {
  if (coreStart === 0) return 0;
  const nominal = Math.max(0, coreStart - SEGMENT_BEFORE);
  if (nominal === 0) return 0;
  const floor = Math.max(0, nominal - 4096);
  const nl = bytes.lastIndexOf(10, nominal - 1);
  return nl >= floor ? nl + 1 : charBoundary(bytes, nominal, multiByte);
}

/** In UTF-8, moves `offset` back off continuation bytes (10xxxxxx) so that no character is cut. */
function charBoundary(bytes: Buffer, offset: number, multiByte: boolean): number {
  if (!multiByte) return offset;
  let p = offset;
  while (p > 0 && p < bytes.length && p > offset - 4 && (bytes[p]! & 0xc0) === 0x80) p--;
  return p;
}

/** UTF-8 byte offset of each of `offsets` (UTF-16 offsets in `text`), in one walk over the text. */
function utf8ByteOffsets(text: string, offsets: number[]): Map<number, number> {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const out = new Map<number, number>();
  let bytes = 0,
    i = 0;
  for (const target of wanted) {
    for (; i < target && i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        bytes += 4; // a surrogate pair is one 4-byte character
        i++;
      } else bytes += 3;
    }
    out.set(target, bytes);
  }
  return out;
}

/** Line numbers of a large file's bytes, counted forward only as far as asked (only segments with hits ask). */
class ByteLines {
  private counted = 0;
  private newlines = 0;
  private lastLineStart = 0;
  /** Characters from lastLineStart to charsAt (UTF-8 files), continued across calls on the same line. */
  private charsAt = 0;
  private chars = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly multiByte: boolean,
  ) {}

  /** Characters (UTF-16 units) from the start of the line holding `offset` up to `offset`. */
  charsFromLineStart(offset: number): number {
    this.advance(offset);
    if (!this.multiByte) return offset - this.lastLineStart;
    if (this.charsAt < this.lastLineStart || this.charsAt > offset) {
      this.charsAt = this.lastLineStart;
      this.chars = 0;
    }
    for (let p = this.charsAt; p < offset; p++) {
      const b = this.bytes[p]!;
      if ((b & 0xc0) !== 0x80) this.chars += b >= 0xf0 ? 2 : 1; // a 4-byte character is a surrogate pair
    }
    this.charsAt = offset;
    return this.chars;
  }

  private advance(to: number): void {
    for (let nl = this.bytes.indexOf(10, this.counted); nl >= 0 && nl < to; nl = this.bytes.indexOf(10, nl + 1)) {
      this.newlines++;
      this.lastLineStart = nl + 1;
    }
    this.counted = Math.max(this.counted, to);
  }
  newlinesBefore(offset: number): number {
    this.advance(offset);
    return this.newlines;
  }
}

/**
 * Where a window around a keyword at `first` starts: the start of the line `linesBefore` lines above
 * it, but never more than `charsBefore` characters back. Same as computing line numbers, but only the
 * bounded region is searched (natively), so files are never split into lines just to place windows.
 */
function windowStart(text: string | Uint8Array | Uint16Array, first: number, linesBefore: number, charsBefore: number): number {
  const floor = Math.max(0, first - charsBefore);
  if (floor === first) return first;
  const region = typeof text === 'string' ? text.slice(floor, first) : text.subarray(floor, first);
  let p = region.length;
  for (let n = 0; n <= linesBefore; n++) {
    if (p === 0) return floor;
    const nl = typeof region === 'string' ? region.lastIndexOf('\n', p - 1) : region.lastIndexOf(NEWLINE, p - 1);
    if (nl < 0) return floor;
    p = nl;
  }
  return floor + p + 1;
}

/** Where a window around a keyword at `last` ends: the end of the line `linesAfter` below, capped at `charsAfter`. */
function windowEnd(text: string | Uint8Array | Uint16Array, last: number, linesAfter: number, charsAfter: number): number {
  const ceil = Math.min(text.length, last + charsAfter);
  if (ceil <= last) return ceil;
  const region = typeof text === 'string' ? text.slice(last, ceil) : text.subarray(last, ceil);
  let p = -1;
  for (let n = 0; n <= linesAfter; n++) {
    const nl = typeof region === 'string' ? region.indexOf('\n', p + 1) : region.indexOf(NEWLINE, p + 1);
    if (nl < 0) return ceil;
    p = nl;
  }
  return last + p;
}

const NEWLINE = 0x0a;

/** A detector's windows around its keyword spans (lines and characters before and after), merged where they touch. */
function windowsOf(cd: CompiledDetector, text: string | Uint8Array | Uint16Array, spans: number[]): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  for (let i = 0; i < spans.length; i += 2) {
    const ws = windowStart(text, spans[i]!, cd.linesBefore, cd.charsBefore);
    const we = windowEnd(text, spans[i + 1]!, cd.linesAfter, cd.charsAfter);
    const prev = windows[windows.length - 1];
    if (prev && ws <= prev[1]) prev[1] = Math.max(prev[1], we);
    else windows.push([ws, we]);
  }
  return windows;
}

/**
 * A text not decoded yet: its characters as numbers (bytes of a text of one byte per character, or UTF-16
 * code units), and any part of it as the string it is.
 */
interface UndecodedText {
  chars: Uint8Array | Uint16Array;
  slice(from: number, to: number): string;
  /** Code units one character of a pattern may take: 2 where surrogate pairs may occur (the `u` flag reads a pair as one). */
  unitsPerChar: 1 | 2;
}

/**
 * Whether the detector's pattern matches (non-empty) in one of its windows, each decoded alone: the very
 * strings, and the very matches, confirmInWindows runs it on and confirms; a match counts if `yields` says so.
 */
function windowMatchIn(cd: CompiledDetector, text: UndecodedText, spans: number[], yields: (m: RegExpExecArray) => boolean): boolean {
  const re = cd.re;
  for (const [ws, we] of windowsOf(cd, text.chars, spans)) {
    const slice = text.slice(ws, we);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(slice)) !== null) {
      if (m[0].length === 0) re.lastIndex++;
      else if (yields(m)) return true;
    }
  }
  return false;
}

/**
 * Whether the anchored pattern matches (non-empty) at one of its anchors, run on a slice reaching past
 * all it can read there (its regexReach, and a character more each side for `\b`, `^` and `$`), so that
 * it sees what it would see in the whole text; a match counts if `yields` says so. No known reach: true,
 * and the text is decoded.
 */
function anchoredMatchIn(cd: CompiledDetector, text: UndecodedText, starts: number[], yields: (m: RegExpExecArray) => boolean): boolean {
  const reach = cd.stickyReach;
  if (!reach) return true;
  const re = cd.sticky!;
  const { unitsPerChar, chars } = text;
  let lastEnd = 0;
  for (const start of starts) {
    if (start < lastEnd) continue; // inside the previous match: confirmAnchored skips it too
    const from = Math.max(0, start - (reach.before + 2) * unitsPerChar);
    const slice = text.slice(from, Math.min(chars.length, start + (reach.after + 2) * unitsPerChar));
    re.lastIndex = start - from;
    const m = re.exec(slice);
    if (m === null || m[0].length === 0) continue;
    if (yields(m)) return true;
    lastEnd = start + m[0].length;
  }
  return false;
}

/** Groups transitively overlapping candidates and keeps, per group, a non-overlapping set by priority. */
function resolveOverlaps(candidates: Candidate[], rejectedShapes: Array<[number, number]>): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end);
  const rejected = rejectedShapes.sort((a, b) => a[0] - b[0]);
  const out: Candidate[] = [];
  let ri = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    let clusterEnd = sorted[i]!.end;
    while (j < sorted.length && sorted[j]!.start < clusterEnd) {
      clusterEnd = Math.max(clusterEnd, sorted[j]!.end);
      j++;
    }
    const cluster = sorted.slice(i, j).sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
    const chosen: Candidate[] = [];
    for (const c of cluster) {
      if (chosen.some((k) => k.start < c.end && c.start < k.end)) continue;
      if (c.family === 'generic') {
        while (ri < rejected.length && rejected[ri]![1] <= sorted[i]!.start) ri++;
        let overlapsRejected = false;
        for (let r = ri; r < rejected.length && rejected[r]![0] < c.end; r++) {
          if (rejected[r]![1] > c.start) {
            overlapsRejected = true;
            break;
          }
        }
        if (overlapsRejected) continue;
      }
      chosen.push(c);
    }
    out.push(...chosen);
    i = j;
  }
  return out;
}

export const defaultScanner = new SecretScanner(DETECTORS);

/**
 * Builds a detector's regexes and byte-level checks at once, as a scan would on its first keyword: a
 * detector the engine cannot run (a bad anchor or context class) fails here, where it is added.
 */
export function checkDetector(def: DetectorDef): void {
  compile(def);
  if (def.keywordContext) contextCheck(def.keywordContext);
}

type ContextCheck = (bytes: Uint8Array, start: number, end: number) => boolean;

/** ASCII class body (`A-Za-z0-9_.-`) → byte membership table. */
function byteClass(body: string): Uint8Array {
  const re = new RegExp(`[${body}]`);
  const table = new Uint8Array(256);
  for (let c = 0; c < 128; c++) table[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return table;
}

/** A detector's keywordContext as a test on the bytes around one keyword occurrence [start, end). */
function contextCheck(context: KeywordContext): ContextCheck {
  const tests: ContextCheck[] = [];
  if (context.after) {
    const { min } = context.after;
    const cls = byteClass(context.after.chars);
    tests.push((bytes, _start, end) => {
      if (end + min > bytes.length) return false;
      for (let i = end; i < end + min; i++) if (!cls[bytes[i]!]) return false;
      return true;
    });
  }
  if (context.before) {
    const { min } = context.before;
    const cls = byteClass(context.before.chars);
    tests.push((bytes, start) => {
      if (start - min < 0) return false;
      for (let i = start - min; i < start; i++) if (!cls[bytes[i]!]) return false;
      return true;
    });
  }
  if (context.assignment) {
    const name = byteClass(context.assignment.nameChars);
    tests.push((bytes, _start, end) => {
      let i = end;
      while (i < bytes.length && name[bytes[i]!]) i++;
      for (let q = 0; q < 2 && (bytes[i] === 0x22 || bytes[i] === 0x27 || bytes[i] === 0x5d); q++) i++; // " ' ]
      for (let b = 0; b < 4 && (bytes[i] === 0x20 || bytes[i] === 0x09); b++) i++;
      const op = bytes[i];
      return op === 0x3d || op === 0x3a || op === 0x2c; // = : ,
    });
  }
  return (bytes, start, end) => tests.every((test) => test(bytes, start, end));
}
