import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startGithubEmulator, type GithubEmulator } from '../emulators/github/server.js';
import { acmeOrg, fakeGithubPat } from '../emulators/github/orgs.js';
import { scanWithToken } from './helpers.js';

const TOKEN = fakeGithubPat();

describe('--scan-history', () => {
  let emulator: GithubEmulator;
  let leaked: string;
  beforeAll(async () => {
    // A real repository with a secret in its history, served as the clone URL of acme/web.
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-gh-history-'));
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    git('init', '-q');
    leaked = fakeGithubPat();
    writeFileSync(join(dir, 'deploy.sh'), `export GH_TOKEN=${leaked}\n`);
    git('add', '.');
    git('commit', '-q', '-m', 'add deploy script');
    const { org } = acmeOrg();
    org.repos.find((r) => r.repo.name === 'web')!.repo.clone_url = pathToFileURL(dir).href;
    emulator = await startGithubEmulator(org, { tokens: [TOKEN] });
  });
  afterAll(() => emulator.close());

  it('scans each repository\'s history through the git connector, finding the secret committed there', async () => {
    const result = await scanWithToken(emulator.url, TOKEN, { 'scan-history': true, 'repo-filter': ['web'] });
    expect(result.notCovered!.filter((n) => n.part.includes('history'))).toEqual([]);
    expect(result.stats?.historiesScanned).toBe(1);
    const found = result.credentials.filter((c) => c.secret);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.locations![0]).toMatchObject({ path: 'deploy.sh' });
    expect(JSON.stringify(result)).not.toContain(leaked);
  });
});
