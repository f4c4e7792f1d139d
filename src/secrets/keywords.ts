/**
 * The prefilter: one pass over a file finds every detector keyword (case-insensitive) with an
 * Aho-Corasick automaton compiled to a dense DFA over case-folded character classes, so the cost is one
 * table lookup per character whatever the number of keywords. The walk itself runs in WebAssembly
 * (wasm-dfa.ts); this module builds the automaton and turns the states it reports into keyword hits.
 * Line numbers are not computed here: the engine works them out lazily, only for files with candidates.
 */
import { instantiateDfa, type DfaLayout, type WasmScan } from './wasm-dfa.js';

/** Characters copied into WebAssembly memory per call (the hit buffer holds one record per character). */
const CHUNK = 1 << 16;

/**
 * Characters a matcher searches keyword by keyword before it builds the automaton. Building it (a ~1 MB
 * table for 700+ keywords, and a WebAssembly instance) costs tens of milliseconds, what a direct search
 * of every keyword costs over this many characters: a pre-commit hook scanning a small change answers
 * without it; anything larger builds it once and walks every character once after that.
 */
const DIRECT_BUDGET = 1 << 16;

/**
 * The keyword prefilter. Every occurrence of every keyword, case-insensitively, reported in text order
 * (end offset, then the longer keyword first at the same end): by direct search while the characters
 * scanned stay within `directBudget`, by the automaton after that. Both read the text the same way
 * (each UTF-16 code unit's low byte, ASCII letters folded), so they report the same hits in the same order.
 */
export class KeywordMatcher {
  private automaton: KeywordAutomaton | undefined;
  private directLeft: number;
  private needles: Buffer[] | undefined;
  /** Two-byte sequences of the text being searched directly (set, then cleared, by directHits). */
  private pairs: Uint8Array | undefined;

  constructor(
    readonly keywords: readonly string[],
    { directBudget = DIRECT_BUDGET }: { directBudget?: number } = {},
  ) {
    characterClasses(keywords); // the automaton's checks (ASCII keywords, at most 255 characters) stay at construction
    this.directLeft = directBudget;
  }

  /** Walks `text` once; `onHit(keywordIndex, endOffset)` for every keyword occurrence, in text order (see KeywordAutomaton.scan). */
  scan(text: string, onHit: (keyword: number, end: number) => void): void {
    if (this.direct(text.length)) this.directHits(Buffer.from(text, 'latin1'), onHit);
    else this.built().scan(text, onHit);
  }

  /** The same over bytes (one byte per character: ASCII or Latin-1 text). */
  scanBytes(data: Uint8Array, onHit: (keyword: number, end: number) => void): void {
    if (this.direct(data.length)) this.directHits(Buffer.from(data), onHit);
    else this.built().scanBytes(data, onHit);
  }

  /** The same over a string's UTF-16 code units, not made a string: the hits `scan` gives on that string. */
  scanUnits(units: Uint16Array, onHit: (keyword: number, end: number) => void): void {
    if (this.direct(units.length)) {
      const low = Buffer.allocUnsafe(units.length);
      low.set(units); // each unit's low byte, as `scan` reads a string
      this.directHits(low, onHit);
    } else this.built().scanUnits(units, onHit);
  }

  private direct(length: number): boolean {
    if (this.automaton || length > this.directLeft) return false;
    this.directLeft -= length;
    return true;
  }

  private built(): KeywordAutomaton {
    return (this.automaton ??= new KeywordAutomaton(this.keywords));
  }

