/** Shallow CI checkouts: reported as partly covered, and a missing --since/--range base is a clear error naming fetch-depth: 0. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { readReport, runCli, tempDir } from '../support/cli.js';

/** A repository whose main holds an old leak, and a feature branch; cloned as actions/checkout does on a pull request (depth 1, one branch). */
function shallowCheckout() {
  const repo = TestRepo.create();
  repo.commit('initial', { 'ci.env': `GITHUB_TOKEN=${fakeGithubToken('shallow-old')}\n` });
  repo.commit('drop the token', { 'ci.env': 'GITHUB_TOKEN=\n' });
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit('feature work', { 'src/app.txt': 'hello\n' });
  const clone = join(tempDir('nhiscan-shallow-'), 'checkout');
  execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, clone], { env: repo.env() });
  return clone;
}

describe('git: on a shallow clone', () => {
  const clone = shallowCheckout();

  it('is partial, with notCovered saying the history behind the boundary was not scanned', async () => {
    const out = tempDir();
    const run = await runCli(['scan', `git:${clone}`, '--out', out, '--format', 'json', '--fail-on', 'none'], { cwd: clone });
    expect(run.code, run.stderr).toBe(3);
    const source = readReport(out).sources[0];
    expect(source.status).toBe('partial');
    expect(source.notCovered).toContainEqual({
      part: 'history behind 1 shallow-clone boundary commit(s)',
      reason: expect.stringMatching(/shallow clone: older commits are not in it.*fetch-depth: 0.*git fetch --unshallow/),
    });
    expect(run.stderr).toMatch(/was partial: .*shallow-clone boundary/);
  });

  it('--since origin/main that was not fetched: a clear error naming fetch-depth: 0, not a crash', async () => {
    const run = await runCli(['scan', 'git:.', '--since', 'origin/main', '--out', tempDir(), '--fail-on', 'none', '--quiet'], { cwd: clone });
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(/internal error|rev-list failed/);
    expect(run.stderr).toMatch(/--since origin\/main: origin\/main is not in this shallow clone .*actions\/checkout with `fetch-depth: 0`/);
  });

  it('--range base..head with the base missing: the same clear error', async () => {
    const run = await runCli(['scan', 'git:.', '--range', 'origin/main..HEAD', '--out', tempDir(), '--fail-on', 'none', '--quiet'], { cwd: clone });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/--range origin\/main\.\.HEAD: origin\/main is not in this shallow clone .*fetch-depth: 0/);
  });
});
