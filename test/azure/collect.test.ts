/**
 * The real @azure/arm-keyvault and @azure/arm-resources-subscriptions clients against the loopback
 * TLS emulator: paging, retries, faults, read-only behaviour, and the connector's inventory.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { createAzureConnector } from '../../connectors/azure/connector.js';
import { azureSnapshotImporter } from '../../connectors/azure/importer.js';
import { collectAzureSnapshot } from '../../connectors/azure/collect.js';
import { startArmEmulator, staticTestCredential, type ArmEmulator, type ArmEmulatorOptions } from '../../testkit/azure/arm-emulator.js';
import { fixtureEstate, P, SUB_DEV, SUB_OLD, SUB_PROD, TENANT } from '../../testkit/azure/fixture-estate.js';
import { testContext } from '../support/context.js';

let emulator: ArmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: Partial<ArmEmulatorOptions> = {}) {
  emulator = await startArmEmulator({ estate: fixtureEstate(), ...options });
  return emulator;
}

/** Fast retries so fault tests stay quick; Retry-After still governs 429s. */
const FAST_RETRY = { retryDelayInMs: 10, maxRetryDelayInMs: 50 };

function connectorFor(em: ArmEmulator) {
  const credential = staticTestCredential(em);
  return { credential, connector: createAzureConnector({ credential, clientOptions: { tlsOptions: { ca: em.caCert } }, retry: FAST_RETRY }) };
}

function ctxFor(em: ArmEmulator, spec = 'azure') {
  return testContext(spec, { options: { 'azure-endpoint': em.url } });
}

