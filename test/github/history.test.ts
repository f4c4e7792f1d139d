import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startGithubEmulator, type GithubEmulator } from '../../testkit/github/server.js';
import { startGitHttpServer, type GitHttpServer } from '../../testkit/github/git-http.js';
import { acmeOrg, fakeGithubPat } from '../../testkit/github/orgs.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeNpmToken, Rng } from '../../testkit/fake-tokens.js';
import { testContext } from '../support/context.js';
import { testEnv } from '../support/env.js';
import { defaultConfig } from '../../src/config.js';
import { secretHash } from '../../src/redact.js';
import { gitConnector } from '../../connectors/git/connector.js';
import { githubConnector } from '../../connectors/github/connector.js';
import { cloneAuthFor, githubWebHost, scanRepositoryHistory } from '../../connectors/github/history.js';
import type { GithubOrgSnapshot } from '../../connectors/github/snapshot.js';
import { scanWithToken } from './helpers.js';

const TOKEN = fakeGithubPat();

describe('--scan-history', () => {
  let emulator: GithubEmulator;
  let leaked: string;
  beforeAll(async () => {
    // A real repository with a secret in its history, served as the clone URL of acme/web.
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-gh-history-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', dir, ...args], {
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
      });
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

  it("scans each repository's history through the git connector, finding the secret committed there", async () => {
    const result = await scanWithToken(emulator.url, TOKEN, { 'scan-history': true, 'repo-filter': ['web'] });
    expect(result.notCovered!.filter((n) => n.part.includes('history'))).toEqual([]);
    expect(result.stats?.historiesScanned).toBe(1);
    const found = result.credentials.filter((c) => c.secret);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.locations![0]).toMatchObject({ path: 'deploy.sh' });
    expect(JSON.stringify(result)).not.toContain(leaked);
  });
});

describe('clone credential scoping', () => {
  it('maps API roots to the host git clones from', () => {
    expect(githubWebHost(undefined).host).toBe('github.com');
    expect(githubWebHost('https://api.github.com').host).toBe('github.com');
    expect(githubWebHost('https://api.octo.ghe.com').host).toBe('octo.ghe.com');
    expect(githubWebHost('https://ghe.example.com/api/v3').host).toBe('ghe.example.com');
  });

  it('gives the token only to clone URLs on the GitHub host, never over a weaker transport', () => {
    const auth = cloneAuthFor('https://github.com/acme/web.git', undefined, 'T0KEN');
    expect(auth).toEqual({ origin: 'https://github.com', authorization: `basic ${Buffer.from('x-access-token:T0KEN').toString('base64')}` });
    expect(cloneAuthFor('https://evil.example/acme/web.git', undefined, 'T0KEN')).toBeUndefined();
    expect(cloneAuthFor('https://github.com.evil.example/acme/web.git', undefined, 'T0KEN')).toBeUndefined();
    expect(cloneAuthFor('http://github.com/acme/web.git', undefined, 'T0KEN')).toBeUndefined();
    expect(cloneAuthFor('file:///tmp/web', undefined, 'T0KEN')).toBeUndefined();
    expect(cloneAuthFor('git@github.com:acme/web.git', undefined, 'T0KEN')).toBeUndefined();
    expect(cloneAuthFor('https://ghe.example.com:8443/acme/web.git', 'https://ghe.example.com/api/v3', 'T0KEN')?.origin).toBe('https://ghe.example.com:8443');
  });
});

