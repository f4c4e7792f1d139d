/** `staged:` scans the index, what is about to be committed: not the working tree, not the history. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { tempDir } from '../support/cli.js';

async function scan(cwd: string, args: string[]): Promise<{ code: number; report: any }> {
  const out = tempDir();
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(['scan', ...args, '--out', out, '--format', 'json,sarif', '--quiet']);
    const { readFileSync } = await import('node:fs');
    return { code, report: JSON.parse(readFileSync(join(out, 'nhiscan-report.json'), 'utf8')) };
  } finally {
    process.chdir(before);
  }
}

describe('staged: (pre-commit)', () => {
  it('finds a secret in the index version of a staged file, and nothing only in history or the working tree', async () => {
    const repo = TestRepo.create();
    repo.commit('old leak, already in history', { 'old.env': `TOKEN=${fakeGithubToken('staged-history')}\n` });
    repo.commit('removed', { 'old.env': null });
    const staged = fakeGithubToken('staged-index');
    writeFileSync(join(repo.dir, 'deploy.env'), `GITHUB_TOKEN=${staged}\n`);
    repo.git('add', 'deploy.env');
    // The working tree no longer has it, the index does: what gets committed is the index.
    writeFileSync(join(repo.dir, 'deploy.env'), 'GITHUB_TOKEN=\n');
    // Not staged: not part of the commit.
    writeFileSync(join(repo.dir, 'scratch.env'), `GITHUB_TOKEN=${fakeGithubToken('staged-unstaged')}\n`);

    const { code, report } = await scan(repo.dir, ['staged:.', '--fail-on', 'high']);
    expect(code).toBe(1);
    const leaks = report.findings.filter((f: any) => f.category === 'leaked-secret');
    expect(leaks.map((f: any) => f.location.path)).toEqual(['deploy.env']);
    expect(leaks[0].location).toMatchObject({ source: 'staged:.', line: 1 });
    expect(report.sources[0]).toMatchObject({ spec: 'staged:.', status: 'ok', stats: expect.objectContaining({ staged: 1 }), repositoryPrefix: '' });
    expect(JSON.stringify(report)).not.toContain('nhiscan-staged-'); // the temporary copy is never named
  });

  it('with nothing staged, passes at once', async () => {
    const repo = TestRepo.create();
    repo.commit('clean', { 'README.md': '# x\n' });
    const { code, report } = await scan(repo.dir, ['staged:.']);
    expect(code).toBe(0);
    expect(report.sources[0].stats.staged).toBe(0);
  });

  it('in a folder of a repository, not its root, fails naming the source instead of scanning the enclosing repository', async () => {
    const repo = TestRepo.create();
    repo.commit('a file in a folder', { 'app/config.env': 'A=1\n' });
    writeFileSync(join(repo.dir, 'app', 'deploy.env'), `GITHUB_TOKEN=${fakeGithubToken('staged-subfolder')}\n`);
    repo.git('add', 'app/deploy.env');
    const { code, report } = await scan(repo.dir, ['staged:app']);
    expect(code).toBe(3);
    expect(report.sources[0]).toMatchObject({ spec: 'staged:app', status: 'failed' });
    expect(report.sources[0].errors[0].message).toMatch(/app is not a git repository/);
    expect(report.findings).toEqual([]);
  });

  it('takes an absolute path as given, and refuses a remote of any form without cloning it', async () => {
    const repo = TestRepo.create();
    repo.commit('clean', { 'README.md': '# x\n' });
    writeFileSync(join(repo.dir, 'deploy.env'), `GITHUB_TOKEN=${fakeGithubToken('staged-absolute')}\n`);
    repo.git('add', 'deploy.env');
    const elsewhere = tempDir();
    const absolute = await scan(elsewhere, [`staged:${repo.dir}`, '--fail-on', 'high']);
    expect(absolute.code).toBe(1);
    expect(absolute.report.findings.filter((f: any) => f.category === 'leaked-secret').map((f: any) => f.location.path)).toEqual(['deploy.env']);

    for (const remote of ['git@example.invalid:org/repo.git', 'https://example.invalid/org/repo.git', ' file:///nowhere/repo.git']) {
      const { code, report } = await scan(elsewhere, [`staged:${remote}`]);
      expect(code).toBe(3);
      expect(report.sources[0].errors[0].message).toMatch(/reads a local repository's index; .* is a URL/);
    }
  });
});
