import { afterEach, describe, expect, it } from 'vitest';
import { startGithubEmulator, type EmulatorOptions, type GithubEmulator } from '../emulators/github/server.js';
import { acmeOrg, fakeGithubPat } from '../emulators/github/orgs.js';
import { scanWithToken } from './helpers.js';

const TOKEN = fakeGithubPat();
// Only the named repositories: keeps each fault scenario small.
const FILTER = { 'repo-filter': ['api', 'web', 'infra'] };
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

  it('reports an endpoint that keeps failing as a source error with its part, and goes on', async () => {
    const em = await start({ faults: [{ path: /^\/repos\/acme\/api\/hooks$/, kind: 'server-error', times: 100 }] });
    const result = await scanWithToken(em.url, TOKEN, FILTER, { maxRetries: 1 });
    expect(result.errors).toEqual([{ part: 'repository webhooks (acme/api)', message: expect.stringMatching(/^HTTP 500/) }]);
    expect(result.status).toBe('partial');
    expect(result.identities.filter((i) => i.kind === 'webhook').map((i) => i.scope).sort()).toEqual(['acme', 'acme/web']);
    expect(new Set(em.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  });
});