describe('azure connector against the ARM emulator', () => {
  it('collects every vault, secret, key and access-policy principal in every enabled subscription, read-only', async () => {
    const em = await start();
    const { credential, connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em));

    expect(result.status).toBe('ok');
    const kinds = (k: string) => [...result.identities, ...result.credentials].filter((x) => x.kind === k);
    expect(
      kinds('keyvault')
        .map((v) => v.name)
        .sort(),
    ).toEqual(['kv-app-prod', 'kv-platform-rbac', 'kv-shared-dev']);
    expect(kinds('keyvault-secret')).toHaveLength(10);
    expect(kinds('keyvault-key')).toHaveLength(3);
    // 4 principals on kv-app-prod + 6 readers on kv-shared-dev; the RBAC vault's policies grant nothing.
    // + the role-assignment principals of the production subscription that no access policy names (5 of 6; P.admin has both).
    expect(kinds('azure-principal')).toHaveLength(15);
    expect(result.stats?.secrets).toBe(10);

    // Read-only: every request to Resource Manager was an authorised GET.
    const arm = em.requests.filter((r) => r.kind === 'arm');
    expect(arm.length).toBeGreaterThan(10);
    expect(arm.every((r) => r.method === 'GET' && r.authorized)).toBe(true);
    // The token is asked for the configured endpoint's scope.
    expect(new Set(credential.scopes)).toEqual(new Set([`${em.url}/.default`]));
    // api-versions as the SDKs send them.
    expect(arm.find((r) => r.path === '/subscriptions')?.query['api-version']).toBe('2022-12-01');
    expect(arm.filter((r) => r.path.includes('/Microsoft.KeyVault/')).every((r) => r.query['api-version'] === '2026-02-01')).toBe(true);
    // Paging followed the emulator's opaque nextLinks (page size 2, 6 secrets in kv-app-prod).
    const secretPages = arm.filter((r) => r.path.endsWith('/kv-app-prod/secrets'));
    expect(secretPages).toHaveLength(3);
    expect(secretPages.filter((r) => r.query.$skiptoken)).toHaveLength(2);
    // The disabled subscription was not walked.
    expect(arm.some((r) => r.path.includes(SUB_OLD) && r.path.includes('KeyVault'))).toBe(false);
    expect(result.notCovered?.some((n) => n.part === `subscription:${SUB_OLD}`)).toBe(true);
    // Role assignments were read, so the RBAC vault is covered: no gap reported for it.
    expect(result.notCovered?.some((n) => n.part === 'azure-rbac-role-assignments')).toBe(false);
    expect(arm.filter((r) => r.path.endsWith('/Microsoft.Authorization/roleAssignments')).every((r) => r.query['api-version'] === '2022-04-01')).toBe(true);
  });

  it('normalises vault configuration, access-policy grants and item dates from the wire shapes', async () => {
    const em = await start();
    const { connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em));
    const vault = result.identities.find((i) => i.name === 'kv-app-prod')!;
    expect(vault.attributes).toMatchObject({
      resource: true,
      enableRbacAuthorization: false,
      enablePurgeProtection: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      openToPublicNetwork: true,
      subscriptionId: SUB_PROD,
      resourceGroup: 'app-rg',
      location: 'westeurope',
      secretsCollected: true,
    });
    expect(vault.tags).toEqual({ owner: 'payments-team@contoso.example' });
    const dev = result.identities.find((i) => i.name === 'kv-shared-dev')!;
    expect(dev.attributes.openToPublicNetwork).toBe(false); // firewall default Deny with an IP rule

    const reader = result.identities.find((i) => i.kind === 'azure-principal' && i.name === P.appReader)!;
    expect(reader.scope).toBe(TENANT);
    expect(reader.grants).toEqual([
      expect.objectContaining({ resource: vault.attributes.resourceId, actions: ['secrets/get', 'secrets/list'], level: 'read', via: 'access-policy' }),
    ]);
    const admin = result.identities.find((i) => i.kind === 'azure-principal' && i.name === P.admin)!;
    expect(admin.attributes.vaults).toEqual([vault.attributes.resourceId]); // not the RBAC vault

    const expired = result.credentials.find((c) => c.name === 'kv-app-prod/legacy-cert-pass')!;
    expect(expired.status).toBe('expired');
    expect(expired.attributes).toMatchObject({ enabled: true, usageTracked: false, vaultId: vault.id });
    expect(expired.expiresAt).toBe('2026-11-19T00:00:00.000Z');
    const stale = result.credentials.find((c) => c.name === 'kv-app-prod/stale-webhook')!;
    expect(stale.lastRotatedAt).toBe('2025-10-25T00:00:00.000Z'); // created of the current version, not `updated`
    expect(result.credentials.find((c) => c.name === 'kv-app-prod/disabled-old')!.status).toBe('inactive');

    const cmk = result.credentials.find((c) => c.name === 'kv-app-prod/cmk-rotated')!;
    expect(cmk.attributes).toMatchObject({ keyType: 'RSA', rotationAutomatic: true, rotationIntervalDays: 90, versionCount: 2 });
    expect(cmk.createdAt).toBe('2026-02-22T00:00:00.000Z'); // oldest version
    expect(cmk.lastRotatedAt).toBe('2026-10-10T00:00:00.000Z'); // newest version
    const noPolicy = result.credentials.find((c) => c.name === 'kv-app-prod/signing-no-policy')!;
    expect(noPolicy.attributes).toMatchObject({ rotationAutomatic: false });
    expect(noPolicy.attributes.rotationPolicy).toBeUndefined();

    // No secret value can be anywhere: no credential carries a `value` field at any depth.
    expect(JSON.stringify(result.credentials)).not.toMatch(/"value"\s*:/);
  });

  it('scans only the named subscription with azure:SUBSCRIPTION_ID', async () => {
    const em = await start();
    const { connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em, `azure:${SUB_DEV}`));
    expect(result.identities.filter((i) => i.kind === 'keyvault').map((v) => v.name)).toEqual(['kv-shared-dev']);
    const arm = em.requests.filter((r) => r.kind === 'arm');
    expect(arm.some((r) => r.path === '/subscriptions')).toBe(false);
    expect(arm.some((r) => r.path.includes(SUB_PROD))).toBe(false);
  });

  it('rejects a subscription target that is not a GUID, and a plain-http endpoint, with clear errors', async () => {
    const em = await start();
    const { connector } = connectorFor(em);
    await expect(connector.collect(ctxFor(em, 'azure:prod'))).rejects.toThrow(/"prod" is not a subscription id/);
    await expect(connector.collect(testContext('azure', { options: { 'azure-endpoint': 'http://127.0.0.1:1' } }))).rejects.toThrow(/must use https/);
    expect(em.requests).toHaveLength(0);
  });

  it('retries 429 with Retry-After and transient 5xx, and counts the attempts', async () => {
    const em = await start({
      faults: [
        { match: /^GET \/subscriptions\?/, status: 429, retryAfter: '1', times: 1 },
        { match: /kv-app-prod\/secrets\?/, status: 503, times: 1 },
        { match: /kv-shared-dev\/secrets\?/, status: 500, times: 2 },
      ],
    });
    const { connector } = connectorFor(em);
    const started = Date.now();
    const result = await connector.collect(ctxFor(em));
    expect(result.status).toBe('ok');
    expect(result.credentials.filter((c) => c.kind === 'keyvault-secret')).toHaveLength(10);
    expect(result.stats).toMatchObject({ throttled: 1, retries: 4 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // the Retry-After second was honoured
    const subs = em.requests.filter((r) => r.path === '/subscriptions');
    // 3 subscriptions at 2 per page: the throttled first page, its retry, then the nextLink page.
    expect(subs.map((r) => [r.status, !!r.query.$skiptoken])).toEqual([
      [429, false],
      [200, false],
      [200, true],
    ]);
  });

  it('abandons and retries a request that never gets an answer', async () => {
    const em = await start({ faults: [{ match: /kv-shared-dev\/secrets\?/, status: 'hang', times: 1 }] });
    const credential = staticTestCredential(em);
    const connector = createAzureConnector({ credential, clientOptions: { tlsOptions: { ca: em.caCert } }, retry: FAST_RETRY, requestTimeoutMs: 2000 });
    const result = await connector.collect(ctxFor(em));
    expect(result.status).toBe('ok');
    expect(result.credentials.filter((c) => c.name.startsWith('kv-shared-dev/'))).toHaveLength(3);
    expect(em.requests.filter((r) => r.path.endsWith('/kv-shared-dev/secrets')).length).toBeGreaterThanOrEqual(2);
  });

  it('retries an answer whose JSON body is cut short, and loses nothing', async () => {
    const em = await start({ faults: [{ match: /kv-shared-dev\/keys\?/, status: 'malformed', times: 2 }] });
    const { connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em));
    expect(result.errors).toEqual([]);
    expect(result.notCovered?.filter((n) => n.part.includes('kv-shared-dev'))).toEqual([]);
    expect(result.credentials.filter((c) => c.kind === 'keyvault-key')).toHaveLength(3);
    expect(em.requests.filter((r) => r.path.endsWith('/kv-shared-dev/keys')).map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('keeps going when one vault denies its secrets or keeps answering garbage: partial, with the gap named', async () => {
    const em = await start({
      faults: [
        { match: /kv-app-prod\/secrets\?/, status: 403, times: 1 },
        { match: /kv-shared-dev\/keys\?/, status: 'malformed', times: 100 },
      ],
    });
    const { connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em));
    expect(result.status).toBe('partial');
    const parts = result.errors!.map((e) => e.part);
    expect(parts.some((p) => p?.endsWith('kv-app-prod/secrets'))).toBe(true);
    expect(parts.some((p) => p?.endsWith('kv-shared-dev/keys'))).toBe(true);
    expect(result.errors!.find((e) => e.part?.endsWith('kv-app-prod/secrets'))!.message).toMatch(/HTTP 403/);
    // The vault itself and its keys are still there; its secrets are marked as not collected.
    const vault = result.identities.find((i) => i.name === 'kv-app-prod')!;
    expect(vault.attributes).toMatchObject({ secretsCollected: false, keysCollected: true });
    expect(result.credentials.filter((c) => c.kind === 'keyvault-key')).toHaveLength(3);
    expect(result.credentials.filter((c) => c.kind === 'keyvault-secret')).toHaveLength(4);
  });

  it('fails the source with a clear message when nothing can be read', async () => {
    const em = await start({ faults: [{ match: /^GET \/subscriptions\?/, status: 500, times: 100 }] });
    const { connector } = connectorFor(em);
    await expect(connector.collect(ctxFor(em))).rejects.toThrow(/azure \(https:\/\/127\.0\.0\.1:\d+\): nothing could be collected: HTTP 500/);
  });

  it('produces the same inventory live and from its snapshot file (collector and importer share the normaliser)', async () => {
    const em = await start();
    const credential = staticTestCredential(em);
    const { snapshot } = await collectAzureSnapshot({
      credential,
      endpoint: em.url,
      clientOptions: { tlsOptions: { ca: em.caCert } },
      retry: FAST_RETRY,
    });
    const text = JSON.stringify(snapshot);
    const parsed = JSON.parse(text);
    expect(azureSnapshotImporter.detect({ path: 'x.json', text, parsed })).toBe(true);
    const ctx = testContext('azure'); // same source name as the live scan, so whole objects compare
    const imported = await azureSnapshotImporter.read({ path: 'x.json', text, parsed }, ctx);
    const { connector } = connectorFor(em);
    const live = await connector.collect(ctxFor(em));
    const byId = (xs: { id: string }[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(imported.credentials)).toEqual(byId(live.credentials));
    expect(byId(imported.identities)).toEqual(byId(live.identities));
  });

  it('validates settings.azure, naming the bad key', async () => {
    const em = await start();
    const { connector } = connectorFor(em);
    const ctx = testContext('azure', { options: { 'azure-endpoint': em.url }, config: { settings: { azure: { vaultConcurency: 4 } } } });
    await expect(connector.collect(ctx)).rejects.toThrow(/settings\.azure[\s\S]*vaultConcurency/);
  });

  it('writes the collected snapshot with settings.azure.snapshotOut, attributes only', async () => {
    const em = await start();
    const { connector } = connectorFor(em);
    const dir = tempDir('nhiscan-azure-snap-');
    const ctx = testContext('azure', { options: { 'azure-endpoint': em.url }, baseDir: dir, config: { settings: { azure: { snapshotOut: 'estate.json' } } } });
    const result = await connector.collect(ctx);
    expect(result.status).toBe('ok');
    // Written atomically (temporary file renamed into place: none left behind), owner-only.
    expect(readdirSync(dir)).toEqual(['estate.json']);
    expect(statSync(join(dir, 'estate.json')).mode & 0o777).toBe(0o600);
    const text = readFileSync(join(dir, 'estate.json'), 'utf8');
    const snapshot = JSON.parse(text);
    expect(azureSnapshotImporter.detect({ path: 'estate.json', text, parsed: snapshot })).toBe(true);
    expect(snapshot.vaults).toHaveLength(3);
    const secrets = snapshot.vaults.flatMap((v: { secrets: unknown[] }) => v.secrets);
    expect(secrets).toHaveLength(10);
    expect(secrets.every((s: { properties: object }) => !('value' in s.properties))).toBe(true);
  });
  it('a snapshotOut that cannot be written makes the source partial, naming the path; the inventory is kept', async () => {
    const em = await start();
    const { connector } = connectorFor(em);
    const dir = tempDir('nhiscan-azure-snap-');
    writeFileSync(join(dir, 'not-a-dir'), '');
    const ctx = testContext('azure', {
      options: { 'azure-endpoint': em.url },
      baseDir: dir,
      config: { settings: { azure: { snapshotOut: 'not-a-dir/estate.json' } } },
    });
    const result = await connector.collect(ctx);
    expect(result.status).toBe('partial');
    const [error] = result.errors!;
    expect(error!.part).toBe('snapshot-out');
    expect(error!.message).toMatch(/^cannot write the snapshot to .*not-a-dir.estate\.json: E[A-Z]+$/);
    expect(result.credentials.filter((c) => c.kind === 'keyvault-secret')).toHaveLength(10);
  });
});
