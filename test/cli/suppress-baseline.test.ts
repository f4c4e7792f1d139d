import { describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors, sarifSchemaErrors } from '../support/schemas.js';
import { NOW, writeConfig, writeInventory } from './fixtures.js';

const scan = (dir: string, configPath: string, out: string, extra: string[] = []) =>
  runCli(['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', out, '--now', NOW, '--quiet', ...extra], { cwd: dir });

describe('suppressions (CLI)', () => {
  it('suppresses by fingerprint and by rule + resource pattern, with the reason in the report', async () => {
    const dir = tempDir();
    writeInventory(dir);
    const first = join(dir, 'first');
    await scan(dir, writeConfig(dir, {}), first, ['--fail-on', 'none']);
    const unrotated = readReport(first).findings.find((f: any) => f.ruleId === 'credential-not-rotated');

    const configPath = writeConfig(dir, {
      suppressions: [
        { fingerprint: unrotated.fingerprint, reason: 'rotation scheduled in JIRA-42', expires: '2027-01-31' },
        { rule: 'credential-long-lived', resource: '*key-*', reason: 'the example provider cannot expire keys' },
      ],
    });
    const out = join(dir, 'out');
    const run = await scan(dir, configPath, out, ['--fail-on', 'medium']);
    const report = readReport(out);
    expect(reportSchemaErrors(report)).toBe('');
    const suppressed = report.findings.filter((f: any) => f.suppressed);
    expect(suppressed.map((f: any) => f.ruleId).sort()).toEqual([
      'credential-long-lived',
      'credential-long-lived',
      'credential-long-lived',
      'credential-not-rotated',
    ]);
    expect(suppressed.find((f: any) => f.ruleId === 'credential-not-rotated').suppressed).toEqual({
      reason: 'rotation scheduled in JIRA-42',
      expires: '2027-01-31',
      by: `fingerprint ${unrotated.fingerprint}`,
    });
    expect(report.summary.suppressed).toBe(4);
    // credential-unused (medium) on key-never still gates
    expect(run.code).toBe(1);
    expect(report.summary.byRule['credential-not-rotated']).toBeUndefined();
    const sarif = JSON.parse(readFileSync(join(out, 'nhiscan-report.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toBe('');
    expect(sarif.runs[0].results.filter((r: any) => r.suppressions).length).toBe(4);
    expect(readFileSync(join(out, 'nhiscan-report.md'), 'utf8')).toMatch(/## Suppressed[\s\S]*JIRA-42/);
  });

  it('an expired suppression stops suppressing and is itself reported', async () => {
    const dir = tempDir();
    writeInventory(dir);
    const configPath = writeConfig(dir, {
      suppressions: [{ rule: 'credential-unused', reason: 'batch job runs quarterly', expires: '2026-10-01' }],
    });
    const out = join(dir, 'out');
    const run = await scan(dir, configPath, out, ['--fail-on', 'medium']);
    const report = readReport(out);
    const unused = report.findings.find((f: any) => f.ruleId === 'credential-unused');
    expect(unused.suppressed).toBeUndefined();
    const expired = report.findings.find((f: any) => f.ruleId === 'suppression-expired');
    expect(expired.message).toMatch(/expired on 2026-10-01.*no longer hides 1 finding/);
    expect(expired.category).toBe('insecure-configuration');
    expect(run.code).toBe(1);
  });
});

describe('--baseline (CLI)', () => {
  it('lists new, persisting and resolved findings and gates only on new ones', async () => {
    const dir = tempDir();
    writeInventory(dir);
    const configPath = writeConfig(dir, {});
    const before = join(dir, 'before');
    expect((await scan(dir, configPath, before, ['--fail-on', 'medium'])).code).toBe(1);

    // Same estate: everything persists, nothing is new, so the gate passes.
    const same = join(dir, 'same');
    const unchanged = await scan(dir, configPath, same, ['--fail-on', 'medium', '--baseline', join(before, 'nhiscan-report.json')]);
    expect(unchanged.code).toBe(0);
    const sameReport = readReport(same);
    expect(sameReport.summary.baseline).toEqual({ new: 0, persisting: sameReport.findings.length, resolved: 0 });

    // The unowned batch-runner gets an owner (its missing-owner findings resolve) and a new idle key appears.
    writeInventory(dir, {
      accounts: [
        {
          id: 'sa-1',
          name: 'svc-billing',
          owner: 'team-billing',
          keys: [{ id: 'key-old', createdAt: '2025-01-01T00:00:00Z', lastUsedAt: '2026-11-28T00:00:00Z' }],
        },
        {
          id: 'sa-2',
          name: 'batch-runner',
          owner: 'team-batch',
          keys: [
            { id: 'key-never', createdAt: '2026-09-15T00:00:00Z' },
            { id: 'key-idle', createdAt: '2026-11-01T00:00:00Z', lastUsedAt: '2026-10-01T00:00:00Z' },
          ],
        },
        {
          id: 'sa-3',
          name: 'svc-fresh',
          owner: 'alice@example.com',
          keys: [{ id: 'key-fresh', createdAt: '2026-11-20T00:00:00Z', lastUsedAt: '2026-11-28T00:00:00Z' }],
        },
      ],
    });
    const after = join(dir, 'after');
    const run = await scan(dir, configPath, after, ['--fail-on', 'medium', '--baseline', join(before, 'nhiscan-report.json')]);
    const report = readReport(after);
    expect(reportSchemaErrors(report)).toBe('');
    const by = (status: string) =>
      report.findings
        .filter((f: any) => f.status === status)
        .map((f: any) => `${f.ruleId} ${f.resource.name}`)
        .sort();
    expect(by('new')).toEqual(['credential-long-lived batch-runner/key-idle', 'credential-unused batch-runner/key-idle']);
    expect(by('resolved')).toEqual(['missing-owner batch-runner']);
    expect(by('persisting')).toContain('credential-not-rotated svc-billing/key-old');
    expect(report.summary.baseline).toEqual({ new: 2, persisting: by('persisting').length, resolved: 1 });
    expect(run.code).toBe(1); // the new unused key is medium
    const sarif = JSON.parse(readFileSync(join(after, 'nhiscan-report.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toBe('');
    // resolved findings are not SARIF results (code scanning closes alerts absent from an upload)
    expect(new Set(sarif.runs[0].results.map((r: any) => r.baselineState))).toEqual(new Set(['new', 'unchanged']));
    expect(sarif.runs[0].results).toHaveLength(report.findings.length - 1);
    expect(readFileSync(join(after, 'nhiscan-report.md'), 'utf8')).toMatch(/2 new, \d+ persisting, 1 resolved/);
  });

  it('a baseline that is not an nhiscan report is a usage error (exit 2)', async () => {
    const dir = tempDir();
    writeInventory(dir);
    const configPath = writeConfig(dir, {});
    const run = await scan(dir, configPath, join(dir, 'o'), ['--baseline', configPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not an nhiscan JSON report/);
  });
});

describe('import: of a saved nhiscan report', () => {
  it('re-evaluates a saved inventory under new rule settings without re-collecting', async () => {
    const dir = tempDir();
    writeInventory(dir);
    const first = join(dir, 'first');
    await scan(dir, writeConfig(dir, {}), first, ['--fail-on', 'none']);
    copyFileSync(join(first, 'nhiscan-report.json'), join(dir, 'saved.json'));

    const strict = writeConfig(dir, { rules: { 'credential-not-rotated': { options: { maxAgeDays: 5 } } } }, 'strict.json');
    const out = join(dir, 'again');
    // No inventory-file source this time: everything comes from the saved report.
    const run = await runCli(['scan', 'import:saved.json', '--config', strict, '--out', out, '--now', NOW, '--fail-on', 'none', '--quiet'], { cwd: dir });
    expect(run.code).toBe(0);
    const report = readReport(out);
    expect(report.inventory.identities).toHaveLength(3);
    expect(report.sources[0]).toMatchObject({ spec: 'import:saved.json', status: 'ok' });
    expect(
      report.findings
        .filter((f: any) => f.ruleId === 'credential-not-rotated')
        .map((f: any) => f.resource.name)
        .sort(),
    ).toEqual(['batch-runner/key-never', 'svc-billing/key-old', 'svc-fresh/key-fresh']);
    // Fingerprints are stable across the re-evaluation.
    const firstPrints = new Set(readReport(first).findings.map((f: any) => f.fingerprint));
    const keyOld = report.findings.find((f: any) => f.ruleId === 'credential-not-rotated' && f.resource.name === 'svc-billing/key-old');
    expect(firstPrints.has(keyOld.fingerprint)).toBe(true);
  });

  it('names the file and the supported formats when an export is not recognised', async () => {
    const dir = tempDir();
    writeInventory(dir);
    const run = await runCli(['scan', 'import:inventory.json', '--out', join(dir, 'o'), '--fail-on', 'none', '--quiet'], { cwd: dir });
    expect(run.code).toBe(3);
    const error = readReport(join(dir, 'o')).sources[0].errors[0].message;
    expect(error).toMatch(/cannot tell what export inventory\.json is; supported formats: .*nhiscan-report/);
  });
});
