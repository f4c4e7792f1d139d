/**
 * The real google-auth-library and @googleapis/iam clients against the loopback emulator: the token
 * endpoint, paging, every read the collector makes, faults, and the inventory that comes out.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { createGcpConnector } from '../../connectors/gcp/connector.js';
import { fixtureGcpEstate, testServiceAccountKey } from '../../testkit/gcp/estate.js';
import { startGcpEmulator, type GcpEmulator, type GcpEmulatorOptions } from '../../testkit/gcp/server.js';
import { testContext } from '../support/context.js';

let emulator: GcpEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const testKey = testServiceAccountKey();

async function scan(options: Partial<GcpEmulatorOptions> = {}, spec = 'gcp', extraOptions: Record<string, unknown> = { 'gcp-org': '200000000001' }) {
  emulator = await startGcpEmulator({ estate: fixtureGcpEstate(), publicKeyPem: testKey.publicKeyPem, ...options });
  const connector = createGcpConnector({ credentials: testKey.key, retryBaseMs: 5, requestTimeoutMs: 1000 });
  const result = await connector.collect(testContext(spec, { options: { 'gcp-endpoint': emulator.url, ...extraOptions } }));
  return { result, emulator };
}

describe('gcp connector against the emulator', () => {
  it('collects every project, account, key, policy and provider through the real clients, reading only', async () => {
    const { result, emulator } = await scan();
    expect(result.status).toBe('ok');
    const kinds = (k: string) => [...result.identities, ...result.credentials].filter((x) => x.kind === k);
    expect(
      kinds('gcp-service-account')
        .map((a) => a.name)
        .sort(),
    ).toEqual([
      '412345678901-compute@developer.gserviceaccount.com',
      'ci-runner@prod-payments.iam.gserviceaccount.com',
      'deployer@prod-payments.iam.gserviceaccount.com',
      'legacy-batch@prod-payments.iam.gserviceaccount.com',
      'reporting@prod-payments.iam.gserviceaccount.com',
      'sandbox-bot@dev-sandbox.iam.gserviceaccount.com',
    ]);
    expect(kinds('gcp-service-account-key')).toHaveLength(5);
    expect(kinds('gcp-workload-identity-provider').map((p) => p.name)).toEqual(['github/github-actions']);
    expect(
      kinds('gcp-policy-holder')
        .map((h) => h.nativeId)
        .sort(),
    ).toEqual(['folders/300000000001', 'organizations/200000000001', 'projects/dev-sandbox', 'projects/prod-payments']);

    // One token from the loopback token endpoint, signed by the test key; every API call carried it.
    expect(emulator.tokenRequests).toBe(1);
    expect(emulator.requests.every((r) => r.authorized)).toBe(true);
    // Read-only: GETs, and POSTs only to getIamPolicy.
    expect(emulator.requests.every((r) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith(':getIamPolicy')))).toBe(true);
    // Paging: 5 accounts in prod-payments at page size 2 → 3 pages.
    expect(emulator.requests.filter((r) => r.path === '/v1/projects/prod-payments/serviceAccounts')).toHaveLength(3);
    expect(result.stats).toMatchObject({ projects: 2, serviceAccounts: 6, keys: 5 });
    // The IAM recommender was read: deployer's Editor is proposed to be replaced.
    const deployer = result.identities.find((i) => i.name.startsWith('deployer@'))!;
    expect(deployer.attributes.unneededRoles).toEqual([
      expect.objectContaining({ role: 'roles/editor', subtype: 'REPLACE_ROLE', replacements: ['roles/run.developer'] }),
    ]);
  });

  it('normalises keys, usage and owners from the wire shapes', async () => {
    const { result } = await scan();
    const deployer = result.identities.find((i) => i.name.startsWith('deployer@'))!;
    expect(deployer.lastUsedAt).toBe('2026-12-04T10:00:00Z');
    expect(deployer.tags.owner).toBe('alice.martin@acme.example');
    const exposed = result.credentials.find((c) => (c.attributes as { exposed?: boolean }).exposed)!;
    expect(exposed.status).toBe('inactive');
    const reportingKey = result.credentials.find((c) => c.name.startsWith('reporting@'))!;
    expect(reportingKey).toMatchObject({ status: 'active', expiresAt: '2027-10-01T00:00:00Z', lastUsedAt: '2026-10-02T10:00:00Z' });
    const system = result.credentials.find((c) => (c.attributes as { keyType?: string }).keyType === 'SYSTEM_MANAGED');
    expect(system).toBeDefined();
  });

  it('retries 429 (honouring Retry-After) and 503, and survives a hang and a malformed page', async () => {
    const { result, emulator } = await scan({
      faults: [
        { match: /^GET \/v3\/projects:search$/, status: 429, retryAfterSeconds: 0, times: 2 },
        { match: /^GET \/v1\/projects\/prod-payments\/serviceAccounts$/, status: 503, times: 1 },
        { match: /^GET \/v1\/projects\/prod-payments\/serviceAccounts\/deployer@[^/]+\/keys$/, hang: true, times: 1 },
        { match: /^GET \/v1\/projects\/dev-sandbox\/serviceAccounts$/, malformed: true, times: 1 },
      ],
    });
    expect(result.status).toBe('ok');
    expect(result.credentials.filter((c) => c.name.startsWith('deployer@'))).toHaveLength(2);
    expect(result.identities.some((i) => i.name.startsWith('sandbox-bot@'))).toBe(true);
    expect(result.stats).toMatchObject({ throttled: 2 });
    expect((result.stats as { retries: number }).retries).toBeGreaterThanOrEqual(5);
    expect(emulator.requests.length).toBeGreaterThan(20);
  });

  it('abandons a request never answered even when garbage collection runs meanwhile (the deadline is not collectable)', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const collecting = scan({ faults: [{ match: /^GET \/v1\/projects\/prod-payments\/serviceAccounts\/deployer@[^/]+\/keys$/, hang: true, times: 1 }] });
    const collector = setInterval(gc, 50);
    try {
      const { result } = await collecting;
      expect(result.status).toBe('ok');
      expect(result.credentials.filter((c) => c.name.startsWith('deployer@'))).toHaveLength(2);
    } finally {
      clearInterval(collector);
    }
  }, 20_000);

  it('a denied Policy Analyzer is a notCovered part, never a silent "unused"; other parts still scan', async () => {
    const { result } = await scan({ faults: [{ match: /activities:query$/, status: 403 }] });
    expect(result.status).toBe('ok');
    expect(result.notCovered?.map((n) => n.part)).toEqual(
      expect.arrayContaining([
        'project:prod-payments/activity:serviceAccountLastAuthentication',
        'project:prod-payments/activity:serviceAccountKeyLastAuthentication',
      ]),
    );
    const deployer = result.identities.find((i) => i.name.startsWith('deployer@'))!;
    expect(deployer.attributes.usageTracked).toBe(false);
    expect(deployer.lastUsedAt).toBeUndefined();
  });

  it('a part that keeps failing makes the source partial and names it', async () => {
    const { result } = await scan({ faults: [{ match: /^POST \/v1\/projects\/prod-payments\/serviceAccounts\/reporting@[^:]+:getIamPolicy$/, status: 500 }] });
    expect(result.status).toBe('partial');
    expect(result.errors?.[0]?.part).toBe('project:prod-payments/sa-policy:reporting@prod-payments.iam.gserviceaccount.com');
    expect(result.errors?.[0]?.message).toMatch(/HTTP 500/);
    // The report says what is missing, not only that something failed (the fault soak found it unsaid).
    expect(result.notCovered).toContainEqual({
      part: 'project:prod-payments/sa-policy:reporting@prod-payments.iam.gserviceaccount.com',
      reason: expect.stringMatching(/^could not be read: .*HTTP 500/),
    });
  });

  it('gcp:PROJECT scans only that project; without --gcp-org the organization is reported as not covered', async () => {
    const { result, emulator } = await scan({}, 'gcp:dev-sandbox', {});
    expect(result.identities.filter((i) => i.kind === 'gcp-service-account').map((i) => i.name)).toEqual(['sandbox-bot@dev-sandbox.iam.gserviceaccount.com']);
    expect(emulator.requests.some((r) => r.path.includes('prod-payments'))).toBe(false);
    expect(result.notCovered?.some((n) => n.part === 'organization')).toBe(true);
  });

  it('wrong credentials fail the source with a clear error and no key material', async () => {
    emulator = await startGcpEmulator({ estate: fixtureGcpEstate(), publicKeyPem: testServiceAccountKey().publicKeyPem });
    const connector = createGcpConnector({ credentials: testKey.key, retryBaseMs: 5, requestTimeoutMs: 1000 });
    const error = await connector.collect(testContext('gcp', { options: { 'gcp-endpoint': emulator.url } })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^gcp \(http:\/\/127\.0\.0\.1:\d+\): nothing could be collected/);
    expect((error as Error).message).not.toContain('PRIVATE KEY');
  });

  it('refuses plain http to a non-loopback endpoint', async () => {
    const connector = createGcpConnector({ credentials: testKey.key });
    await expect(connector.collect(testContext('gcp', { options: { 'gcp-endpoint': 'http://gcp.example.com' } }))).rejects.toThrow(/must use https/);
  });
});

describe('gcp through the CLI with Application Default Credentials', () => {
  it('reads GOOGLE_APPLICATION_CREDENTIALS, scans the emulator and writes the inventory', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { readReport, runCli, tempDir } = await import('../support/cli.js');
    emulator = await startGcpEmulator({ estate: fixtureGcpEstate(), publicKeyPem: testKey.publicKeyPem });
    const dir = tempDir();
    writeFileSync(join(dir, 'adc.json'), JSON.stringify(testKey.key));
    const run = await runCli(
      [
        'scan',
        'gcp',
        '--gcp-endpoint',
        emulator.url,
        '--gcp-org',
        '200000000001',
        '--out',
        join(dir, 'out'),
        '--format',
        'json',
        '--fail-on',
        'none',
        '--quiet',
      ],
      {
        env: { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'adc.json') },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = readReport(join(dir, 'out'));
    expect(report.sources[0]).toMatchObject({ spec: 'gcp', status: 'ok' });
    expect(report.inventory.identities.filter((i: { kind: string }) => i.kind === 'gcp-service-account')).toHaveLength(6);
    expect(report.findings.some((f: { ruleId: string }) => f.ruleId === 'gcp-impersonation-escalation')).toBe(true);
    expect(JSON.stringify(report)).not.toContain(testKey.key.private_key_id);
  }, 120_000);
});
