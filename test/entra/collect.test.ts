/**
 * The real Microsoft Graph client (@microsoft/microsoft-graph-client with the @azure/identity token
 * credential provider) against the loopback TLS Graph emulator: paging, JSON batching, retries,
 * faults, read-only behaviour, and the connector's inventory.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEntraConnector } from '../../connectors/entra/connector.js';
import { collectEntraSnapshot } from '../../connectors/entra/collect.js';
import { startGraphEmulator, staticGraphCredential, type GraphEmulator, type GraphEmulatorOptions } from '../../testkit/entra/graph-emulator.js';
import { E, ENTRA_TENANT, fixtureTenant } from '../../testkit/entra/fixture-tenant.js';
import { testContext } from '../support/context.js';

let emulator: GraphEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: Partial<GraphEmulatorOptions> = {}) {
  emulator = await startGraphEmulator({ tenant: fixtureTenant(), ...options });
  return emulator;
}

const FAST_RETRY = { retryDelayInMs: 5, maxRetryDelayInMs: 50 };

function connectorFor(em: GraphEmulator, extra: { requestTimeoutMs?: number } = {}) {
  const credential = staticGraphCredential(em);
  return { credential, connector: createEntraConnector({ credential, ca: em.caCert, retry: FAST_RETRY, ...extra }) };
}

const ctxFor = (em: GraphEmulator, spec = `entra:${ENTRA_TENANT}`) => testContext(spec, { options: { 'graph-endpoint': em.url } });

describe('entra connector against the Graph emulator', () => {
  it('collects applications, service principals (managed identities by filter), relations by $batch, read-only', async () => {
    const em = await start({ maxPageSize: 2 });
    const { credential, connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em));
    expect(result.status, JSON.stringify(result.errors)).toBe('ok');
    const byKind = (k: string) => [...result.identities, ...result.credentials].filter((x) => x.kind === k);
    expect(
      byKind('entra-application')
        .map((a) => a.name)
        .sort(),
    ).toEqual(['ci-deployer', 'legacy-reporting', 'payments-api']);
    expect(byKind('entra-service-principal')).toHaveLength(6);
    expect(byKind('entra-client-secret')).toHaveLength(6);
    expect(byKind('entra-certificate')).toHaveLength(1);

    // Managed identities were asked for by filter; the plain list does not serve them.
    expect(em.requests.some((r) => r.path === '/v1.0/servicePrincipals' && /ManagedIdentity/.test(r.query.$filter ?? ''))).toBe(true);
    const mi = result.identities.find((i) => i.name === 'func-orders')!;
    expect(mi.attributes).toMatchObject({ servicePrincipalType: 'ManagedIdentity', providerManaged: true });

    // Lists used $select and $top, and paging followed @odata.nextLink (page size capped at 2 here).
    const appPages = em.requests.filter((r) => r.kind === 'graph' && r.path === '/v1.0/applications');
    expect(appPages).toHaveLength(2);
    expect(appPages[0]!.query.$select).toContain('passwordCredentials');
    expect(appPages[1]!.query.$skiptoken).toBeTruthy();
    // Per-object relations went through $batch, never one by one.
    expect(em.requests.filter((r) => r.kind === 'graph' && /\/owners$|appRoleAssignments$/.test(r.path))).toHaveLength(0);
    expect(em.requests.filter((r) => r.kind === 'batch-item').length).toBeGreaterThan(10);

    // Read-only: GETs, POSTs only to $batch, nothing else; every batch item a GET.
    expect(em.writeAttempts).toEqual([]);
    expect(
      em.requests.filter((r) => r.kind === 'graph').every((r) => r.authorized && (r.method === 'GET' || (r.method === 'POST' && r.path === '/v1.0/$batch'))),
    ).toBe(true);
    expect(em.requests.filter((r) => r.kind === 'batch-item').every((r) => r.method === 'GET')).toBe(true);
    expect(new Set(credential.scopes)).toEqual(new Set([`${em.url}/.default`]));

    // Permissions resolved to names through Microsoft Graph's appRoles; roles and grants attached.
    const ci = result.identities.find((i) => i.kind === 'entra-service-principal' && i.name === 'ci-deployer')!;
    expect(ci.attributes.appPermissions).toEqual(
      expect.arrayContaining([expect.objectContaining({ resourceName: 'Microsoft Graph', permission: 'Application.ReadWrite.All' })]),
    );
    const legacy = result.identities.find((i) => i.kind === 'entra-service-principal' && i.name === 'legacy-reporting')!;
    expect(legacy.attributes.directoryRoles).toEqual(['Cloud Application Administrator']);
    const partner = result.identities.find((i) => i.name === 'Partner CRM Connector')!;
    expect(partner.attributes).toMatchObject({ thirdParty: true, delegatedGrants: [expect.objectContaining({ consentType: 'AllPrincipals' })] });

    // Use: per SP and per credential from the beta reports.
    const paymentsSecret = result.credentials.find((c) => c.nativeId === E.payments.secret)!;
    expect(paymentsSecret.lastUsedAt).toBe('2026-11-24T00:00:00.000Z');
    expect(paymentsSecret.attributes).toMatchObject({ hint: 'Pq8', on: 'application', usageTracked: true });
    expect(JSON.stringify(result)).not.toMatch(/secretText/);
  });

  it('retries 429 (Retry-After), 5xx, a hang and a malformed body, on lists and on batch items', async () => {
    const em = await start({
      faults: [
        { match: /^GET \/v1\.0\/applications\?/, status: 429, retryAfter: '0' },
        { match: /^GET \/v1\.0\/servicePrincipals\?(?!.*ManagedIdentity)/, status: 503 },
        { match: /^POST \/v1\.0\/\$batch/, status: 500 },
        { match: /^GET \/v1\.0\/oauth2PermissionGrants/, status: 'malformed' },
        { match: /^GET \/v1\.0\/directoryRoles\?/, status: 'hang' },
        { match: /^GET \/v1\.0\/applications\/[^/]+\/owners/, status: 429, retryAfter: '0', times: 2 },
      ],
    });
    const { connector } = connectorFor(em, { requestTimeoutMs: 1000 });
    const result = await connector.collect(ctxFor(em));
    expect(result.status, JSON.stringify(result.errors)).toBe('ok');
    expect(em.faults.every((f) => (f.times ?? 1) === 0)).toBe(true);
    expect(result.stats?.retries).toBeGreaterThanOrEqual(6);
    expect(result.stats?.throttled).toBeGreaterThanOrEqual(1);
    const payments = result.identities.find((i) => i.kind === 'entra-application' && i.name === 'payments-api')!;
    expect(payments.attributes.owners).toEqual([expect.objectContaining({ userPrincipalName: 'alice.martin@contoso.example' })]);
  });

  it('says what it could not read: a missing report permission is notCovered, never "unused"', async () => {
    const em = await start({ forbidden: [/^\/beta\/reports\//], faults: [{ match: /\/federatedIdentityCredentials/, status: 403, times: 99 }] });
    const { connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em));
    expect(result.status).toBe('partial');
    const parts = (result.notCovered ?? []).map((n) => n.part);
    expect(parts).toContain('reports/servicePrincipalSignInActivities');
    expect(parts).toContain('reports/appCredentialSignInActivities');
    expect(result.notCovered!.find((n) => n.part === 'reports/appCredentialSignInActivities')!.reason).toMatch(/AuditLog\.Read\.All/);
    expect(parts.filter((p) => p.endsWith('/federatedIdentityCredentials'))).toHaveLength(3);
    expect(result.credentials.every((c) => c.attributes.usageTracked === false)).toBe(true);
    const sp = result.identities.find((i) => i.name === 'legacy-reporting' && i.kind === 'entra-service-principal')!;
    expect(sp.attributes.signInActivityCollected).toBe(false);
    const app = result.identities.find((i) => i.name === 'ci-deployer' && i.kind === 'entra-application')!;
    expect(app.attributes.federatedCredentialsCollected).toBe(false);
  });

  it('reads every user and deleted user as people ($select, paging), never as identities', async () => {
    const em = await start({ maxPageSize: 2 });
    const { connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em));
    expect(result.status, JSON.stringify(result.errors)).toBe('ok');
    // accountEnabled is not in a user's default property set: it comes only because it was selected.
    const userPages = em.requests.filter((r) => r.kind === 'graph' && r.path === '/v1.0/users');
    expect(userPages).toHaveLength(2);
    expect(userPages[0]!.query.$select).toContain('accountEnabled');
    expect(userPages[1]!.query.$skiptoken).toBeTruthy();
    expect(em.requests.some((r) => r.path === '/v1.0/directory/deletedItems/microsoft.graph.user' && r.query.$select?.includes('deletedDateTime'))).toBe(true);
    expect(result.people!.map((p) => [p.id, p.status, p.aliases])).toEqual([
      ['person:alice.martin@contoso.example', 'active', ['alice@example.com']],
      ['person:bob.okafor@contoso.example', 'departed', []],
      ['person:carol.diaz@contoso.example', 'active', []],
      ['person:pat.lee@fabrikam.example', 'active', ['pat.lee_fabrikam.example#ext#@contoso.example']],
      // A deleted user's renamed UPN is read back to the original; the deletion is the end date.
      ['person:erin.walsh@contoso.example', 'departed', []],
    ]);
    expect(result.people!.at(-1)).toMatchObject({ endDate: '2026-11-09T00:00:00Z', sources: [`entra:${ENTRA_TENANT}`] });
    expect(result.stats).toMatchObject({ users: 4, deletedUsers: 1 });
    expect(result.identities.some((i) => /erin|alice\.martin/i.test(i.name))).toBe(false);
    expect(em.writeAttempts).toEqual([]);
  });

  it('a tenant without User.Read.All: users and deleted users are notCovered naming the permission', async () => {
    const em = await start({ forbidden: [/^\/v1\.0\/users$/, /^\/v1\.0\/directory\/deletedItems\//] });
    const { connector } = connectorFor(em);
    const result = await connector.collect(ctxFor(em));
    expect(result.status).toBe('partial');
    const byPart = new Map((result.notCovered ?? []).map((n) => [n.part, n.reason]));
    expect(byPart.get('users')).toMatch(/cannot list users \(HTTP 403 .*needs the User\.Read\.All application permission/);
    expect(byPart.get('directory/deletedItems/microsoft.graph.user')).toMatch(/cannot list deleted users .*User\.Read\.All/);
    expect(result.people).toBeUndefined();
    // The rest of the tenant is still collected.
    expect(result.identities.filter((i) => i.kind === 'entra-application')).toHaveLength(3);
  });

  it('fails the source with a clear error when nothing can be listed', async () => {
    const em = await start({ faults: [{ match: /^GET \/v1\.0\/applications\?/, status: 403, times: 9 }] });
    const { connector } = connectorFor(em);
    await expect(connector.collect(ctxFor(em))).rejects.toThrow(/entra \(https:\/\/127\.0\.0\.1:\d+\): nothing could be collected: HTTP 403/);
  });

  it('per-object mode (the bench baseline) sends one GET per relation and no $batch', async () => {
    const em = await start();
    const credential = staticGraphCredential(em);
    const { snapshot, stats } = await collectEntraSnapshot({
      credential,
      endpoint: em.url,
      tenantId: ENTRA_TENANT,
      ca: em.caCert,
      mode: 'per-object',
      retry: FAST_RETRY,
    });
    expect(snapshot.applications).toHaveLength(3);
    expect(em.requests.some((r) => r.path === '/v1.0/$batch')).toBe(false);
    expect(stats.batches).toBe(0);
    expect(em.requests.filter((r) => r.kind === 'graph' && r.path.endsWith('/owners')).length).toBe(3 + 5);
  });
});
