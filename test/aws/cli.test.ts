import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { AwsEmulator } from '../../testkit/aws/server.js';
import { smallAccount } from './fixtures.js';
import { reportSchemaErrors } from '../support/schemas.js';

let emulator: AwsEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
});

function config(dir: string): string {
  const path = join(dir, 'nhiscan.config.json');
  writeFileSync(path, JSON.stringify({ settings: { aws: { reportPollMs: 5, maxAttempts: 3 } } }));
  return path;
}

describe('nhiscan scan aws (CLI, built)', () => {
  it('scans an emulated account through AWS_ENDPOINT_URL and reports credential findings, read-only', async () => {
    emulator = await new AwsEmulator({ accounts: [smallAccount()] }).start();
    const dir = tempDir('nhiscan-aws-cli-');
    const out = join(dir, 'out');
    const run = await runCli(['scan', 'aws', '--config', config(dir), '--out', out, '--format', 'json', '--fail-on', 'none', '--now', '2026-11-29T00:00:00Z'], {
      cwd: dir,
      env: { AWS_ENDPOINT_URL: emulator.url },
    });
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.code).toBe(0);
    const report = readReport(out);
    expect(report.sources).toEqual([expect.objectContaining({ spec: 'aws', status: 'ok', errors: [] })]);
    expect(report.inventory.identities.filter((i: any) => i.provider === 'aws').length).toBe(6);
    const rules = new Set(report.findings.map((f: any) => f.ruleId));
    expect(rules).toContain('aws-root-access-key');
    expect(rules).toContain('aws-access-key-not-rotated'); // ci-deployer's 2024 key
    expect(JSON.stringify(report)).not.toContain('test-secret-not-a-real-key');
    for (const action of emulator.actions()) expect(action).toMatch(/^(Get|List|Describe)|^GenerateCredentialReport$/);
  });

  it('--aws-org-role reports each account as its own source; a refused account is failed and the scan exits 3', async () => {
    emulator = await new AwsEmulator({ accounts: [smallAccount('111111111111'), smallAccount('222222222222')], denyAssumeRoleInto: ['222222222222'] }).start();
    const dir = tempDir('nhiscan-aws-cli-');
    const out = join(dir, 'out');
    const run = await runCli(['scan', 'aws', '--aws-org-role', 'Audit', '--config', config(dir), '--out', out, '--format', 'json', '--fail-on', 'none'], {
      cwd: dir,
      env: { AWS_ENDPOINT_URL: emulator.url },
    });
    expect(run.stderr).not.toMatch(/unexpected error|NodeVersionSupportWarning/);
    expect(run.code).toBe(3); // an account was not covered
    expect(run.stderr).toMatch(/aws#account:222222222222 was failed: account:222222222222: .*AccessDenied/);
    const report = readReport(out);
    expect(reportSchemaErrors(report)).toBe('');
    const sources = report.sources;
    expect(sources.map((s: any) => [s.spec, s.status, s.parent])).toEqual([
      ['aws', 'partial', undefined],
      ['aws#account:111111111111', 'ok', 'aws'],
      ['aws#account:222222222222', 'failed', 'aws'],
    ]);
    expect(sources[0].stats).toMatchObject({ accounts: 2, accountsScanned: 1, accountsFailed: 1 });
    expect(sources[1].stats).toMatchObject({ users: 3 });
    expect(sources[2].errors).toEqual([{ part: 'account:222222222222', message: expect.stringMatching(/AccessDenied/) }]);
  });

  it('an organization whose accounts are all readable exits 0 with every account ok', async () => {
    emulator = await new AwsEmulator({ accounts: [smallAccount('111111111111'), smallAccount('222222222222')] }).start();
    const dir = tempDir('nhiscan-aws-cli-');
    const out = join(dir, 'out');
    const run = await runCli(['scan', 'aws', '--aws-org-role', 'Audit', '--config', config(dir), '--out', out, '--format', 'json', '--fail-on', 'none'], {
      cwd: dir,
      env: { AWS_ENDPOINT_URL: emulator.url },
    });
    expect(run.code).toBe(0);
    expect(readReport(out).sources.map((s: any) => `${s.spec}=${s.status}`)).toEqual(['aws=ok', 'aws#account:111111111111=ok', 'aws#account:222222222222=ok']);
  });
});
