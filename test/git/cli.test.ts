import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { secretHash } from '../../src/redact.js';
import { ALICE, BOB, TestRepo } from '../../testkit/git-repo.js';
import { fakeAwsKeyId, fakeAwsSecret, fakeGithubToken } from '../../testkit/seeded-tokens.js';

const NOW = '2026-11-29T00:00:00Z';

function estate() {
  const repo = TestRepo.create();
  const historyToken = fakeGithubToken('cli-history');
  const ignoredToken = fakeGithubToken('cli-ignored');
  const listedToken = fakeGithubToken('cli-listed');
  const awsSecret = fakeAwsSecret('cli-aws');
  repo.commit('initial', { 'README.md': '# svc\n', 'docs/example.env': 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nGITHUB_TOKEN=<your-token-here>\n' });
  const intro = repo.commit('release script', { 'scripts/release.sh': `export GITHUB_TOKEN=${historyToken}\n` }, ALICE);
  repo.commit('drop token', { 'scripts/release.sh': 'echo release\n' }, BOB);
  const base = repo.commit(
    'ci',
    {
      'deploy/ci.env': `aws_access_key_id = ${fakeAwsKeyId('cli-aws')}\naws_secret_access_key = ${awsSecret}\n`,
      'test-data/tokens.txt': `${listedToken}\n`,
      'scripts/dev.sh': `export GH=${ignoredToken} # nhiscan:ignore\n`,
    },
    BOB,
  );
  return { repo, historyToken, ignoredToken, listedToken, awsSecret, intro, base };
}

async function scan(args: string[], cwd: string) {
  const out = tempDir('nhiscan-git-cli-out-');
  const run = await runCli(['scan', ...args, '--out', out, '--format', 'json', '--fail-on', 'none', '--now', NOW, '--quiet'], { cwd });
  expect(run.stderr).not.toMatch(/unexpected error/i);
  expect(run.code).toBe(0);
  return { report: readReport(out), text: readFileSync(join(out, 'nhiscan-report.json'), 'utf8') };
}

describe('git: through the CLI', () => {
  it('reports history and HEAD leaks, honours inline ignores and config allowlists, caches blobs, and scans a --range', async () => {
    const { repo, historyToken, ignoredToken, listedToken, awsSecret, intro, base } = estate();
    const config = join(repo.dir, '..', `nhiscan-${Date.now()}.config.json`);
    writeFileSync(config, JSON.stringify({ settings: { secrets: { allowlist: { paths: ['test-data/**'] } } } }));

    const first = await scan([`git:${repo.dir}`, '--config', config], repo.dir);
    for (const value of [historyToken, ignoredToken, listedToken, awsSecret]) expect(first.text).not.toContain(value);
    const leaks = first.report.findings.filter((f: any) => f.ruleId === 'leaked-secret');
    const byPath = Object.fromEntries(leaks.map((f: any) => [f.location.path, f]));
    expect(Object.keys(byPath).sort()).toEqual(['deploy/ci.env', 'scripts/release.sh']);
    // A checksum-valid token only in history stays at the gate: removing it from HEAD does not revoke it.
    expect(byPath['scripts/release.sh']).toMatchObject({
      category: 'leaked-secret',
      severity: 'high',
      evidence: { confidence: 'validated', stillInHistory: true },
      location: { commit: intro, line: 1 },
    });
    expect(byPath['scripts/release.sh'].owasp).toContain('NHI2');
    expect(byPath['scripts/release.sh'].message).toContain('removed from HEAD but still in history');
    expect(byPath['deploy/ci.env']).toMatchObject({ severity: 'critical' });
    const source = first.report.sources[0];
    expect(source).toMatchObject({ spec: `git:${repo.dir}`, status: 'ok' });
    expect(source.stats).toMatchObject({ cachedBlobs: 0 });
    const credentialHashes = first.report.inventory.credentials.map((c: any) => c.secret.hash).sort();
    expect(credentialHashes).toEqual([secretHash(historyToken), secretHash(awsSecret)].sort());

    // Second run: every blob comes from the cache, the findings are the same.
    const second = await scan([`git:${repo.dir}`, '--config', config], repo.dir);
    expect(second.report.sources[0].stats).toMatchObject({ blobsScanned: 0 });
    expect(second.report.findings.map((f: any) => f.fingerprint).sort()).toEqual(first.report.findings.map((f: any) => f.fingerprint).sort());

    // A pull request that adds one token: --range scans only its blobs.
    repo.git('checkout', '-q', '-b', 'pr');
    const prToken = fakeGithubToken('cli-pr');
    repo.commit('pr', { 'src/client.ts': `const t = "${prToken}";\n` });
    const ranged = await scan([`git:${repo.dir}`, '--config', config, '--range', `${base}..pr`, '--no-cache'], repo.dir);
    expect(ranged.report.sources[0].stats).toMatchObject({ blobs: 1, blobsScanned: 1 });
    expect(ranged.report.findings.map((f: any) => [f.ruleId, f.location.path])).toEqual([['leaked-secret', 'src/client.ts']]);
    const since = await scan([`git:${repo.dir}`, '--config', config, '--since', 'main'], repo.dir);
    expect(since.report.inventory.credentials.map((c: any) => c.secret.hash)).toEqual([secretHash(prToken)]);
  });

  it('merges one secret found by git: and dir: into one credential and flags the reuse', async () => {
    const { repo, awsSecret } = estate();
    const other = tempDir('nhiscan-dir-copy-');
    writeFileSync(join(other, 'settings.ini'), `aws_access_key_id = ${fakeAwsKeyId('cli-aws')}\naws_secret_access_key = ${awsSecret}\n`);
    const { report } = await scan([`git:${repo.dir}`, `dir:${other}`, '--max-file-size', '1MiB', '--no-ignore'], repo.dir);
    const credential = report.inventory.credentials.find((c: any) => c.secret.hash === secretHash(awsSecret));
    expect(credential.locations.map((l: any) => l.source).sort()).toEqual([`dir:${other}`, `git:${repo.dir}`].sort());
    const reuse = report.findings.filter((f: any) => f.ruleId === 'secret-reuse');
    expect(reuse).toHaveLength(1);
    expect(reuse[0]).toMatchObject({ category: 'reuse', severity: 'high' });
  });
});
