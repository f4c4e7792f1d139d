/**
 * Hostile inputs must finish: every pattern is bounded and windowed, so these run in roughly linear
 * time. The wall-clock limits are generous hang detectors, not speed assertions (speed is measured
 * as a ratio against a linear baseline in bench/secrets.ts).
 */
import { describe, expect, it } from 'vitest';
import { detectors, scanText, SecretScanner } from '../../src/secrets/index.js';
import { p } from '../../testkit/fake-tokens.js';

const HANG_GUARD_MS = 5000;

function timed<T>(fn: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = fn();
  return { result, ms: performance.now() - t0 };
}

describe('adversarial inputs finish and find nothing', () => {
  const cases: Array<[string, () => string]> = [
    ['5 MB single line of a', () => 'a'.repeat(5_000_000)],
    ['5 MB single line of A (twitter-bearer keyword everywhere)', () => 'A'.repeat(5_000_000)],
    ['ghp_ x 1e5', () => p('gh', 'p_').repeat(100_000)],
    ['password= x 1e5', () => 'password='.repeat(100_000)],
    ['"password": " x 1e5', () => '"password": "'.repeat(100_000)],
    ['token: x 1e5 on separate lines', () => '  token: \n'.repeat(100_000)],
    ['4 MB base64 run', () => Buffer.alloc(3_000_000, 7).toString('base64')],
    ['eyJ x 1e5', () => 'eyJ'.repeat(100_000)],
    ['eyJ + 1 MB + .', () => 'eyJ' + 'a'.repeat(1_000_000) + '.eyJ' + 'b'.repeat(1_000_000) + '.'],
    ['BEGIN RSA PRIVATE KEY x 1e5', () => '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(100_000)],
    ['BEGIN + 1 MB body without END', () => '-----BEGIN PRIVATE KEY-----\n' + 'QUJD'.repeat(250_000)],
    ['postgres://a: + 1 MB without @', () => p('post', 'gres') + '://a:' + 'b'.repeat(1_000_000)],
    ['https:// x 1e5', () => 'https://u:'.repeat(100_000)],
    ['AKIA x 1e5 + base64', () => (p('AK', 'IA') + 'ABCDEFGHIJKLMNOP ' + 'abcdEFGH1234/+ab'.repeat(3) + '\n').repeat(20_000)],
    ['sig= x 1e5', () => '?sv=2020-01-01&sig='.repeat(100_000)],
    ['kind: Secret with 1e5 data lines', () => 'kind: Secret\ndata:\n' + '  k: YWJjZGVmZ2hpams=\n'.repeat(100_000)],
    ['PuTTY header x 1e5', () => 'PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\n'.repeat(50_000)],
    ['1e6 short lines', () => 'x\n'.repeat(1_000_000)],
    ['Q~ x 1e5', () => 'abc1Q~'.repeat(100_000)],
    ['machine login password x 1e4', () => 'machine a login b password '.repeat(10_000)],
    ['jdbc: x 1e5', () => 'jdbc:mysql:'.repeat(100_000)],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      const text = make();
      const { result, ms } = timed(() => scanText(text, { path: 'hostile.txt' }));
      expect(ms).toBeLessThan(HANG_GUARD_MS);
      expect(result.length).toBeLessThan(50);
    });
  }

  it('every detector survives its own keywords repeated over a long line', () => {
    const slow: string[] = [];
    for (const d of detectors) {
      const scanner = new SecretScanner([d]);
      const noise = d.keywords.map((k) => k + 'Aa0/+=_-.:@'.repeat(3)).join('');
      const text = noise.repeat(Math.ceil(200_000 / noise.length));
      const { ms } = timed(() => scanner.scan(text, { path: 'x' }));
      if (ms > 1000) slow.push(`${d.id} ${ms.toFixed(0)}ms`);
    }
    expect(slow).toEqual([]);
  });
});
