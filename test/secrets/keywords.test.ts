/**
 * The prefilter must report every keyword occurrence exactly once, in end order, whatever the chunk
 * (64 KB) and the interleaved walks per chunk do at their seams.
 */
import { describe, expect, it } from 'vitest';
import { KeywordMatcher } from '../../src/secrets/keywords.js';
import { Rng } from '../../testkit/fake-tokens.js';

function naive(text: string, keywords: readonly string[]): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  keywords.forEach((kw, ki) => {
    for (let at = lower.indexOf(kw); at >= 0; at = lower.indexOf(kw, at + 1)) out.push(`${at + kw.length}:${ki}`);
  });
  return out.sort();
}

describe('KeywordMatcher', () => {
  const keywords = ['token', 'pass', 'password=', 'begin rsa private key', 'ghp_', 'akia', 'q~', 'ss', 'sss', 'discordapp.com/api/webhooks'];
  const matcher = new KeywordMatcher(keywords);
  const rng = new Rng(7);

  it('finds every occurrence, case-insensitively, across chunk and walk seams, in end order', () => {
    for (const size of [10, 150, 5_000, 65_536, 65_537, 131_072 + 17, 300_000]) {
      const parts: string[] = [];
      let length = 0;
      while (length < size) {
        const piece = rng.int(3) === 0 ? keywords[rng.int(keywords.length)]! : 'xyzS ~\n'.slice(0, 1 + rng.int(7));
        const cased = rng.int(2) === 0 ? piece.toUpperCase() : piece;
        parts.push(cased);
        length += cased.length;
      }
      const text = parts.join('');
      const found: string[] = [];
      let lastEnd = 0;
      matcher.scan(text, (ki, end) => {
        expect(end).toBeGreaterThanOrEqual(lastEnd);
        lastEnd = end;
        found.push(`${end}:${ki}`);
      });
      expect(found.slice().sort()).toEqual(naive(text, keywords));
      const viaBytes: string[] = [];
      matcher.scanBytes(Buffer.from(text, 'latin1'), (ki, end) => viaBytes.push(`${end}:${ki}`));
      expect(viaBytes).toEqual(found);
    }
  });

  it('finds a keyword at every offset around the middle of a chunk and a chunk boundary', () => {
    const kw = keywords[9]!; // the longest: it straddles the seam in the most ways
    for (const base of [(65_536 - kw.length) >> 1, 65_536]) {
      for (let d = -kw.length - 2; d <= kw.length + 2; d++) {
        const text = 'x'.repeat(base + d) + kw + 'y'.repeat(70_000);
        const found: number[] = [];
        matcher.scan(text, (ki, end) => {
          if (ki === 9) found.push(end);
        });
        expect(found).toEqual([base + d + kw.length]);
      }
    }
  });

  it('finds keywords straddling every split point of a full and of a shorter chunk, for up to 8 walks', () => {
    // A chunk is split into equal parts walked interleaved (part = (length - overlap) / walks, overlap = the
    // longest keyword - 1): keywords are put around every multiple of 1/8 of (length - overlap) for a full
    // chunk and for a 40 000-character last chunk, which covers the split points of 2, 4 and 8 walks (give or
    // take the rounding, well within the ±(length + 2) each keyword moves by). The longest keyword straddles a
    // point in the most ways; a short one is also seen whole by the walk before the point, which must not report it.
    const overlap = keywords[9]!.length - 1;
    const points = [65_536, 40_000].flatMap((length, chunk) =>
      Array.from({ length: 7 }, (_, j) => chunk * 65_536 + Math.floor(((j + 1) * (length - overlap)) / 8)),
    );
    const automaton = new KeywordMatcher(keywords, { directBudget: 0 });
    for (const ki of [9, 0]) {
      const kw = keywords[ki]!;
      for (let d = -kw.length - 2; d <= kw.length + 2; d++) {
        const text = Buffer.alloc(65_536 + 40_000, 'x');
        for (const p of points) text.write(kw.toUpperCase(), p + d, 'latin1');
        const found: number[] = [];
        automaton.scanBytes(text, (hit, end) => {
          if (hit === ki) found.push(end);
        });
        expect(found).toEqual(points.map((p) => p + d + kw.length));
      }
    }
  });

  it('reports the same hits in the same order by direct search (small inputs) as by the automaton', () => {
    const direct = new KeywordMatcher(keywords, { directBudget: Infinity });
    const automaton = new KeywordMatcher(keywords, { directBudget: 0 });
    // Keywords inside others and sharing ends (pass/password=, ss/sss), any case, Latin-1 and code units above 0xFF
    // (the automaton reads their low byte: U+0161 reads as 'a'), across a chunk seam.
    const alphabet = ['ss', 'S', 'pa', 'PASS', 'word=', 'token', 'ghp_', 'é', '\u0161', '\u0173', 'x', '\n', ' '];
    for (const size of [0, 1, 40, 3_000, 70_000]) {
      const parts: string[] = [];
      for (let length = 0; length < size; length += parts.at(-1)!.length) parts.push(alphabet[rng.int(alphabet.length)]!);
      const text = parts.join('');
      const hits = (m: KeywordMatcher, scan: (m: KeywordMatcher, onHit: (ki: number, end: number) => void) => void) => {
        const found: string[] = [];
        scan(m, (ki, end) => found.push(`${end}:${ki}`));
        return found;
      };
      const byAutomaton = hits(automaton, (m, onHit) => m.scan(text, onHit));
      expect(hits(direct, (m, onHit) => m.scan(text, onHit))).toEqual(byAutomaton);
      const bytes = Buffer.from(text, 'latin1');
      expect(hits(direct, (m, onHit) => m.scanBytes(bytes, onHit))).toEqual(hits(automaton, (m, onHit) => m.scanBytes(bytes, onHit)));
      if (size >= 3_000) expect(byAutomaton.length).toBeGreaterThan(100);
    }
    expect(() => new KeywordMatcher(['caf\u00e9'])).toThrow(/keyword must be ASCII/);
  });
});