  /**
   * Each keyword searched in `bytes` (a copy, folded here), the hits sorted as the automaton reports them.
   * Only keywords whose first two bytes occur together in the text are searched: a short text (a
   * collected name, a small file) holds few of the catalogue's pairs, and each search is a call into
   * Buffer.indexOf, which over hundreds of keywords cost more than the text's scan.
   */
  private directHits(bytes: Buffer, onHit: (keyword: number, end: number) => void): void {
    for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x41 && bytes[i]! <= 0x5a) bytes[i] = bytes[i]! | 0x20;
    const needles = (this.needles ??= this.keywords.map((k) => Buffer.from(k.toLowerCase(), 'latin1')));
    const pairs = (this.pairs ??= new Uint8Array(1 << 16));
    for (let i = 1; i < bytes.length; i++) pairs[(bytes[i - 1]! << 8) | bytes[i]!] = 1;
    const hits: Array<[end: number, keyword: number]> = [];
    needles.forEach((needle, ki) => {
      if (needle.length >= 2 && !pairs[(needle[0]! << 8) | needle[1]!]) return; // cannot occur
      for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) hits.push([at + needle.length, ki]);
    });
    for (let i = 1; i < bytes.length; i++) pairs[(bytes[i - 1]! << 8) | bytes[i]!] = 0;
    hits.sort((a, b) => a[0] - b[0] || needles[b[1]]!.length - needles[a[1]]!.length);
    for (const [end, ki] of hits) onHit(ki, end);
  }
}

/**
 * Walks interleaved per chunk (see wasm-dfa.ts). Each walk is a chain of dependent loads; four chains
 * keep enough loads in flight that the loop is bound by its instructions rather than by their latency.
 */
const WALKS = 4;

/** The Aho-Corasick automaton as a dense DFA walked in WebAssembly (see the module comment). */
class KeywordAutomaton {
  private readonly wasm: WasmScan;
  private readonly bytes: Buffer;
  private readonly words: Int32Array;
  private readonly layout: DfaLayout;
  /** Keyword lengths, and how far each walk runs past the end of its part (longest keyword − 1). */
  private readonly lengths: Int32Array;
  private readonly overlap: number;
  /** Chunks shorter than this are walked whole by walk 0: split, each part would be mostly overlap. */
  private readonly splitFrom: number;
  /** Bytes per state row in the transition table (alphabet size × 4). */
  private readonly stateBytes: number;
  /** (state − firstOutput) / stateBytes → keyword indices completed on entering that state. */
  private readonly outputsByState: Int32Array[];
  /** Per walk, reused across chunks: where its part starts, how many characters it walks, its next hit. */
  private readonly starts = new Int32Array(WALKS);
  private readonly walkLengths: number[] = new Array<number>(WALKS).fill(0);
  private readonly next = new Int32Array(WALKS);

  constructor(readonly keywords: readonly string[]) {
    const { lowerClass, classOf, classes: A } = characterClasses(keywords);
    const trie = buildTrie(keywords, lowerClass);
    const { delta, breadthFirst } = completeDfa(trie, A);
    const { order, plain, renumbered } = outputStatesLast(breadthFirst, trie.out);
    const states = trie.goto.length;
    this.stateBytes = A * 4;
    this.outputsByState = order.slice(plain).map((st) => Int32Array.from(new Set(trie.out[st]!)));
    this.lengths = Int32Array.from(keywords, (k) => k.length);
    this.overlap = Math.max(...this.lengths) - 1;
    this.splitFrom = WALKS * (2 * this.overlap + 16);

    const classAt = 8 * WALKS; // words 0 .. 2 × WALKS − 1: the walks' final states and hit counts
    const deltaAt = classAt + 256 * 2;
    const textAt = deltaAt + states * this.stateBytes;
    // The longest part: the last one, (CHUNK − overlap) / WALKS + overlap + the division's remainder.
    const stride = Math.max(Math.ceil(CHUNK / WALKS) + this.overlap + WALKS, this.splitFrom);
    const hitsAt = (textAt + WALKS * stride + 7) & ~7; // hit records are read as aligned Int32Array words
    const end = hitsAt + 8 * WALKS * stride;
    this.layout = { walks: WALKS, classAt, deltaAt, textAt, hitsAt, stride, firstOutput: plain * this.stateBytes, pages: Math.ceil(end / 65536) };
    const { scan, memory } = instantiateDfa(this.layout);
    this.wasm = scan;
    this.bytes = Buffer.from(memory.buffer);
    this.words = new Int32Array(memory.buffer);
    // The table in WebAssembly memory: rows of A little-endian int32 byte offsets of the next state's row.
    for (let code = 0; code < 256; code++) this.bytes.writeUInt16LE(classOf[code]! * 4, classAt + code * 2);
    for (let row = 0; row < states; row++) {
      const st = order[row]!;
      for (let cls = 0; cls < A; cls++) this.words[(deltaAt >> 2) + row * A + cls] = renumbered[delta[st * A + cls]!]! * this.stateBytes;
    }
  }

