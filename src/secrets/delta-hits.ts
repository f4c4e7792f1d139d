/**
 * Keyword hits of a file rebuilt from a git delta, derived from its base's hits. A delta is a list of
 * copies from the base and inserted bytes; a keyword occurrence lying wholly inside one copied range is
 * an occurrence of the base moved by the copy, so only the inserted bytes and the seams between
 * instructions, widened by the longest keyword on each side, need the prefilter again. The result is
 * exactly what the prefilter reports on the whole file, in the same order; a history's thousands of
 * file versions then cost about the size of their changes rather than their full size.
 */
import type { KeywordMatcher } from './keywords.js';
import type { KeywordHits } from './types.js';
import { PairList } from './pair-list.js';

/**
 * `copies` holds `copyCount` (destination, source, length) triples in destination order, as
 * connectors/git/pack/delta.ts records them. Undefined when the derived list would exceed `maxPairs`
 * entries (the caller then runs the prefilter, which marks the overflow), or when the bytes to walk again
 * are over `rewalkedShare` of the result (the caller then runs the prefilter on the whole of it, for less;
 * Infinity: never, which tests use to derive every case).
 */
export function deriveKeywordHits(
  base: KeywordHits,
  content: Uint8Array,
  copies: Int32Array,
  copyCount: number,
  matcher: KeywordMatcher,
  lengths: readonly number[],
  longest: number,
  maxPairs: number,
  rewalkedShare = 1 / REWALK_WORTH,
): KeywordHits | undefined {
  const delta: Delta = { copies, copyCount, contentLength: content.length };
  const most = rewalkedShare === Infinity ? Infinity : content.length * rewalkedShare;
  const regionInts = regionsToRewalk(delta, longest - 1, most);
  if (regionInts < 0) return undefined;
  const moved = movedHits(base, delta, lengths);
  const rewalked = rewalkedHits(regionScratch, regionInts, content, delta, matcher, lengths);
  const total = moved.length + rewalked.length;
  if (total > maxPairs) return undefined;
  return { pairs: mergeInPrefilterOrder(moved, rewalked, lengths), length: total, overflow: false };
}

/** The copy instructions of a delta, as (destination, source, length) triples, and the size of what it builds. */
interface Delta {
  copies: Int32Array;
  copyCount: number;
  contentLength: number;
}

/** 1. Occurrences inside a copied range move with it. Copies come in output order, so these stay in the prefilter's order. */
function movedHits(base: KeywordHits, { copies, copyCount }: Delta, lengths: readonly number[]): PairList {
  const basePairs = base.pairs,
    baseLength = base.length;
  const moved = movedScratch;
  moved.length = 0;
  for (let c = 0; c < copyCount && baseLength > 0; c++) {
    const dst = copies[3 * c]!,
      src = copies[3 * c + 1]!,
      len = copies[3 * c + 2]!;
    const shift = dst - src;
    for (let k = firstEndingAfter(basePairs, baseLength, src); k < baseLength && basePairs[k + 1]! <= src + len; k += 2) {
      const ki = basePairs[k]!,
        end = basePairs[k + 1]!;
      if (end - lengths[ki]! >= src) moved.push(ki, end + shift);
    }
  }
  return moved;
}

/**
 * 2. Inserted bytes and seams, widened by `reach` (longest keyword − 1) each side, merged where they
 * touch, in output order: (from, to) pairs written to `regionScratch`; returns how many numbers it holds,
 * or −1 as soon as the bytes to walk again (rewalkedBytes) exceed `most`.
 */
function regionsToRewalk({ copies, copyCount, contentLength }: Delta, reach: number, most: number): number {
  if (regionScratch.length < 2 * copyCount + 2) regionScratch = new Int32Array(Math.max(2 * copyCount + 2, regionScratch.length * 2)); // a region per copy at most, and one after
  const regions = regionScratch;
  let n = 0;
  let closed = 0; // bytes of the regions before the last one (each with its NUL)
  let covered = 0; // end of the previous instruction's output
  for (let c = 0; c < copyCount; c++) {
    const dst = copies[3 * c]!;
    const before = n;
    if (dst > covered)
      n = addRegion(regions, n, covered - reach, dst + reach, contentLength); // inserted bytes before this copy
    else if (c > 0) n = addRegion(regions, n, dst - reach, dst + reach, contentLength); // a seam between two copies
    covered = dst + copies[3 * c + 2]!;
    if (n > before && before > 0) closed += regions[before - 1]! - regions[before - 2]! + 1;
    if (n > 0 && closed + regions[n - 1]! - regions[n - 2]! + 1 > most) return -1;
  }
  if (covered < contentLength) n = addRegion(regions, n, covered - reach, contentLength, contentLength);
  return rewalkedBytes(regions, n) > most ? -1 : n;
}

/**
 * Derived hits are worth it while the bytes walked again are under half the result. Each of them is copied
 * into the joined regions before the prefilter walks it, so past that the prefilter over the whole result
 * costs less. Many deltas cross it: `git fast-import` cuts a file of similar lines into copies of ~50 bytes,
 * and seams widened by 26 bytes each side then cover ~85% of each version (the synthetic history: 381 of
 * its 456 MB), where real packs' copies are long (git's own repacking) and the regions a few percent.
 */
const REWALK_WORTH = 2;

