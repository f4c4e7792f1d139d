/**
 * Usage mistakes are caught before anything is collected: exit 2 with a message naming the option,
 * never a silent fallback, a source failure (exit 3), an internal error, or a run with no report.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allReports, runMain, scratch } from './helpers.js';

function treeWithFile(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'notes.txt'), 'nothing to see\n');
  return dir;
}

async function expectUsageError(args: string[], message: RegExp): Promise<void> {
  const out = join(scratch(), 'out');
  const run = await runMain(['scan', ...args, '--out', out, '--quiet']);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(message) });
  expect(run.stderr).not.toMatch(/internal error/);
  // Caught before the scan: no report was written.
  expect(existsSync(join(out, 'nhiscan-report.json'))).toBe(false);
}

describe('numeric options', () => {
  for (const value of ['-1', '0', 'abc', '1.5', '', '1e3']) {
    it(`--threads=${value} is a usage error on dir: and git:`, async () => {
      const dir = treeWithFile();
      await expectUsageError([`dir:${dir}`, `--threads=${value}`], /--threads must be a positive integer/);
      await expectUsageError([`git:${dir}`, `--threads=${value}`], /--threads must be a positive integer/);
    });
  }

  for (const value of ['0', 'lots', '-5', '3GiB', '2g']) {
    it(`--max-file-size ${value} is a usage error`, async () => {
      await expectUsageError([`dir:${treeWithFile()}`, `--max-file-size=${value}`], /--max-file-size/);
    });
  }

  it('wrong-typed or invalid settings are config errors, not source failures', async () => {
    const dir = treeWithFile();
    for (const settings of [{ dir: { threads: '4' } }, { secrets: { maxFileSize: 'huge' } }, { git: { threads: -2 } }, { secrets: { maxFileSize: 0 } }]) {
      const config = join(scratch(), 'nhiscan.config.json');
      writeFileSync(config, JSON.stringify({ settings }));
      await expectUsageError([`dir:${dir}`, `git:${dir}`, '--config', config], /settings\.(dir|secrets|git)/);
    }
  });
});

describe('other usage mistakes', () => {
  it('--format , names the problem', async () => {
    await expectUsageError([`dir:${treeWithFile()}`, '--format', ','], /--format/);
  });

  it('--now rejects impossible dates and the reference time is recorded in the report', async () => {
    for (const value of ['2026-02-31', '2026-13-01', '2026-04-31T10:00:00Z', '2026-01-01T25:00:00Z', 'yesterday']) {
      await expectUsageError([`dir:${treeWithFile()}`, '--now', value], /--now/);
    }
    const out = join(scratch(), 'out');
    const run = await runMain(['scan', `dir:${treeWithFile()}`, '--now', '2024-02-29', '--out', out, '--quiet', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'nhiscan-report.json'), 'utf8')).scan.now).toBe('2024-02-29T00:00:00.000Z');
  });

  it('--out pointing at a file fails before scanning', async () => {
    const file = join(scratch(), 'report.txt');
    writeFileSync(file, 'x');
    const run = await runMain(['scan', `dir:${treeWithFile()}`, '--out', file, '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out .*report\.txt.* not a directory/);
    expect(run.stderr).not.toMatch(/internal error/);
    const nested = await runMain(['scan', `dir:${treeWithFile()}`, '--out', join(file, 'sub'), '--quiet']);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toMatch(/--out/);
  });

  it('--config pointing at a directory is a clear config error', async () => {
    const run = await runMain(['scan', `dir:${treeWithFile()}`, '--config', scratch(), '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config .* is a directory/);
    expect(run.stderr).not.toMatch(/internal error/);
  });

  it('a baseline of another schema or tool is a clear error', async () => {
    const dir = scratch();
    const cases: Array<[unknown, RegExp]> = [
      [{ schemaVersion: '2.0.0', tool: { name: 'nhiscan', version: '9' }, findings: [] }, /schema 2\.0\.0/],
      [{ tool: { name: 'nhiscan', version: '0.0.1' }, findings: [null] }, /baseline .* finding 0/],
      [{ schemaVersion: '1.0.0', tool: { name: 'nhiscan' }, findings: [{ ruleId: 'x' }] }, /finding 0 .*fingerprint/],
      [{ version: '2.1.0', runs: [] }, /not an nhiscan JSON report/],
    ];
    for (const [content, message] of cases) {
      const file = join(dir, 'baseline.json');
      writeFileSync(file, JSON.stringify(content));
      await expectUsageError([`dir:${treeWithFile()}`, '--baseline', file], message);
    }
  });

  it('removes hidden temporary report files a killed earlier run left behind', async () => {
    const out = join(scratch(), 'out');
    mkdirSync(out);
    // A pid that cannot be alive: the run that wrote it is gone.
    const stale = join(out, '.nhiscan-report.json.999999999.deadbeef.tmp');
    writeFileSync(stale, '{"partial":');
    const run = await runMain(['scan', `dir:${treeWithFile()}`, '--out', out, '--quiet']);
    expect(run.code).toBe(0);
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(allReports(out)).toContain('nhiscan');
  });
});
