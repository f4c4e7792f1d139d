import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, ROOT, runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors, sarifSchemaErrors } from '../support/schemas.js';
import { generatePaymentsRepo } from '../../examples/estate/generate.js';

describe('the sample estate (what npm start scans)', () => {
  it('joins code and cloud in one valid report: the leaked key is matched to its live, admin-equivalent IAM user', async () => {
    generatePaymentsRepo();
    const out = tempDir();
    const run = await runCli(['scan', '--config', 'examples/estate/nhiscan.config.json', '--out', out, '--fail-on', 'none', '--now', '2026-11-29T00:00:00Z'], {
      cwd: ROOT,
      subprocess: true, // what npm start runs: the built binary
    });
    expect(run.code).toBe(0);
    const report = readReport(out);
    expect(reportSchemaErrors(report)).toBe('');
    expect(sarifSchemaErrors(JSON.parse(readFileSync(join(out, 'nhiscan-report.sarif'), 'utf8')))).toBe('');
    expect(report.sources.map((s: any) => s.status)).toEqual(report.sources.map(() => 'ok'));
    const providers = new Set(report.inventory.identities.map((i: any) => i.provider));
    expect([...providers].sort()).toEqual(expect.arrayContaining(['aws', 'azure', 'entra', 'github']));

    const leak = report.findings.find((f: any) => f.ruleId === 'aws-leaked-key-active');
    expect(leak).toMatchObject({ severity: 'critical', category: 'leaked-secret' });
    expect(leak.message).toMatch(/ci-deployer.*administrator-equivalent/);
    const leaked = report.inventory.credentials.find((c: any) => c.secret?.detector === 'aws-access-key-pair');
    expect(leaked.identityId).toMatch(/^aws:iam-user:.*ci-deployer$/);
    // The Entra client secret in deploy/azure.env is matched to payments-api by its hint and the client id beside it.
    const entraLeak = report.findings.find((f: any) => f.ruleId === 'entra-leaked-secret-active');
    expect(entraLeak).toMatchObject({ severity: 'high', category: 'leaked-secret', location: expect.objectContaining({ path: 'deploy/azure.env' }) });
    expect(entraLeak.message).toMatch(/payments-api.*User\.Read\.All.*alice\.martin@contoso\.example/);
    expect(entraLeak.evidence.matchedBy).toBe('hint+appId');
    // every category of finding the estate is built to show
    const categories = new Set(report.findings.map((f: any) => f.category));
    for (const c of [
      'leaked-secret',
      'excess-privilege',
      'missing-owner',
      'unrotated-credential',
      'unused-credential',
      'long-lived-credential',
      'insecure-configuration',
      'improper-offboarding',
    ]) {
      expect(categories, c).toContain(c);
    }
    const md = readFileSync(join(out, 'nhiscan-report.md'), 'utf8');
    expect(md).toMatch(/\| aws \| \d+ \| \d+ \| \d+ \|/);
  });
});
