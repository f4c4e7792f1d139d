import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors, sarifSchemaErrors } from '../support/schemas.js';
import { NOW, writeConfig, writeInventory } from './fixtures.js';

function setup(config: Record<string, unknown> = {}) {
  const dir = tempDir();
  const inventory = writeInventory(dir);
  const configPath = writeConfig(dir, config);
  return { dir, inventory, configPath, out: join(dir, 'out') };
}

describe('nhiscan scan (CLI)', () => {
  it('applies the provider-neutral rules to a plugin source and writes three valid reports', async () => {
    const { dir, configPath, out } = setup();
    const run = await runCli(['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', out, '--now', NOW, '--fail-on', 'none'], { cwd: dir });
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(''); // stdout stays clean; progress and logs go to stderr
    const report = readReport(out);
    expect(reportSchemaErrors(report)).toBe('');
    const byRule = (id: string) =>
      report.findings
        .filter((f: any) => f.ruleId === id)
        .map((f: any) => f.resource.name)
        .sort();
    expect(byRule('credential-not-rotated')).toEqual(['svc-billing/key-old']);
    // never used, judged by its creation date (2026-09-15 is 75 days before NOW)
    expect(byRule('credential-unused')).toEqual(['batch-runner/key-never']);
    expect(byRule('credential-long-lived')).toHaveLength(3);
    // the ownerless account's key is covered by the account's own finding
    expect(byRule('missing-owner')).toEqual(['batch-runner']);
    expect(byRule('example-service-account-naming')).toEqual(['batch-runner']);
    expect(report.sources).toEqual([expect.objectContaining({ spec: 'inventory-file:inventory.json', status: 'ok', stats: { serviceAccounts: 3, keys: 3 } })]);
    expect(report.summary.total).toBe(report.findings.length);
    const owner = report.inventory.identities.find((i: any) => i.name === 'svc-fresh').owner;
    // The owner carries its provenance: where it came from and how sure that is.
    expect(owner).toEqual({ id: 'alice@example.com', kind: 'email', source: 'tag:owner', confidence: 'high', reason: 'explicit owner tag' });

    const sarif = JSON.parse(readFileSync(join(out, 'nhiscan-report.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toBe('');
    expect(sarif.runs[0].results).toHaveLength(report.findings.length);
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('credential-unused');
    // A finding with no file in this repository names its resource as a logical location, never a made-up file.
    for (const result of sarif.runs[0].results) {
      expect(result.locations[0].physicalLocation).toBeUndefined();
      expect(result.locations[0].logicalLocations[0]).toMatchObject({ kind: 'resource', fullyQualifiedName: result.properties.resource.id });
    }
    expect(sarif.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^inventory-file:/);

    const md = readFileSync(join(out, 'nhiscan-report.md'), 'utf8');
    expect(md).toMatch(/^## Executive summary/m);
    expect(md).toMatch(/\| inventory-file:inventory.json \| ok \|/);
    expect(md).toMatch(/\| inventory-file \| 3 \| 3 \| \d+ \| 0 \| \d+ \| 2 \|/); // identities, credentials, owners active, departed, unverified, none
    expect(md).toMatch(/Why it matters/);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic writes leave no temp files
  });

  it('exit 1 when a finding reaches --fail-on, 0 when none does', async () => {
    const { dir, configPath, out } = setup();
    const high = await runCli(['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', out, '--now', NOW, '--fail-on', 'medium', '--quiet'], {
      cwd: dir,
    });
    expect(high.code).toBe(1);
    expect(readReport(out).summary.gate).toEqual({ failOn: 'medium', failed: true, gatingFindings: expect.any(Number) });
    const none = await runCli(['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', out, '--now', NOW, '--fail-on', 'high', '--quiet'], {
      cwd: dir,
    });
    expect(none.code).toBe(0);
    expect(none.stderr).toBe(''); // --quiet
  });

  it('honours per-rule severity, options and off from the config', async () => {
    const { dir, configPath, out } = setup({
      rules: {
        'credential-not-rotated': { severity: 'critical', options: { maxAgeDays: 1000 } },
        'credential-unused': 'high',
        'credential-long-lived': 'off',
      },
    });
    const run = await runCli(['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', out, '--now', NOW], { cwd: dir });
    const report = readReport(out);
    expect(report.findings.some((f: any) => f.ruleId === 'credential-not-rotated')).toBe(false); // 697 days < 1000
    expect(report.findings.some((f: any) => f.ruleId === 'credential-long-lived')).toBe(false);
    expect(report.findings.find((f: any) => f.ruleId === 'credential-unused').severity).toBe('high');
    expect(run.code).toBe(1); // default --fail-on high
  });

  it('exit 2 with a message naming the key for an invalid config', async () => {
    const dir = tempDir();
    const configPath = writeConfig(dir, { rules: { 'credential-unused': { options: { maxIdleDays: 'soon' } } }, suppressions: [{ rule: 'missing-owner' }] });
    const run = await runCli(['scan', 'dir:.', '--config', configPath, '--out', join(dir, 'out')], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/suppressions\.0\.reason/);
    expect(existsSync(join(dir, 'out'))).toBe(false);

    writeFileSync(join(dir, 'bad.yaml'), 'rules:\n  no-such-rule: high\n');
    const unknownRule = await runCli(['scan', 'dir:.', '--config', join(dir, 'bad.yaml'), '--out', join(dir, 'out')], { cwd: dir });
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr).toMatch(/rules\.no-such-rule: no such rule/);

    const badOption = await runCli(
      ['scan', 'dir:.', '--config', writeConfig(dir, { rules: { 'credential-unused': { options: { maxIdleDays: 'soon' } } } }, 'c2.json')],
      { cwd: dir },
    );
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/rules\.credential-unused\.options\.maxIdleDays/);

    writeFileSync(join(dir, 'broken.json'), '{ "sources": [');
    const broken = await runCli(['scan', '--config', join(dir, 'broken.json')], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/cannot parse config .*broken\.json/);
  });

  it('exit 2 for usage errors', async () => {
    const dir = tempDir();
    expect((await runCli(['scan', '--fail-on', 'severe'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['scan', '--format', 'pdf'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['scan', '--no-such-flag'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['launch'], { cwd: dir })).code).toBe(2);
  });

  it('exit 3 when a source fails, the others still scanned and the reports still written', async () => {
    const { dir, configPath, out } = setup();
    const run = await runCli(
      ['scan', 'inventory-file:inventory.json', 'nosuch:thing', 'import:missing.json', '--config', configPath, '--out', out, '--now', NOW, '--fail-on', 'none'],
      { cwd: dir },
    );
    expect(run.code).toBe(3);
    const report = readReport(out);
    const status = Object.fromEntries(report.sources.map((s: any) => [s.spec, s.status]));
    expect(status).toEqual({ 'inventory-file:inventory.json': 'ok', 'nosuch:thing': 'failed', 'import:missing.json': 'failed' });
    expect(report.sources.find((s: any) => s.spec === 'nosuch:thing').errors[0].message).toMatch(/unknown source type "nosuch:"/);
    expect(report.inventory.identities).toHaveLength(3);
    expect(run.stderr).toMatch(/nosuch:thing/);
  });

  it('a partly covered source gives exit 3; a gating finding still wins with exit 1', async () => {
    const dir = tempDir();
    writeInventory(dir, { accounts: [{ name: 'no-id' }, { id: 'sa-9', name: 'svc-ownerless', keys: [] }] });
    const configPath = writeConfig(dir, {});
    const partial = await runCli(
      ['scan', 'inventory-file:inventory.json', '--config', configPath, '--out', join(dir, 'o'), '--now', NOW, '--fail-on', 'none'],
      { cwd: dir },
    );
    expect(partial.code).toBe(3);
    expect(readReport(join(dir, 'o')).sources[0].status).toBe('partial');
    // missing-owner (low) on svc-ownerless reaches --fail-on low
    const gated = await runCli(
      ['scan', 'inventory-file:inventory.json', 'nosuch:x', '--config', configPath, '--out', join(dir, 'o'), '--now', NOW, '--fail-on', 'low'],
      { cwd: dir },
    );
    expect(gated.code).toBe(1);
  });

  it('scans the current directory when no source is given', async () => {
    const dir = tempDir();
    const run = await runCli(['scan', '--out', 'out', '--fail-on', 'none', '--format', 'json'], { cwd: dir });
    expect(readReport(join(dir, 'out')).sources[0].spec).toBe('dir:.');
    expect([0, 3]).toContain(run.code);
  });
});

describe('nhiscan scan --help', () => {
  it('lists the options every connector declares, once each', async () => {
    const run = await runCli(['scan', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--since', '--range', '--no-ignore', '--aws-org-role', '--github-api-url', '--repo-filter', '--scan-history', '--azure-endpoint']) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout.match(/--max-file-size/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/--max-file-size VALUE +\[dir, git\]/);
  });
});
