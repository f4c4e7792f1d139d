import { afterEach, describe, expect, it } from 'vitest';
import { startGithubEmulator, type EmulatorOptions, type GithubEmulator } from '../../testkit/github/server.js';
import { acmeOrg, fakeGithubPat } from '../../testkit/github/orgs.js';
import { githubConnector } from '../../connectors/github/connector.js';
import { defaultConfig } from '../../src/config.js';
import { testContext } from '../support/context.js';
import { scanWithToken } from './helpers.js';

const TOKEN = fakeGithubPat();
// Only the named repositories: keeps each fault scenario small.
const FILTER = { 'repo-filter': ['api', 'web', 'infra'] };
// A short deadline per attempt keeps the hang scenarios fast; long enough for a loaded CI machine.
const HUNG = { requestTimeoutMs: 400 };
let emulator: GithubEmulator | undefined;

async function start(options: EmulatorOptions): Promise<GithubEmulator> {
  emulator = await startGithubEmulator(acmeOrg().org, { tokens: [TOKEN], ...options });
  return emulator;
}

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('github connector under faults', () => {
  it('retries primary (403 and 429) and secondary rate limits and 5xx, and loses nothing', async () => {
    const em = await start({
      faults: [
        { path: /^\/orgs\/acme\/repos$/, kind: 'primary-rate-limit', times: 1 },
        { path: /^\/repos\/acme\/api\/keys$/, kind: 'secondary-rate-limit', times: 2 },
        { path: /^\/repos\/acme\/web\/hooks$/, kind: 'primary-rate-limit-429', times: 1 },
        { path: /^\/orgs\/acme\/installations$/, kind: 'server-error', times: 2 },
        { path: /^\/orgs\/acme\/hooks$/, kind: 'bad-gateway', times: 1 },
      ],
    });
    const result = await scanWithToken(em.url, TOKEN, FILTER);
    expect(result.errors).toEqual([]);
    const count = (path: string) => em.requests.filter((r) => r.path === path).length;
    expect(count('/repos/acme/api/keys')).toBe(3);
    expect(count('/orgs/acme/installations')).toBe(3);
    expect(count('/orgs/acme/hooks')).toBe(2);
    expect(count('/repos/acme/web/hooks')).toBe(2);
    expect(result.credentials.filter((c) => c.kind === 'deploy-key' && c.scope === 'acme/api')).toHaveLength(2);
    expect(result.identities.filter((i) => i.kind === 'github-app-installation')).toHaveLength(3);
    expect(result.identities.filter((i) => i.kind === 'webhook')).toHaveLength(3);
    expect(result.stats?.repositories).toBe(3);
  });

  it('waits for the Retry-After of a secondary rate limit before retrying', async () => {
    const em = await start({ faults: [{ path: /^\/orgs\/acme\/actions\/secrets$/, kind: 'secondary-rate-limit', times: 1, retryAfter: 1 }] });
    await scanWithToken(em.url, TOKEN, FILTER, { retryBaseMs: 1000 });
    const [limited, retried] = em.requests.filter((r) => r.path === '/orgs/acme/actions/secrets');
    expect(limited!.status).toBe(403);
    expect(retried!.status).toBe(200);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(900);
  });

  it('marks a part not covered on 403/404, never aborting the source', async () => {
    const em = await start({
      denials: [
        { path: /^\/repos\/acme\/(api|web)\/keys$/, status: 403 },
        { path: /^\/orgs\/acme\/installations$/, status: 403 },
        { path: /^\/orgs\/acme\/secret-scanning\/alerts$/, status: 404, message: 'Secret scanning is disabled on this organization' },
      ],
    });
    const result = await scanWithToken(em.url, TOKEN, FILTER);
    expect(result.status).toBe('partial');
    const notCovered = Object.fromEntries(result.notCovered!.map((n) => [n.part, n.reason]));
    expect(notCovered['App installations']).toMatch(/^HTTP 403: Resource not accessible by integration; needs organization Administration: read/);
    expect(notCovered['secret-scanning alerts']).toMatch(/HTTP 404: Secret scanning is disabled/);
    expect(notCovered['deploy keys in 2 repositories (acme/api, acme/web)']).toMatch(/Administration: read/);
    // Everything else is still there.
    expect(result.credentials.filter((c) => c.kind === 'deploy-key').map((c) => c.scope)).toEqual(['acme/infra']);
    expect(result.credentials.filter((c) => c.kind === 'actions-secret').length).toBeGreaterThan(0);
    expect(result.identities.some((i) => i.kind === 'actions-workflow-token')).toBe(true);
  });

  it('times out a request never answered or answered half-way, rejects malformed 200 bodies, retries each, and loses nothing', async () => {
    const em = await start({
      faults: [
        { path: /^\/orgs\/acme\/installations$/, kind: 'hang', times: 1 },
        { path: /^\/repos\/acme\/api\/keys$/, kind: 'stall-body', times: 1 },
        { path: /^\/orgs\/acme\/hooks$/, kind: 'truncated-json', times: 1 },
        { path: /^\/repos\/acme\/web\/hooks$/, kind: 'html-page', times: 1 },
        { path: /^\/orgs\/acme\/actions\/secrets$/, kind: 'html-error', times: 1 },
      ],
    });
    const result = await scanWithToken(em.url, TOKEN, FILTER, HUNG);
    expect(result.errors).toEqual([]);
    // Only the parts a personal token can never read are missing.
    expect(result.notCovered!.map((n) => n.part).sort()).toEqual(['fine-grained token grants', 'fine-grained token requests']);
    const statuses = (path: string) => em.requests.filter((r) => r.path === path).map((r) => r.status);
    expect(statuses('/orgs/acme/installations')).toEqual([0, 200]); // 0: never answered
    expect(statuses('/repos/acme/api/keys')).toEqual([200, 200]);
    expect(statuses('/orgs/acme/hooks')).toEqual([200, 200]);
    expect(statuses('/repos/acme/web/hooks')).toEqual([200, 200]);
    expect(statuses('/orgs/acme/actions/secrets')).toEqual([502, 200]);
    expect(result.identities.filter((i) => i.kind === 'github-app-installation')).toHaveLength(3);
    expect(result.credentials.filter((c) => c.kind === 'deploy-key' && c.scope === 'acme/api')).toHaveLength(2);
    expect(
      result.identities
        .filter((i) => i.kind === 'webhook')
        .map((i) => i.scope)
        .sort(),
    ).toEqual(['acme', 'acme/api', 'acme/web']);
    expect(result.credentials.some((c) => c.kind === 'actions-secret' && c.scope === 'acme')).toBe(true);
  });

  it('a request that keeps hanging ends its part with an error naming the endpoint; the scan finishes', async () => {
    const em = await start({ faults: [{ path: /^\/repos\/acme\/api\/keys$/, kind: 'hang', times: 100 }] });
    const result = await scanWithToken(em.url, TOKEN, FILTER, { ...HUNG, maxRetries: 1 });
    expect(result.status).toBe('partial');
    expect(result.errors).toEqual([
      { part: 'deploy keys (acme/api)', message: `GET /repos/acme/api/keys: no complete response within ${HUNG.requestTimeoutMs} ms` },
    ]);
    expect(em.requests.filter((r) => r.path === '/repos/acme/api/keys')).toHaveLength(2); // first try + 1 retry
    expect(
      result.credentials
        .filter((c) => c.kind === 'deploy-key')
        .map((c) => c.scope)
        .sort(),
    ).toEqual(['acme/infra', 'acme/web']);
    expect(result.credentials.some((c) => c.kind === 'actions-secret')).toBe(true);
  });

  it('a malformed body that persists is an error naming the endpoint, never a crash or a body quoted', async () => {
    const em = await start({
      faults: [
        { path: /^\/orgs\/acme\/installations$/, kind: 'truncated-json', times: 100 },
        { path: /^\/repos\/acme\/web\/hooks$/, kind: 'html-page', times: 100 },
        { path: /^\/orgs\/acme\/hooks$/, kind: 'html-error', times: 100 },
      ],
    });
    const result = await scanWithToken(em.url, TOKEN, FILTER, { ...HUNG, maxRetries: 1 });
    expect(result.status).toBe('partial');
    const errors = Object.fromEntries(result.errors!.map((e) => [e.part, e.message]));
    expect(Object.keys(errors).sort()).toEqual(['App installations', 'organization webhooks', 'repository webhooks (acme/web)']);
    expect(errors['App installations']).toMatch(/^GET \/orgs\/acme\/installations: malformed response: truncated or invalid JSON \(HTTP 200, \d+ bytes\)$/);
    expect(errors['repository webhooks (acme/web)']).toMatch(
      /^GET \/repos\/acme\/web\/hooks: malformed response: expected JSON, got text\/html \(HTTP 200, \d+ bytes\)$/,
    );
    expect(errors['organization webhooks']).toBe('HTTP 502: an HTML error page instead of JSON');
    // Nothing of the bodies reaches the messages.
    expect(JSON.stringify(result.errors)).not.toMatch(/Unicorn|"id"|html>/);
    expect(result.identities.filter((i) => i.kind === 'github-app-installation')).toHaveLength(0);
    expect(result.identities.filter((i) => i.kind === 'webhook').map((i) => i.scope)).toEqual(['acme/api']);
    expect(result.credentials.filter((c) => c.kind === 'deploy-key').length).toBeGreaterThan(0);
  });

  it('an organisation that never answers fails clearly instead of hanging', async () => {
    const em = await start({ faults: [{ path: /^\/orgs\/acme$/, kind: 'hang', times: 100 }] });
    await expect(scanWithToken(em.url, TOKEN, FILTER, { ...HUNG, maxRetries: 1 })).rejects.toThrow(
      `github:acme: cannot read the organization (GET /orgs/acme: no complete response within ${HUNG.requestTimeoutMs} ms)`,
    );
    expect(em.requests.filter((r) => r.path === '/orgs/acme')).toHaveLength(2);
  });

  it("the scan's own abort stops a hung request at once and is not retried", async () => {
    const em = await start({ faults: [{ path: /^\/orgs\/acme$/, kind: 'hang', times: 100 }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    process.env.GITHUB_TOKEN = TOKEN;
    try {
      // A long per-request deadline: only the scan's abort can end this request.
      const ctx = testContext('github:acme', {
        signal: controller.signal,
        config: { ...defaultConfig(), settings: { github: { apiUrl: em.url, retryBaseMs: 5, requestTimeoutMs: 60_000 } } },
      });
      await expect(githubConnector.collect(ctx)).rejects.toThrow(/cannot read the organization.*abort/i);
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
    expect(em.requests.filter((r) => r.path === '/orgs/acme')).toHaveLength(1);
  });

  it('a CODEOWNERS file that cannot be read is named as not covered, never taken for an absent one', async () => {
    const em = await start({ faults: [{ path: /^\/repos\/acme\/api\/contents\//, kind: 'server-error', times: 100 }] });
    const result = await scanWithToken(em.url, TOKEN, FILTER, { maxRetries: 1 });
    expect(result.status).toBe('partial');
    expect(result.notCovered).toContainEqual({ part: 'CODEOWNERS (acme/api)', reason: expect.stringMatching(/^could not be read: HTTP 500/) });
    expect(result.errors).toEqual([{ part: 'CODEOWNERS (acme/api)', message: expect.stringMatching(/^HTTP 500/) }]);
  });

  it('reports an endpoint that keeps failing as a source error with its part, and goes on', async () => {
    const em = await start({ faults: [{ path: /^\/repos\/acme\/api\/hooks$/, kind: 'server-error', times: 100 }] });
    const result = await scanWithToken(em.url, TOKEN, FILTER, { maxRetries: 1 });
    expect(result.errors).toEqual([{ part: 'repository webhooks (acme/api)', message: expect.stringMatching(/^HTTP 500/) }]);
    expect(result.status).toBe('partial');
    // The report names exactly what is missing, not only that something failed (the fault soak found it unsaid).
    expect(result.notCovered).toContainEqual({ part: 'repository webhooks (acme/api)', reason: expect.stringMatching(/^could not be read: HTTP 500/) });
    expect(
      result.identities
        .filter((i) => i.kind === 'webhook')
        .map((i) => i.scope)
        .sort(),
    ).toEqual(['acme', 'acme/web']);
    expect(new Set(em.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });
});
