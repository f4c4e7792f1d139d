import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testEnv } from '../support/env.js';
import { startGithubEmulator, type GithubEmulator } from '../../testkit/github/server.js';
import { acmeOrg, fakeGithubPat } from '../../testkit/github/orgs.js';

const run = promisify(execFile);
const CLI = 'dist/cli/cli.js';

// `npm test` builds first; a lone `vitest run` builds here when dist is missing.
beforeAll(() => {
  if (!existsSync(CLI)) {
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'ignore' });
    } catch {
      // Type errors elsewhere in the tree still emit JavaScript.
    }
  }
}, 180_000);

async function scan(args: string[], env: Record<string, string> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'nhiscan-gh-cli-'));
  const result = await run('node', [CLI, 'scan', ...args, '--out', out, '--format', 'json', '--fail-on', 'none', '--quiet'], { env: testEnv(env) }).catch(
    (e) => e,
  );
  const report = JSON.parse(readFileSync(join(out, 'nhiscan-report.json'), 'utf8'));
  return { result, report, out };
}

describe('nhiscan scan with GitHub sources (CLI)', () => {
  const token = fakeGithubPat();
  const { org, leakedValues } = acmeOrg();
  let emulator: GithubEmulator;
  beforeAll(async () => {
    emulator = await startGithubEmulator(org, { tokens: [token], ignoreHideSecret: true });
  });
  afterAll(() => emulator.close());

  it('scans the sample organisation snapshot offline', async () => {
    const { report } = await scan(['import:examples/estate/github/acme-org.json']);
    expect(report.sources[0]).toMatchObject({ spec: 'import:examples/estate/github/acme-org.json', status: 'ok' });
    const rules = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
    for (const id of [
      'github-deploy-key-write-access',
      'github-secret-scanning-alert',
      'github-webhook-insecure',
      'github-fine-grained-pat-long-lived',
      'missing-owner',
    ])
      expect(rules).toContain(id);
    // Specialised neutral rules stay quiet on GitHub kinds: one problem, one finding.
    const neutral = report.findings.filter(
      (f: { ruleId: string; resource: { kind: string } }) =>
        f.ruleId === 'credential-not-rotated' && ['deploy-key', 'actions-secret'].includes(f.resource.kind),
    );
    expect(neutral).toEqual([]);
  });

  it('scans github:ORG live through --github-api-url with GITHUB_TOKEN, never writing the leaked secrets', async () => {
    const { report, out } = await scan(['github:acme', '--github-api-url', emulator.url, '--repo-filter', 'api', '--repo-filter', 'web'], {
      GITHUB_TOKEN: token,
    });
    expect(report.sources[0]).toMatchObject({ spec: 'github:acme', status: 'partial' });
    expect(report.inventory.credentials.some((c: { kind: string }) => c.kind === 'deploy-key')).toBe(true);
    const critical = report.findings.find(
      (f: { ruleId: string; severity: string }) => f.ruleId === 'github-secret-scanning-alert' && f.severity === 'critical',
    );
    expect(critical.location).toMatchObject({ path: 'src/config/settings.ts' });
    const written = readFileSync(join(out, 'nhiscan-report.json'), 'utf8');
    for (const value of leakedValues) expect(written).not.toContain(value);
    expect(written).not.toContain(token);
    expect(new Set(emulator.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });
});