describe('--scan-history of a private repository over HTTP', () => {
  let emulator: GithubEmulator;
  let gitServer: GitHttpServer;
  let cloneUrl: string;
  /** The fake npm token committed to acme/web's history: the scan must find it. */
  let committed: string;
  const { org } = acmeOrg();
  const web = org.repos.find((r) => r.repo.name === 'web')!;

  beforeAll(async () => {
    emulator = await startGithubEmulator(org, { tokens: [TOKEN] });
    gitServer = await startGitHttpServer({ authorize: (t) => emulator.acceptsToken(t) });
    const repo = TestRepo.create('nhiscan-gh-private-');
    committed = fakeNpmToken(new Rng(4242));
    repo.commit('add publish script', { 'publish.sh': `npm config set //registry.npmjs.org/:_authToken ${committed}\n` });
    cloneUrl = gitServer.addRepository('acme/web.git', repo.dir);
    web.repo.clone_url = cloneUrl;
    web.repo.private = true;
  });
  afterAll(async () => {
    await emulator.close();
    await gitServer.close();
  });

  const snapshotOf = (url: string) => ({ org: 'acme', repos: [{ repo: { full_name: 'acme/web', clone_url: url } }] }) as unknown as GithubOrgSnapshot;

  it('without a credential the clone fails with a clear error (the server answers 401)', async () => {
    const before = gitServer.requests.length;
    await expect(gitConnector.collect(testContext(`git:${cloneUrl}`))).rejects.toThrow(
      /cannot clone .*acme\/web\.git: the server requires authentication and no credential was given/,
    );
    expect(gitServer.requests.slice(before).map((r) => `${r.auth} ${r.status}`)).toContain('none 401');
  });

  it("with the scan's GitHub token the private repository is cloned and its committed secret found; the token is nowhere in the result", async () => {
    const before = gitServer.requests.length;
    const result = await scanWithToken(emulator.url, TOKEN, { 'scan-history': true, 'repo-filter': ['web'] });
    expect(result.errors).toEqual([]);
    expect(result.stats?.historiesScanned).toBe(1);
    const found = result.credentials.filter((c) => c.secret?.hash === secretHash(committed));
    expect(found).toHaveLength(1);
    expect(found[0]!.locations![0]).toMatchObject({ path: 'publish.sh' });
    // Read-only and authenticated: only fetches, each with the accepted credential.
    const seen = gitServer.requests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.service === 'git-upload-pack' && r.auth === 'accepted' && r.status === 200)).toBe(true);
    const text = JSON.stringify(result);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
    expect(text).not.toContain(committed);
  });

  it('a token the server refuses gives a clear per-repository error, not a crash, and is not repeated in it', async () => {
    const wrong = fakeGithubPat();
    const ctx = testContext('github:acme', { config: { ...defaultConfig(), settings: { github: { apiUrl: emulator.url } } } });
    const outcome = await scanRepositoryHistory(snapshotOf(cloneUrl), ctx, 1, gitConnector, { apiUrl: emulator.url, token: async () => wrong });
    expect(outcome.scanned).toBe(0);
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]!.part).toBe('history acme/web');
    expect(outcome.errors[0]!.message).toMatch(/the server refused the credential given for it/);
    expect(JSON.stringify(outcome)).not.toContain(wrong);
    expect(gitServer.requests.at(-1)).toMatchObject({ auth: 'refused', status: 401 });
  });

  it("never sends the token to a host other than the GitHub API's own", async () => {
    const before = gitServer.requests.length;
    // Same server, but named `localhost` while the API is 127.0.0.1: a different host as far as the token goes.
    const otherHost = cloneUrl.replace('127.0.0.1', 'localhost');
    const ctx = testContext('github:acme');
    const outcome = await scanRepositoryHistory(snapshotOf(otherHost), ctx, 1, gitConnector, { apiUrl: emulator.url, token: async () => TOKEN });
    expect(outcome.errors[0]?.message).toMatch(/requires authentication and no credential was given/);
    const seen = gitServer.requests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.auth === 'none')).toBe(true);
  });

  it('a GitHub App installation token is used for the clone', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-gh-app-'));
    const keyFile = join(dir, 'app.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    // Its own organisation and git server: the git server accepts only the tokens this App emulator mints.
    const appOrg = acmeOrg().org;
    const appWeb = appOrg.repos.find((r) => r.repo.name === 'web')!;
    const appGit = await startGitHttpServer({ authorize: (t) => appEmulator.acceptsToken(t) });
    const appEmulator = await startGithubEmulator(appOrg, {
      app: { appId: '12345', installationId: '777', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    });
    try {
      const repo = TestRepo.create('nhiscan-gh-app-repo-');
      repo.commit('add publish script', { 'publish.sh': `token=${committed}\n` });
      appWeb.repo.clone_url = appGit.addRepository('acme/web.git', repo.dir);
      appWeb.repo.private = true;
      const ctx = testContext('github:acme', {
        options: { 'github-app-id': '12345', 'github-app-key': keyFile, 'github-app-installation-id': '777', 'scan-history': true, 'repo-filter': ['web'] },
        config: { ...defaultConfig(), settings: { github: { apiUrl: appEmulator.url, retryBaseMs: 5 } } },
      });
      const result = await githubConnector.collect(ctx);
      expect(result.errors?.filter((e) => e.part.startsWith('history'))).toEqual([]);
      expect(result.stats?.historiesScanned).toBe(1);
      expect(result.credentials.some((c) => c.secret?.hash === secretHash(committed))).toBe(true);
      const cloned = appGit.requests.filter((r) => r.service === 'git-upload-pack');
      expect(cloned.length).toBeGreaterThan(0);
      expect(cloned.every((r) => r.auth === 'accepted')).toBe(true);
    } finally {
      await appEmulator.close();
      await appGit.close();
    }
  });
});

