/**
 * The built CLI end to end against the Graph emulator: the production credential path
 * (DefaultAzureCredential pinned by AZURE_TOKEN_CREDENTIALS=EnvironmentCredential → ClientSecretCredential,
 * authority AZURE_AUTHORITY_HOST = the emulator, test CA through NODE_EXTRA_CA_CERTS), with a `dir:` source
 * holding a leaked client secret that the scan ties to its application. No managed identity can be
 * constructed (the env pins the chain) and the network guard refuses anything but loopback.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { entraRules } from '../../rules/entra/index.js';
import { startGraphEmulator, type GraphEmulator } from '../../testkit/entra/graph-emulator.js';
import { E, ENTRA_TENANT, fixtureTenant, PAYMENTS_SECRET_HINT } from '../../testkit/entra/fixture-tenant.js';
import { fakeEntraClientSecret } from '../../testkit/seeded-tokens.js';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { testContext } from '../support/context.js';
import { createEntraConnector } from '../../connectors/entra/connector.js';

let emulator: GraphEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('nhiscan scan entra (CLI)', () => {
  it('signs in with a client secret through the authority host, reads the tenant read-only and ties a leaked secret to its app', async () => {
    const clientId = '5a1ce5c1-0000-4000-a000-000000000002';
    const clientSecret = `test~${randomBytes(18).toString('base64url')}`; // made at test time
    emulator = await startGraphEmulator({ tenant: fixtureTenant(), clientId, clientSecret, maxPageSize: 2 });
    const dir = tempDir('nhiscan-entra-cli-');
    const caFile = join(dir, 'test-ca.pem');
    writeFileSync(caFile, emulator.caCert);
    const code = join(dir, 'code');
    mkdirSync(code);
    const leaked = fakeEntraClientSecret('cli:payments', PAYMENTS_SECRET_HINT);
    writeFileSync(
      join(code, 'appsettings.json'),
      JSON.stringify({ AzureAd: { TenantId: ENTRA_TENANT, ClientId: E.payments.appId, ClientSecret: leaked } }, null, 2),
    );
    const out = join(dir, 'out');

    const run = await runCli(
      [
        'scan',
        `entra:${ENTRA_TENANT}`,
        `dir:${code}`,
        '--graph-endpoint',
        emulator.url,
        '--out',
        out,
        '--format',
        'json',
        '--fail-on',
        'none',
        '--now',
        '2026-11-29T00:00:00Z',
      ],
      {
        env: {
          AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
          AZURE_TENANT_ID: ENTRA_TENANT,
          AZURE_CLIENT_ID: clientId,
          AZURE_CLIENT_SECRET: clientSecret,
          AZURE_AUTHORITY_HOST: emulator.url,
          NODE_EXTRA_CA_CERTS: caFile,
        },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const report = readReport(out);
    expect(report.sources.map((s: { spec: string; status: string }) => [s.spec, s.status])).toEqual([
      [`entra:${ENTRA_TENANT}`, 'ok'],
      [`dir:${code}`, 'ok'],
    ]);
    const fired = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
    for (const rule of entraRules) expect(fired, rule.meta.id).toContain(rule.meta.id);
    const leak = report.findings.find((f: { ruleId: string }) => f.ruleId === 'entra-leaked-secret-active');
    expect(leak.evidence).toMatchObject({ application: 'payments-api', matchedBy: 'hint+appId', owners: ['alice.martin@contoso.example'] });

    expect(new Set(emulator.tokenScopes)).toEqual(new Set([`${emulator.url}/.default`]));
    expect(emulator.writeAttempts).toEqual([]);
    expect(emulator.requests.filter((r) => r.kind === 'graph').every((r) => r.authorized)).toBe(true);
    // Neither the client secret nor the leaked one appears in anything the CLI wrote.
    const written = readFileSync(join(out, 'nhiscan-report.json'), 'utf8') + run.stderr + run.stdout;
    expect(written).not.toContain(clientSecret);
    expect(written).not.toContain(leaked);
  });

  it('rejects a tenant target that is not a GUID with a clear error naming the source', async () => {
    const connector = createEntraConnector({ credential: { getToken: async () => null } });
    await expect(connector.collect(testContext('entra:contoso'))).rejects.toThrow(/entra: "contoso" is not a tenant id/);
  });
});