  /**
   * Walks `text` once. `onHit(keywordIndex, endOffset)` is called for every keyword occurrence
   * (endOffset is one past its last character), in text order.
   *
   * The text is copied into WebAssembly memory a chunk at a time as Latin-1: one byte per UTF-16
   * code unit, so offsets are unchanged. A code unit above 0xFF keeps only its low byte, which can only
   * add a spurious keyword candidate (the confirming regex runs on the real text), never hide a real
   * one: keywords are ASCII and ASCII code units are copied exactly.
   */
  scan(text: string, onHit: (keyword: number, end: number) => void): void {
    this.walk(
      text.length,
      (from, length, at) => {
        this.bytes.write(length === text.length ? text : text.slice(from, from + length), at, length, 'latin1');
      },
      onHit,
    );
  }

  /** The same over bytes (one byte per character: ASCII or Latin-1 text). */
  scanBytes(data: Uint8Array, onHit: (keyword: number, end: number) => void): void {
    this.walk(data.length, (from, length, at) => this.bytes.set(data.subarray(from, from + length), at), onHit);
  }

  /** The same over UTF-16 code units: each unit's low byte, as `scan` copies a string (setting bytes from units keeps the low byte). */
  scanUnits(units: Uint16Array, onHit: (keyword: number, end: number) => void): void {
    this.walk(units.length, (from, length, at) => this.bytes.set(units.subarray(from, from + length), at), onHit);
  }

  private walk(n: number, load: (from: number, length: number, at: number) => void, onHit: (keyword: number, end: number) => void): void {
    const { wasm, words, layout, starts, walkLengths } = this;
    let state = 0;
    for (let offset = 0; offset < n; offset += CHUNK) {
      const length = Math.min(CHUNK, n - offset);
      const parts = this.split(length);
      for (let j = 0; j < parts; j++) load(offset + starts[j]!, walkLengths[j]!, layout.textAt + j * layout.stride);
      wasm(state, ...walkLengths);
      state = words[parts - 1]!;
      this.report(offset, parts, onHit);
    }
  }

  /**
   * Splits a chunk of `length` characters into `parts` consecutive parts (returned), walk j's part
   * starting at starts[j]. Walk j reads its part and the next `overlap` characters (walkLengths[j]), so it
   * completes every keyword that starts in its part; the last part runs to the end of the chunk.
   */
  private split(length: number): number {
    const { starts, walkLengths, overlap } = this;
    const parts = length >= this.splitFrom ? WALKS : 1;
    const part = Math.floor((length - overlap) / parts);
    for (let j = 0; j < WALKS; j++) {
      starts[j] = j * part;
      walkLengths[j] = j >= parts ? 0 : j === parts - 1 ? length - j * part : part + overlap;
    }
    return parts;
  }

  /**
   * Reports the walks' hits in end order (a merge: the lowest end first; at the same end, the walk whose
   * part comes first, whose keyword started earlier and is the longer). Walk j keeps only the keywords
   * that start in its part: the next walk reports the ones that start after it.
   */
  private report(offset: number, parts: number, onHit: (keyword: number, end: number) => void): void {
    const { words, layout, starts, next, lengths, outputsByState, stateBytes } = this;
    const { firstOutput } = layout;
    for (let j = 0; j < parts; j++) next[j] = 0;
    for (;;) {
      let from = -1,
        at = 0,
        last = 0;
      for (let j = 0; j < parts; j++) {
        if (next[j]! >= words[WALKS + j]!) continue;
        const record = ((layout.hitsAt >> 2) + 2 * j * layout.stride + 2 * next[j]!) | 0;
        const end = starts[j]! + words[record]!;
        if (from >= 0 && end >= last) continue;
        from = j;
        at = record;
        last = end;
      }
      if (from < 0) return;
      next[from]!++;
      const nextPart = from === parts - 1 ? Infinity : starts[from + 1]!;
      const list = outputsByState[(words[at + 1]! - firstOutput) / stateBytes]!;
      for (let k = 0; k < list.length; k++) {
        const ki = list[k]!;
        if (last + 1 - lengths[ki]! < nextPart) onHit(ki, offset + last + 1);
      }
    }
  }
}

