/**
 * Keyword hits carried through a git delta must be exactly the prefilter's hits on the result, in the
 * same order: otherwise a version of a file would be scanned against the wrong candidate windows.
 * Random bases and deltas built from keyword fragments, so matches straddle every kind of seam.
 */
import { describe, expect, it } from 'vitest';
import { keywordHitsAfterDelta, keywordHitsOf, scanBytes, type KeywordHits } from '../../src/secrets/index.js';
import { fakeGithubToken, Rng } from '../../testkit/fake-tokens.js';

// Keywords (some suffixes of others: several end at one offset), the longest ones (27 characters: the
// widest seam), fragments of them, and filler.
const PIECES = [
  'password',
  'pass',
  'PASSWORD=',
  'token',
  '_authToken',
  'secret',
  'client_secret',
  'hcp_client_secret',
  'api_key',
  'secret_access_key',
  'begin pgp private key block',
  'discordapp.com/api/webhooks',
  'begin openssh private key',
  'AKIA',
  'ghp_',
  'xoxb-',
  'pat',
  'ddapi',
  ' ',
  '\n',
  'lorem ipsum ',
  '"',
  '=',
  'ssword',
  'pa',
  'tok',
  'en',
  'client_',
  'hcp_',
  'begin pgp',
  ' private key block',
  'discordapp.com/api/',
];

function text(rng: Rng, pieces: number): string {
  let out = '';
  for (let i = 0; i < pieces; i++) out += PIECES[rng.int(PIECES.length)]!;
  return out;
}

/** A result built from `base` by random copies (up to `longestCopy` bytes) and inserts, with its copy log. */
function randomDelta(rng: Rng, base: Buffer, longestCopy = 80): { content: Buffer; copies: Int32Array; count: number } {
  const parts: Buffer[] = [];
  const copies: number[] = [];
  let length = 0;
  const steps = 1 + rng.int(12);
  for (let s = 0; s < steps; s++) {
    if (rng.next() < 0.6 && base.length > 0) {
      const src = rng.int(base.length);
      const len = 1 + rng.int(Math.min(longestCopy, base.length - src));
      copies.push(length, src, len);
      parts.push(base.subarray(src, src + len));
      length += len;
    } else {
      const inserted = Buffer.from(text(rng, 1 + rng.int(4)));
      parts.push(inserted);
      length += inserted.length;
    }
  }
  return { content: Buffer.concat(parts), copies: Int32Array.from(copies), count: copies.length / 3 };
}

const asArray = (hits: KeywordHits) => Array.from(hits.pairs.subarray(0, hits.length));

/**
 * Chains of random deltas, each built on the previous version with its derived hits, every derivation
 * checked against the prefilter on the result; returns how many derived lists held hits. A version
 * shorter than `pieces` allows restarts the chain from fresh text.
 */
function checkChains(rng: Rng, chains: number, pieces: number, longestCopy: number, rewalkedShare?: number): number {
  let derivedWithHits = 0;
  for (let chain = 0; chain < chains; chain++) {
    let base = Buffer.from(text(rng, pieces));
    let baseHits = keywordHitsOf(base);
    for (let depth = 0; depth < 10; depth++) {
      const { content, copies, count } = randomDelta(rng, base, longestCopy);
      const derived = keywordHitsAfterDelta(baseHits, content, copies, count, rewalkedShare);
      expect(asArray(derived)).toEqual(asArray(keywordHitsOf(content)));
      if (derived.length > 0) derivedWithHits += 1;
      const restart = content.length < pieces / 3;
      base = restart ? Buffer.from(text(rng, pieces)) : content; // the next delta builds on this version, with the derived hits
      baseHits = restart ? keywordHitsOf(base) : derived;
    }
  }
  return derivedWithHits;
}

describe('keyword hits through git deltas', () => {
  it('equal the prefilter on the result, in its order, over 2,000 random deltas (chained)', () => {
    // the cases exercised real keywords, not empty lists
    expect(checkChains(new Rng(20261129), 200, 40, 80)).toBeGreaterThan(1500);
  });

  // Most of those short-copy deltas leave seams over half the result, so the prefilter walks it whole
  // (the same hits by construction); derived whatever the share, all 2,000 go through the merging of
  // dense seams and the moved hits.
  it('equal the prefilter on the result when derived however much is walked again, over 2,000 random deltas (chained)', () => {
    expect(checkChains(new Rng(20261129), 200, 40, 80, Infinity)).toBeGreaterThan(1500);
  });

  // Short copies (above) leave seams over most of a result, which the prefilter then walks whole; long
  // ones leave a few seams, whose hits are derived from the base's.
  it('equal the prefilter on the result with long copies too (few seams), over 1,000 random deltas (chained)', () => {
    expect(checkChains(new Rng(20261207), 100, 600, 4000)).toBeGreaterThan(800);
  });

  it('lets the engine skip its prefilter with the same findings', () => {
    const token = fakeGithubToken('p', new Rng(7));
    const base = Buffer.from(`# settings\nlog_level = "debug"\ngithub_token = "${token}"\npassword_hint = "ask ops"\n`);
    const line = base.indexOf('github_token');
    // The next version inserts a line before the token's line and copies the rest.
    const inserted = Buffer.from('retries = 3\n');
    const edited = Buffer.concat([base.subarray(0, line), inserted, base.subarray(line)]);
    const copies = Int32Array.from([0, 0, line, line + inserted.length, line, base.length - line]);
    const derived = keywordHitsAfterDelta(keywordHitsOf(base), edited, copies, 2);
    const plain = scanBytes(edited, { path: 'app/config.py' });
    const withDerived = scanBytes(edited, { path: 'app/config.py', keywordHits: derived });
    expect(plain.hits.map((h) => [h.detectorId, h.line])).toEqual([['github-pat-classic', 4]]);
    expect(withDerived.hits).toEqual(plain.hits);
  });

  it('falls back to the prefilter when the base list overflowed', () => {
    const base = Buffer.from('token '.repeat(10));
    const overflowed: KeywordHits = { pairs: new Int32Array(2), length: 0, overflow: true };
    const derived = keywordHitsAfterDelta(overflowed, base, Int32Array.from([0, 0, base.length]), 1);
    expect(asArray(derived)).toEqual(asArray(keywordHitsOf(base)));
  });
});
