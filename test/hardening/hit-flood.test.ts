/**
 * A file flooded with token-shaped strings (a million AWS key ids) must not exhaust the scan worker:
 * the hits kept per file are capped, the rest counted and reported, and the rest of the file is still
 * scanned, so a real secret after the flood is found.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDir } from '../../connectors/dir/connector.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { fakeAwsAccessKeyId, Rng } from '../../testkit/fake-tokens.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { scratch } from './helpers.js';

describe('a flood of token-shaped strings', () => {
  it('keeps a capped number of hits, counts the rest, and still finds the secret after them', async () => {
    const dir = scratch();
    const rng = new Rng(7);
    // A thousand distinct key ids, a thousand times over (building a million distinct ones takes 15 s).
    const ids = Array.from({ length: 1000 }, () => fakeAwsAccessKeyId('123456789012', rng));
    const lines: string[] = [];
    for (let i = 0; i < 1_000_000; i++) lines.push(ids[i % 1000]!);
    const real = fakeGithubToken('after-the-flood');
    lines.push(`GITHUB_TOKEN=${real}`);
    writeFileSync(join(dir, 'flood.txt'), `${lines.join('\n')}\n`);

    const result = await collectDir(testContext(`dir:${dir}`, { options: { threads: '1', 'max-file-size': '64MiB' } }));
    const hashes = result.credentials.map((c) => c.secret!.hash);
    expect(hashes).toContain(secretHash(real));
    expect(result.credentials.length).toBeLessThanOrEqual(1001);
    expect(result.stats).toMatchObject({ filesScanned: 1, unreadable: 0 });
    expect(Number(result.stats!.hitsOverCap)).toBeGreaterThan(990_000);
    expect(result.notCovered!.map((n) => `${n.part} ${n.reason}`).join('\n')).toMatch(/file:flood\.txt .*more hits/);
  }, 300_000);
});
