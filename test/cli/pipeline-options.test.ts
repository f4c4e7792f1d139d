/** What a pipeline leans on: `--out -` for piping, `--quiet` that still says why, config found from a subfolder. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/schemas.js';
import { NOW, writeConfig, writeInventory } from './fixtures.js';

function setup() {
  const dir = tempDir();
  writeInventory(dir);
  return { dir, configPath: writeConfig(dir, {}) };
}

describe('--out -', () => {
  it('writes the JSON report to stdout and nothing to disk', async () => {
    const { dir, configPath } = setup();
    const run = await runCli(['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', '-', '--now', NOW, '--fail-on', 'none'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(reportSchemaErrors(report)).toBe('');
    expect(report.findings.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'nhiscan-report'))).toBe(false);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('refuses a format other than json on stdout (exit 2)', async () => {
    const { dir, configPath } = setup();
    const run = await runCli(['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', '-', '--format', 'json,sarif'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out - writes the JSON report to stdout; --format must be json/);
  });
});

describe('--quiet', () => {
  it('says in one line why the gate failed (exit 1)', async () => {
    const { dir, configPath } = setup();
    const run = await runCli(['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', 'out', '--now', NOW, '--fail-on', 'low', '--quiet'], {
      cwd: dir,
    });
    expect(run.code).toBe(1);
    const gating = readReport(join(dir, 'out')).summary.gate.gatingFindings;
    expect(run.stderr).toBe(`nhiscan: exit 1: gate failed: ${gating} finding(s) at or above low\n`);
  });

  it('says in one line which source was not covered (exit 3)', async () => {
    const { dir, configPath } = setup();
    const run = await runCli(
      ['scan', 'inventory-file:inventory.json', 'import:missing.json', '--config', configPath, '--out', 'out', '--fail-on', 'none', '--quiet'],
      {
        cwd: dir,
      },
    );
    expect(run.code).toBe(3);
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe('nhiscan: exit 3: not fully covered: import:missing.json (failed)');
  });
});

describe('config discovery', () => {
  it('finds the config in a parent folder, up to the repository root and no further', async () => {
    const outer = tempDir();
    // Above the repository: never read (it would fail the scan with an unknown plugin).
    writeConfig(outer, { plugins: ['./no-such-plugin.js'] });
    const repo = join(outer, 'repo');
    mkdirSync(join(repo, 'services', 'billing'), { recursive: true });
    execFileSync('git', ['init', '-q', repo]);
    writeInventory(repo);
    writeConfig(repo, { sources: ['inventory-file:inventory.json'], failOn: 'none' });
    const run = await runCli(['scan', '--out', 'out', '--now', NOW, '--quiet'], { cwd: join(repo, 'services', 'billing') });
    expect(run.code, run.stderr).toBe(0);
    const report = readReport(join(repo, 'services', 'billing', 'out'));
    expect(report.scan.config).toBe(join('..', '..', 'nhiscan.config.json'));
    expect(report.sources.map((s: { spec: string }) => s.spec)).toEqual(['inventory-file:inventory.json']);

    // A subfolder's own config is nearer, so it wins.
    writeConfig(join(repo, 'services'), { sources: ['inventory-file:../inventory.json'], failOn: 'none' });
    const nearer = await runCli(['scan', '--out', 'out2', '--now', NOW, '--quiet'], { cwd: join(repo, 'services', 'billing') });
    expect(nearer.code, nearer.stderr).toBe(0);
    expect(readReport(join(repo, 'services', 'billing', 'out2')).scan.config).toBe(join('..', 'nhiscan.config.json'));
  });
});