describe('nhiscan scan github:ORG --scan-history (CLI) on a private repository', () => {
  const CLI = 'dist/cli/cli.js';
  let emulator: GithubEmulator;
  let gitServer: GitHttpServer;
  let committed: string;
  beforeAll(async () => {
    // `npm test` builds first; a lone `vitest run` builds here when dist is missing.
    if (!existsSync(CLI)) {
      try {
        execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'ignore' });
      } catch {
        // Type errors elsewhere in the tree still emit JavaScript.
      }
    }
    const { org } = acmeOrg();
    emulator = await startGithubEmulator(org, { tokens: [TOKEN] });
    gitServer = await startGitHttpServer({ authorize: (t) => emulator.acceptsToken(t) });
    const repo = TestRepo.create('nhiscan-gh-cli-private-');
    committed = fakeNpmToken(new Rng(99));
    repo.commit('add publish script', { 'publish.sh': `NPM_TOKEN=${committed}\n` });
    const web = org.repos.find((r) => r.repo.name === 'web')!;
    web.repo.clone_url = gitServer.addRepository('acme/web.git', repo.dir);
    web.repo.private = true;
  }, 180_000);
  afterAll(async () => {
    await emulator.close();
    await gitServer.close();
  });

  it('finds the committed secret with GITHUB_TOKEN and writes the token nowhere: report, stdout, stderr (verbose)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nhiscan-gh-cli-history-'));
    const args = [
      'scan',
      'github:acme',
      '--github-api-url',
      emulator.url,
      '--repo-filter',
      'web',
      '--scan-history',
      '--out',
      out,
      '--format',
      'json,md,sarif',
      '--fail-on',
      'none',
      '--verbose',
    ];
    // Exit 3 is expected: the emulated token cannot read the fine-grained token endpoints (partial source).
    const { stdout, stderr } = (await promisify(execFile)('node', [CLI, ...args], { env: testEnv({ GITHUB_TOKEN: TOKEN }) }).catch((e) => e)) as {
      stdout: string;
      stderr: string;
    };
    expect(stderr).toContain('debug: github:'); // verbose: the most the CLI ever says
    const reportText = readFileSync(join(out, 'nhiscan-report.json'), 'utf8');
    const report = JSON.parse(reportText);
    expect(report.sources[0].errors.filter((e: { part?: string }) => e.part?.startsWith('history'))).toEqual([]);
    expect(report.sources[0].stats.historiesScanned).toBe(1);
    const leak = report.inventory.credentials.find((c: { secret?: { hash: string } }) => c.secret?.hash === secretHash(committed));
    expect(leak.locations[0]).toMatchObject({ path: 'publish.sh' });
    expect(gitServer.requests.some((r) => r.service === 'git-upload-pack' && r.auth === 'accepted' && r.status === 200)).toBe(true);
    const header = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    const written = [reportText, readFileSync(join(out, 'nhiscan-report.md'), 'utf8'), readFileSync(join(out, 'nhiscan-report.sarif'), 'utf8'), stdout, stderr];
    for (const text of written) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(header);
      expect(text).not.toContain(committed);
    }
  });
});
