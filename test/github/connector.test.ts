import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGithubEmulator, type GithubEmulator } from '../../testkit/github/server.js';
import { acmeOrg, fakeGithubPat } from '../../testkit/github/orgs.js';
import { githubConnector } from '../../connectors/github/connector.js';
import { githubSnapshotImporter } from '../../connectors/github/importer.js';
import { testContext } from '../support/context.js';
import { scanWithToken } from './helpers.js';
import type { CollectResult } from '../../src/plugin.js';

const TOKEN = fakeGithubPat();
const { org, leakedValues } = acmeOrg();

describe('github connector against the emulator (token auth)', () => {
  let emulator: GithubEmulator;
  let result: CollectResult;
  let snapshotFile: string;

  beforeAll(async () => {
    emulator = await startGithubEmulator(org, { validate: true, tokens: [TOKEN], ignoreHideSecret: true });
    snapshotFile = join(mkdtempSync(join(tmpdir(), 'nhiscan-gh-')), 'snapshot.json');
    result = await scanWithToken(emulator.url, TOKEN, { 'github-snapshot-out': snapshotFile });
  });
  afterAll(() => emulator.close());

  it("serves only responses that validate against GitHub's OpenAPI description", () => {
    expect(emulator.requests.filter((r) => r.operation).length).toBeGreaterThan(100);
    expect(emulator.issues).toEqual([]);
  });

  it('only reads: every request is a GET', () => {
    expect(emulator.requests.length).toBeGreaterThan(0);
    expect(new Set(emulator.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });

  it('follows Link-header pagination (124 repositories at 100 per page)', () => {
    const repoPages = emulator.requests.filter((r) => r.path === '/orgs/acme/repos');
    expect(repoPages.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(result.stats?.repositories).toBe(123);
    expect(result.stats?.repositoriesSkipped).toBe(1); // the archived one
  });

  it('lists organisation members and outside collaborators as people by login (bots are not people), never as identities', () => {
    expect(result.people?.map((p) => [p.id, p.aliases, p.status, p.sources])).toEqual([
      ['person:alice', ['alice'], 'active', ['github:acme']],
      ['person:carol', ['carol'], 'active', ['github:acme']],
      ['person:ext-dev', ['ext-dev'], 'active', ['github:acme']],
    ]);
    expect(result.stats?.people).toBe(3);
    expect(emulator.requests.some((r) => r.path === '/orgs/acme/outside_collaborators')).toBe(true);
    expect(result.identities.some((i) => i.name === 'ext-dev')).toBe(false);
  });

  it('skips archived repositories by default', () => {
    expect(emulator.requests.some((r) => r.path.startsWith('/repos/acme/legacy/'))).toBe(false);
    expect(result.credentials.some((c) => c.scope === 'acme/legacy')).toBe(false);
  });

  it('inventories deploy keys with their owner from added_by, else CODEOWNERS', () => {
    const keys = result.credentials.filter((c) => c.kind === 'deploy-key');
    expect(keys.map((k) => k.name).sort()).toEqual(['acme/api ci-push', 'acme/api old-mirror', 'acme/infra orphan', 'acme/web fresh']);
    const ciPush = keys.find((k) => k.name.endsWith('ci-push'))!;
    expect(ciPush.attributes.readOnly).toBe(false);
    expect(ciPush.owner).toEqual({ id: 'alice', kind: 'user', source: 'added_by' });
    expect(ciPush.lastUsedAt).toBe('2026-11-20T00:00:00.000Z');
    expect(keys.find((k) => k.name.endsWith('old-mirror'))!.owner).toMatchObject({ id: 'acme/platform', kind: 'team', source: 'codeowners' });
    expect(keys.find((k) => k.name.endsWith('orphan'))!.owner).toBeUndefined(); // infra has no CODEOWNERS
  });

  it('inventories Actions secrets at org, repository and environment level, plus Dependabot and Codespaces secrets', () => {
    const names = result.credentials
      .filter((c) => ['actions-secret', 'dependabot-secret', 'codespaces-secret'].includes(c.kind))
      .map((c) => `${c.kind} ${c.attributes.level} ${c.name}`);
    expect(names.sort()).toEqual([
      'actions-secret environment acme/api (production) AWS_DEPLOY_KEY',
      'actions-secret organization acme DOCKER_PASSWORD',
      'actions-secret organization acme SLACK_WEBHOOK',
      'actions-secret repository acme/api NPM_TOKEN',
      'actions-secret repository acme/api SENTRY_DSN',
      'codespaces-secret organization acme DEV_DB_URL',
      'dependabot-secret organization acme NPM_READ_TOKEN',
    ]);
    const docker = result.credentials.find((c) => c.name === 'acme DOCKER_PASSWORD')!;
    expect(docker.attributes.selectedRepositories).toEqual(['acme/api', 'acme/web']);
    const npm = result.credentials.find((c) => c.name === 'acme/api NPM_TOKEN')!;
    expect(npm.owner).toMatchObject({ id: 'acme/ci-admins', source: 'codeowners' }); // owns .github/workflows/
    expect(npm.attributes).toMatchObject({ usageTracked: false, supportsExpiry: false });
    expect(npm.lastRotatedAt).toBe('2023-06-01T00:00:00.000Z');
  });

  it('inventories App installations, webhooks and the default workflow token', () => {
    const apps = result.identities.filter((i) => i.kind === 'github-app-installation');
    expect(apps.map((a) => `${a.attributes.appSlug}:${a.status}`).sort()).toEqual(['ci-superbot:active', 'old-linter:suspended', 'renovate:active']);
    const hooks = result.identities.filter((i) => i.kind === 'webhook');
    expect(hooks).toHaveLength(3);
    const slack = hooks.find((h) => h.scope === 'acme/web')!;
    expect(slack.attributes).toMatchObject({ secretSet: false, insecureSsl: true, urlHost: 'hooks.slack.example' });
    // A webhook URL can itself be a secret: only its host is kept.
    const recorded = JSON.stringify(result) + readFileSync(snapshotFile, 'utf8');
    expect(recorded).not.toContain('XXXXXXXX');
    expect(recorded).not.toContain('key=abc');
    expect(hooks.find((h) => h.scope === 'acme/api')!.attributes.secretSet).toBe(true);
    const token = result.identities.find((i) => i.kind === 'actions-workflow-token')!;
    expect(token.attributes).toMatchObject({ defaultWorkflowPermissions: 'write', canApprovePullRequestReviews: true, providerManaged: true });
  });

  it('reports fine-grained token endpoints as not covered with a personal token, saying why', () => {
    const parts = result.notCovered!.map((n) => n.part);
    expect(parts).toContain('fine-grained token grants');
    expect(parts).toContain('fine-grained token requests');
    expect(result.notCovered!.find((n) => n.part === 'fine-grained token grants')!.reason).toMatch(/GitHub App installation token.*personal access token/);
    expect(result.status).toBe('partial');
    expect(result.credentials.some((c) => c.kind === 'fine-grained-pat')).toBe(false);
  });

  it('inventories open secret-scanning alerts with locations and file owners, never the secret', () => {
    const alerts = result.credentials.filter((c) => c.kind === 'secret-scanning-alert');
    expect(alerts).toHaveLength(2);
    const a1 = alerts.find((a) => a.nativeId === 'acme/api#1')!;
    expect(a1.attributes).toMatchObject({ validity: 'active', pushProtectionBypassed: true, pushProtectionBypassedBy: 'alice' });
    expect(a1.locations![0]).toMatchObject({ path: 'src/config/settings.ts', line: 12 });
    expect(a1.owner).toMatchObject({ id: 'carol', kind: 'user' }); // CODEOWNERS src/config/
    // The emulator plays an old server that ignores hide_secret: the plaintext arrived and was stripped.
    const alertRequest = emulator.requests.find((r) => r.path === '/orgs/acme/secret-scanning/alerts')!;
    expect(alertRequest.query.hide_secret).toBe('true');
    const everything = JSON.stringify(result) + readFileSync(snapshotFile, 'utf8');
    for (const value of leakedValues) expect(everything).not.toContain(value);
    expect(everything).not.toMatch(/ghp_[A-Za-z0-9]{36}/);
  });

  it('fetches CODEOWNERS only for the repositories concerned', () => {
    const contents = emulator.requests.filter((r) => r.path.includes('/contents/'));
    const repos = new Set(contents.map((r) => r.path.split('/')[3]));
    expect(repos).toEqual(new Set(['api', 'web', 'infra']));
  });

  it('records a snapshot that the importer turns into the same inventory', async () => {
    const text = readFileSync(snapshotFile, 'utf8');
    const parsed = JSON.parse(text);
    expect(githubSnapshotImporter.detect({ path: snapshotFile, text, parsed })).toBe(true);
    const imported = await githubSnapshotImporter.read({ path: snapshotFile, text, parsed }, testContext(`github:acme`));
    expect(imported.credentials.map((c) => c.id).sort()).toEqual(result.credentials.map((c) => c.id).sort());
    expect(imported.identities.map((c) => c.id).sort()).toEqual(result.identities.map((c) => c.id).sort());
    // Same facts, not only the same ids (stripping is idempotent: a recorded webhook keeps `secretSet`).
    const byId = new Map([...result.identities, ...result.credentials].map((x) => [x.id, x]));
    for (const item of [...imported.identities, ...imported.credentials]) expect(item.attributes).toEqual(byId.get(item.id)!.attributes);
    expect(imported.notCovered).toEqual(result.notCovered);
  });
});

describe('github connector options', () => {
  let emulator: GithubEmulator;
  beforeAll(async () => {
    emulator = await startGithubEmulator(acmeOrg().org, { tokens: [TOKEN] });
  });
  afterAll(() => emulator.close());

  it('--repo-filter limits the repositories, --include-archived brings archived ones back', async () => {
    emulator.requests.length = 0;
    const result = await scanWithToken(emulator.url, TOKEN, { 'repo-filter': ['api', 'leg*'], 'include-archived': true });
    const repos = new Set(emulator.requests.filter((r) => r.path.startsWith('/repos/')).map((r) => r.path.split('/')[3]));
    expect(repos).toEqual(new Set(['api', 'legacy']));
    expect(result.credentials.some((c) => c.name === 'acme/legacy archived-key')).toBe(true);
    expect(result.stats?.repositories).toBe(2);
  });

  it('fails clearly without a credential', async () => {
    const ctx = testContext('github:acme', { config: { settings: { github: { apiUrl: emulator.url } } } });
    await expect(githubConnector.collect(ctx)).rejects.toThrow(/no GitHub credential: set GITHUB_TOKEN/);
  });

  it('fails clearly on an organization it cannot see', async () => {
    await expect(scanWithToken(emulator.url, TOKEN, {}, {}, 'nope')).rejects.toThrow(/github:nope: cannot read the organization \(HTTP 404/);
  });
});

describe('github connector as a GitHub App', () => {
  it('exchanges a signed JWT for an installation token, then sees fine-grained token grants and requests', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-gh-app-'));
    const keyFile = join(dir, 'app.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const emulator = await startGithubEmulator(acmeOrg().org, {
      validate: true,
      app: { appId: '12345', installationId: '777', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    });
    try {
      const ctx = testContext('github:acme', {
        options: { 'github-app-id': '12345', 'github-app-key': keyFile, 'github-app-installation-id': '777' },
        config: { settings: { github: { apiUrl: emulator.url, retryBaseMs: 5 } } },
      });
      const result = await githubConnector.collect(ctx);
      expect(emulator.issues).toEqual([]);
      const nonGet = emulator.requests.filter((r) => r.method !== 'GET');
      expect(nonGet.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /app/installations/777/access_tokens 201']);
      expect(emulator.requests.filter((r) => r.method === 'GET').every((r) => r.auth === 'installation')).toBe(true);
      const pats = result.credentials.filter((c) => c.kind === 'fine-grained-pat');
      expect(pats.map((p) => p.attributes.tokenName).sort()).toEqual(['admin-tool', 'release-script', 'stale-reader']);
      const stale = pats.find((p) => p.attributes.tokenName === 'stale-reader')!;
      expect(stale.attributes.repositories).toEqual(['acme/api']);
      expect(stale.owner).toEqual({ id: 'erin', kind: 'user', source: 'token-owner' });
      expect(stale.expiresAt).toBe('2027-01-15T00:00:00.000Z');
      const requests = result.credentials.filter((c) => c.kind === 'fine-grained-pat-request');
      expect(requests).toHaveLength(1);
      expect(requests[0]!.attributes).toMatchObject({ pending: true, reason: 'update CI', repositories: ['acme/api'] });
      expect(result.notCovered).toEqual([]);
      expect(result.status).toBe('ok');
    } finally {
      await emulator.close();
    }
  });
});

describe('repository-level workflow permissions', () => {
  it('reads each repository setting and reports the ones that differ from the organisation (write under a read org)', async () => {
    const { emptyOrg } = await import('../../testkit/github/server.js');
    const { repo } = await import('../../testkit/github/orgs.js');
    const readOrg = emptyOrg('acme');
    const legacy = { ...repo('acme', 'legacy'), workflowPermissions: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: false } };
    readOrg.repos.push(legacy, repo('acme', 'tidy'));
    const emulator = await startGithubEmulator(readOrg, { validate: true, tokens: [TOKEN] });
    try {
      const result = await scanWithToken(emulator.url, TOKEN);
      expect(emulator.issues).toEqual([]);
      const asked = emulator.requests.filter((r) => /\/actions\/permissions\/workflow$/.test(r.path)).map((r) => r.path);
      expect(asked.sort()).toEqual([
        '/orgs/acme/actions/permissions/workflow',
        '/repos/acme/legacy/actions/permissions/workflow',
        '/repos/acme/tidy/actions/permissions/workflow',
      ]);
      const tokens = result.identities.filter((i) => i.kind === 'actions-workflow-token');
      expect(tokens.map((t) => [t.name, t.attributes.defaultWorkflowPermissions, t.attributes.repository ?? null])).toEqual([
        ['acme/legacy default GITHUB_TOKEN', 'write', 'acme/legacy'],
        ['acme default GITHUB_TOKEN', 'read', null],
      ]);
    } finally {
      emulator.close();
    }
  });
});
