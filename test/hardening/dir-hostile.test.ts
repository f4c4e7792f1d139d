/**
 * dir: and import: on hostile trees: FIFOs are never opened, names that are not UTF-8 are read and
 * reported, and the statistics count what was read.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDir } from '../../connectors/dir/connector.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { runMain, scratch } from './helpers.js';

const scanDir = (dir: string, options: Record<string, unknown> = {}) => collectDir(testContext(`dir:${dir}`, { options: { threads: '1', ...options } }));

describe('dir: and import: never open a FIFO', () => {
  it('skips a FIFO named .gitignore and scans the rest', async () => {
    const dir = scratch();
    const secret = fakeGithubToken('beside-a-fifo');
    writeFileSync(join(dir, 'app.env'), `TOKEN=${secret}\n`);
    execFileSync('mkfifo', [join(dir, '.gitignore')]);
    const result = await scanDir(dir);
    expect(result.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(secret)]);
    expect(result.notCovered!.map((n) => `${n.part} ${n.reason}`).join('\n')).toMatch(/file:\.gitignore not a regular file/);
  });

  it('refuses import: of a FIFO with a clear error instead of hanging', async () => {
    const dir = scratch();
    const fifo = join(dir, 'export.json');
    execFileSync('mkfifo', [fifo]);
    const run = await runMain(['scan', `import:${fifo}`, '--out', join(dir, 'out'), '--quiet', '--format', 'json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/not a regular file/);
  });
});

describe('dir: statistics', () => {
  it('counts the bytes of files of 1 MiB and more', async () => {
    const dir = scratch();
    const size = 1536 * 1024;
    writeFileSync(join(dir, 'big.txt'), 'a'.repeat(size - 1) + '\n');
    writeFileSync(join(dir, 'small.txt'), 'hello\n');
    const result = await scanDir(dir);
    expect(result.stats).toMatchObject({ filesScanned: 2, bytesScanned: size + 6 });
  });
});
