/**
 * regexReach bounds how far a pattern reads around where a match attempt starts; the engine runs an
 * anchored detector on a slice that wide instead of on the decoded file, so the bound must never be
 * short, and must be absent where none exists.
 */
import { describe, expect, it } from 'vitest';
import { regexReach } from '../../src/secrets/regex-reach.js';
import { DETECTORS } from '../../src/secrets/detectors/index.js';
import { scanBytes, scanText } from '../../src/secrets/index.js';

describe('regexReach', () => {
  it('adds up what a pattern consumes, its lookarounds and its bounded repeats', () => {
    expect(regexReach('ab{3}c')).toEqual({ before: 0, after: 5 });
    expect(regexReach('(?<=xy)a{0,5}?')).toEqual({ before: 2, after: 5 });
    expect(regexReach('(?:a|bcd){2}x(?=abc)')).toEqual({ before: 0, after: 10 });
    expect(regexReach('[\\]a]{2}\\bfoo\\b^$')).toEqual({ before: 0, after: 5 });
    expect(regexReach('(?<name>\\x41\\u0042\\u{43}\\p{L}.)')).toEqual({ before: 0, after: 5 });
    expect(regexReach('a{')).toEqual({ before: 0, after: 2 }); // a literal brace
  });

  it('has no bound for unbounded repeats, backreferences, lookarounds inside lookbehinds or syntax it does not follow', () => {
    for (const source of ['a*', 'a+', 'a{2,}', '(a)\\1', '(?<x>a)\\k<x>', '(?<=a(?=bc))', '(?<=a(?<=b))', '[abc', '(ab', 'é{3}'])
      expect(regexReach(source), source).toBeUndefined();
    expect(regexReach('a', 'v')).toBeUndefined();
  });

  it('bounds every built-in anchored detector, so none of them needs its file decoded to rule a match out', () => {
    const anchored = DETECTORS.filter((d) => d.anchor);
    expect(anchored.length).toBeGreaterThan(0);
    for (const d of anchored) expect(regexReach(d.pattern.source, d.pattern.flags), d.id).toBeDefined();
  });

  it('the engine finds an anchored match of the longest value its pattern allows, at the start and at the end of a file', () => {
    const value = Array.from({ length: 400 }, (_, i) => 'Zq7xK9mWp2'[i % 10]).join('');
    for (const text of [`DB_PASSWORD=${value}`, `${'int x = 1;\n'.repeat(20)}DB_PASSWORD=${value}`, `DB_PASSWORD="${value}"\n${'/* */\n'.repeat(9)}`]) {
      const expected = scanText(text, { path: 'app.env' });
      expect(expected.length).toBe(1);
      expect(scanBytes(Buffer.from(text, 'latin1'), { path: 'app.env' }).hits).toEqual(expected);
    }
  });
});