/** Bytes the prefilter walks over the regions (a NUL after each). */
function rewalkedBytes(regions: Int32Array, regionInts: number): number {
  let bytes = 0;
  for (let r = 0; r < regionInts; r += 2) bytes += regions[r + 1]! - regions[r]! + 1;
  return bytes;
}

/** Adds [from, to) (clipped to the content) to the `n` numbers of `regions`, merged with the last region when they touch. */
function addRegion(regions: Int32Array, n: number, from: number, to: number, contentLength: number): number {
  from = Math.max(0, from);
  to = Math.min(contentLength, to);
  if (from >= to) return n;
  if (n > 0 && from <= regions[n - 1]!) {
    regions[n - 1] = Math.max(regions[n - 1]!, to);
    return n;
  }
  regions[n] = from;
  regions[n + 1] = to;
  return n + 2;
}

/**
 * The prefilter over the regions, keeping occurrences that no copy holds whole (those were moved). One
 * prefilter call over all regions, laid end to end with a NUL between them: NUL is in no keyword, so it
 * sends the automaton back to its root and no match crosses from one region to the next. (A delta has
 * ~170 regions on average in redis's history: one call each costs more than the walk.)
 */
function rewalkedHits(
  regions: Int32Array,
  regionInts: number,
  content: Uint8Array,
  { copies, copyCount }: Delta,
  matcher: KeywordMatcher,
  lengths: readonly number[],
): PairList {
  const rewalked = rewalkedScratch;
  rewalked.length = 0;
  const joinedLength = rewalkedBytes(regions, regionInts);
  if (scratch.length < joinedLength) scratch = Buffer.allocUnsafeSlow(Math.max(joinedLength, scratch.length * 2));
  if (joinedStartsScratch.length < regionInts / 2 + 1) joinedStartsScratch = new Int32Array(Math.max(regionInts / 2 + 1, joinedStartsScratch.length * 2));
  const joinedStarts = joinedStartsScratch;
  let at = 0;
  for (let r = 0; r < regionInts; r += 2) {
    joinedStarts[r / 2] = at;
    const from = regions[r]!,
      length = regions[r + 1]! - from;
    // Most regions are a seam's few dozen bytes: a loop, rather than a view of the content for each. Longer
    // ones go through a view: looping over regions up to 1 KiB tripled this function's time on the
    // synthetic history (0.44 to 1.3 s in one thread), and the views it saved are young garbage, cheap to collect.
    if (length < LOOPED_COPY) for (let i = 0; i < length; i++) scratch[at + i] = content[from + i]!;
    else scratch.set(new Uint8Array(content.buffer, content.byteOffset + from, length), at);
    at += length;
    scratch[at++] = 0;
  }
  joinedStarts[regionInts / 2] = at;
  let region = 0;
  matcher.scanBytes(scratch.subarray(0, joinedLength), (ki, joinedEnd) => {
    while (joinedEnd > joinedStarts[region + 1]!) region++; // hits come in order
    const end = regions[2 * region]! + joinedEnd - joinedStarts[region]!;
    if (!insideOneCopy(copies, copyCount, end - lengths[ki]!, end)) rewalked.push(ki, end);
  });
  return rewalked;
}

/** 3. Both lists merged in the prefilter's order: by end, and at one end the longer keyword first. */
function mergeInPrefilterOrder(moved: PairList, rewalked: PairList, lengths: readonly number[]): Int32Array {
  const pairs = new Int32Array(Math.max(2, moved.length + rewalked.length));
  const a = moved.pairs,
    b = rewalked.pairs;
  let i = 0,
    j = 0,
    o = 0;
  while (i < moved.length || j < rewalked.length) {
    const takeA = j >= rewalked.length || (i < moved.length && (a[i + 1]! < b[j + 1]! || (a[i + 1] === b[j + 1] && lengths[a[i]!]! > lengths[b[j]!]!)));
    const from = takeA ? a : b;
    const at = takeA ? i : j;
    pairs[o++] = from[at]!;
    pairs[o++] = from[at + 1]!;
    if (takeA) i += 2;
    else j += 2;
  }
  return pairs;
}

/**
 * Reused memory for the joined regions and the two lists merged into the result (the engine is
 * synchronous: one derivation at a time per thread). Fresh ones per delta were most of the typed arrays a
 * history scan's workers allocated, each a backing store for the collector to sweep.
 */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);
/** Regions shorter than this are copied by a loop rather than through a view (an object each). */
const LOOPED_COPY = 64;
let regionScratch = new Int32Array(1024);
let joinedStartsScratch = new Int32Array(1024);
const movedScratch = new PairList(1024);
const rewalkedScratch = new PairList(1024);

/** Index (even) of the first pair whose end is after `offset`. Ends are ascending. */
function firstEndingAfter(pairs: Int32Array, length: number, offset: number): number {
  let lo = 0,
    hi = length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pairs[2 * mid + 1]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** Whether [start, end) lies within one copy's output range. */
function insideOneCopy(copies: Int32Array, copyCount: number, start: number, end: number): boolean {
  let lo = 0,
    hi = copyCount; // last copy with dst <= start
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (copies[3 * mid]! <= start) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return false;
  const c = lo - 1;
  return end <= copies[3 * c]! + copies[3 * c + 2]!;
}