/** The keywords' characters as case-folded classes: class 0 is every character in no keyword. */
function characterClasses(keywords: readonly string[]): { lowerClass: Map<number, number>; classOf: Uint8Array; classes: number } {
  let classes = 1;
  const lowerClass = new Map<number, number>();
  for (const kw of keywords) {
    for (const ch of kw.toLowerCase()) {
      const c = ch.charCodeAt(0);
      if (c >= 128) throw new Error(`keyword must be ASCII: ${kw}`);
      if (!lowerClass.has(c)) lowerClass.set(c, classes++);
    }
  }
  if (classes > 255) throw new Error('too many distinct keyword characters');
  /** Byte → character class (case folded); 0 = in no keyword. */
  const classOf = new Uint8Array(256);
  for (const [c, cls] of lowerClass) {
    classOf[c] = cls;
    const upper = String.fromCharCode(c).toUpperCase().charCodeAt(0);
    if (upper !== c && upper < 128) classOf[upper] = cls;
  }
  return { lowerClass, classOf, classes };
}

interface Trie {
  /** State → class → next state. */
  goto: Map<number, number>[];
  /** State → indices of the keywords that end there. */
  out: number[][];
}

function buildTrie(keywords: readonly string[], lowerClass: Map<number, number>): Trie {
  const goto: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  keywords.forEach((kw, index) => {
    let st = 0;
    for (const ch of kw.toLowerCase()) {
      const cls = lowerClass.get(ch.charCodeAt(0))!;
      let next = goto[st]!.get(cls);
      if (next === undefined) {
        next = goto.length;
        goto.push(new Map());
        out.push([]);
        goto[st]!.set(cls, next);
      }
      st = next;
    }
    out[st]!.push(index);
  });
  return { goto, out };
}

/**
 * Breadth-first failure links folded into a complete DFA (`delta[state * A + class]`). Each state's
 * outputs gain those of its failure state, in `trie.out`. Returns the non-root states in breadth-first order too.
 */
function completeDfa({ goto, out }: Trie, A: number): { delta: Int32Array; breadthFirst: number[] } {
  const delta = new Int32Array(goto.length * A);
  const fail = new Int32Array(goto.length);
  const queue: number[] = [];
  for (let cls = 0; cls < A; cls++) {
    const next = goto[0]!.get(cls);
    if (next !== undefined) {
      delta[cls] = next;
      queue.push(next);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const st = queue[qi]!;
    out[st]!.push(...out[fail[st]!]!);
    for (let cls = 0; cls < A; cls++) {
      const next = goto[st]!.get(cls);
      if (next !== undefined) {
        fail[next] = delta[fail[st]! * A + cls]!;
        delta[st * A + cls] = next;
        queue.push(next);
      } else {
        delta[st * A + cls] = delta[fail[st]! * A + cls]!;
      }
    }
  }
  return { delta, breadthFirst: [0, ...queue] };
}

/**
 * Renumbers states so the ones that complete a keyword come last (root stays 0), each group in
 * breadth-first order: the shallow states, where ordinary text keeps the walk, share a few KB of the
 * table whatever the keyword count, so the table's size (~1 MB with 700+ keywords) stays out of the
 * cache's way.
 */
function outputStatesLast(breadthFirst: number[], out: number[][]): { order: number[]; plain: number; renumbered: Int32Array } {
  const order: number[] = [];
  for (const st of breadthFirst) if (out[st]!.length === 0) order.push(st);
  const plain = order.length;
  for (const st of breadthFirst) if (out[st]!.length > 0) order.push(st);
  const renumbered = new Int32Array(breadthFirst.length);
  order.forEach((st, i) => (renumbered[st] = i));
  return { order, plain, renumbered };
}
