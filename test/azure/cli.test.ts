/**
 * The built CLI end to end: the production credential path (DefaultAzureCredential pinned by
 * AZURE_TOKEN_CREDENTIALS=EnvironmentCredential → ClientSecretCredential) against the emulator's
 * token endpoint via AZURE_AUTHORITY_HOST, trusting the test CA through NODE_EXTRA_CA_CERTS.
 * No managed identity can be constructed (the env pins the chain), and the network guard refuses
 * anything but loopback.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { azureRules } from '../../rules/azure/index.js';
import { startArmEmulator, type ArmEmulator } from '../../testkit/azure/arm-emulator.js';
import { fixtureEstate, SUB_DEV, TENANT } from '../../testkit/azure/fixture-estate.js';
import { readReport, runCli, tempDir } from '../support/cli.js';

let emulator: ArmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('nhiscan scan azure (CLI)', () => {
  it('authenticates with a client secret through the authority host and scans every subscription, read-only', async () => {
    const clientId = '5a1ce5c1-0000-4000-a000-000000000001';
    const clientSecret = `test~${randomBytes(18).toString('base64url')}`; // made at test time, shaped like an Entra secret
    emulator = await startArmEmulator({ estate: fixtureEstate(), clientId, clientSecret });
    const dir = tempDir('nhiscan-azure-cli-');
    const caFile = join(dir, 'test-ca.pem');
    writeFileSync(caFile, emulator.caCert);
    const out = join(dir, 'out');

    const run = await runCli(['scan', 'azure', '--azure-endpoint', emulator.url, '--out', out, '--format', 'json', '--fail-on', 'none'], {
      env: {
        AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: clientId,
        AZURE_CLIENT_SECRET: clientSecret,
        AZURE_AUTHORITY_HOST: emulator.url,
        NODE_EXTRA_CA_CERTS: caFile,
      },
    });
    expect(run.code, run.stderr).toBe(0);
    const report = readReport(out);
    expect(report.sources).toEqual([expect.objectContaining({ spec: 'azure', status: 'ok' })]);
    expect(report.inventory.credentials.filter((c: { kind: string }) => c.kind === 'keyvault-secret')).toHaveLength(10);
    const fired = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
    for (const rule of azureRules) expect(fired, rule.meta.id).toContain(rule.meta.id);

    // The client-credentials grant asked for the sovereign/test endpoint's scope.
    expect(emulator.requests.filter((r) => r.kind === 'token' && r.method === 'POST')).toHaveLength(1);
    expect(emulator.tokenScopes).toEqual([`${emulator.url}/.default`]);
    const arm = emulator.requests.filter((r) => r.kind === 'arm');
    expect(arm.length).toBeGreaterThan(10);
    expect(arm.every((r) => r.method === 'GET' && r.authorized)).toBe(true);
    // The client secret appears nowhere in what the CLI wrote.
    expect(readFileSync(join(out, 'nhiscan-report.json'), 'utf8')).not.toContain(clientSecret);
    expect(run.stderr + run.stdout).not.toContain(clientSecret);
  });

  it('reports a clear failed source when the credential is rejected', async () => {
    emulator = await startArmEmulator({ estate: fixtureEstate(), clientId: 'a', clientSecret: 'expected-secret' });
    const dir = tempDir('nhiscan-azure-cli-');
    const caFile = join(dir, 'test-ca.pem');
    writeFileSync(caFile, emulator.caCert);
    const out = join(dir, 'out');
    const run = await runCli(['scan', `azure:${SUB_DEV}`, '--azure-endpoint', emulator.url, '--out', out, '--format', 'json', '--fail-on', 'none'], {
      env: {
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: 'a',
        AZURE_CLIENT_SECRET: 'wrong-secret-value',
        AZURE_AUTHORITY_HOST: emulator.url,
        NODE_EXTRA_CA_CERTS: caFile,
      },
    });
    const report = readReport(out);
    expect(report.sources[0]).toMatchObject({ spec: `azure:${SUB_DEV}`, status: 'failed' });
    expect(JSON.stringify(report.sources[0].errors)).toMatch(/nothing could be collected/);
    expect(emulator.requests.filter((r) => r.kind === 'arm')).toHaveLength(0);
    expect(run.stderr + JSON.stringify(report)).not.toContain('wrong-secret-value');
  });

  it('scans the sample estate subscription offline with import:', async () => {
    const out = join(tempDir('nhiscan-azure-cli-'), 'out');
    const run = await runCli(['scan', 'import:examples/estate/azure/contoso.json', '--out', out, '--format', 'json', '--fail-on', 'none']);
    expect(run.code, run.stderr).toBe(0);
    const report = readReport(out);
    expect(report.sources[0]).toMatchObject({ status: 'ok' });
    expect(report.inventory.identities.filter((i: { kind: string }) => i.kind === 'keyvault')).toHaveLength(3);
    const fired = new Set(report.findings.map((f: { ruleId: string }) => f.ruleId));
    for (const rule of azureRules) expect(fired, rule.meta.id).toContain(rule.meta.id);
  });
});
