/**
 * The Entra importer: nhiscan snapshots, `az ad app list --all` / `az ad sp list --all` JSON and raw
 * Graph list responses, detected by content; exports without relations leave them unknown, not empty.
 */
import { describe, expect, it } from 'vitest';
import { entraImporter, entraListKind } from '../../connectors/entra/importer.js';
import { azureRoleAssignmentsImporter } from '../../connectors/azure/role-assignments-importer.js';
import { entraRules } from '../../rules/entra/index.js';
import { defaultConfig } from '../../src/config.js';
import { entraSnapshotFromTenant, fixtureTenant } from '../../testkit/entra/fixture-tenant.js';
import { testContext } from '../support/context.js';

const input = (parsed: unknown, path = 'export.json') => ({ path, text: JSON.stringify(parsed), parsed });

/** What `az ad app list --all` prints: Graph application objects, no relations. */
function azAppList() {
  return fixtureTenant().applications.map(({ owners: _o, federatedIdentityCredentials: _f, ...app }) => ({
    ...app,
    api: { oauth2PermissionScopes: [] },
    web: { redirectUris: [] },
  }));
}

function azSpList() {
  return fixtureTenant().servicePrincipals.map(({ owners: _o, appRoleAssignments: _a, ...sp }) => ({ ...sp, servicePrincipalNames: [sp.appId] }));
}

describe('entra importer', () => {
  it('tells applications from service principals by content, and ignores other lists', () => {
    expect(entraListKind(azAppList())).toBe('applications');
    expect(entraListKind(azSpList())).toBe('servicePrincipals');
    expect(entraListKind({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications', value: azAppList() })).toBe('applications');
    expect(entraListKind([{ principalId: 'x', roleDefinitionId: 'y', scope: '/' }])).toBeUndefined();
    expect(entraImporter.detect(input(entraSnapshotFromTenant(fixtureTenant())))).toBe(true);
    expect(azureRoleAssignmentsImporter.detect(input(azAppList()))).toBe(false);
  });

  it('reads az ad app list: credentials and lifetimes judged; owners unknown, so no "no owner" finding', async () => {
    const result = await entraImporter.read(input(azAppList(), 'apps.json'), testContext('import:apps.json'));
    expect(result.status).toBe('partial');
    expect(result.notCovered?.[0]?.reason).toMatch(/no owners or federated credentials/);
    expect(result.identities).toHaveLength(3);
    expect(result.credentials.filter((c) => c.kind === 'entra-client-secret')).toHaveLength(5);
    const inv = { identities: result.identities, credentials: result.credentials };
    const ctx = { now: new Date('2026-11-29T00:00:00Z'), config: defaultConfig() };
    const rule = (id: string) => entraRules.find((r) => r.meta.id === id)!;
    expect(rule('entra-credential-lifetime').check(inv, rule('entra-credential-lifetime').meta.optionsSchema!.parse({}), ctx)).toHaveLength(2);
    expect(rule('entra-no-owner').check(inv, {}, ctx)).toEqual([]);
    expect(rule('entra-unused').check(inv, { maxIdleDays: 90 }, ctx)).toEqual([]);
    expect(JSON.stringify(result)).not.toMatch(/secretText/);
  });

  it('reads az ad sp list: the tenant is the organisation owning most apps, so the partner app is third-party', async () => {
    const result = await entraImporter.read(input({ value: azSpList() }, 'sps.json'), testContext('import:sps.json'));
    const partner = result.identities.find((i) => i.name === 'Partner CRM Connector')!;
    expect(partner.attributes).toMatchObject({ thirdParty: true, appPermissionsCollected: false, ownersCollected: false });
    expect(result.identities.find((i) => i.name === 'Microsoft Graph')!.attributes).toMatchObject({ microsoftFirstParty: true, thirdParty: false });
    expect(result.credentials.filter((c) => c.attributes.on === 'servicePrincipal')).toHaveLength(1);
  });

  it('reads its own snapshot with every relation, and refuses an unknown version', async () => {
    const snapshot = entraSnapshotFromTenant(fixtureTenant());
    const result = await entraImporter.read(input(snapshot), testContext('import:tenant.json'));
    expect(result.status).toBe('ok');
    expect(result.stats).toMatchObject({ applications: 3, servicePrincipals: 6, credentials: 7, people: 5 });
    // A snapshot written before users were read has no people, and says nothing is missing.
    const older = await entraImporter.read(input({ ...snapshot, users: undefined, deletedUsers: undefined }), testContext('import:tenant.json'));
    expect(older).toMatchObject({ status: 'ok', stats: { people: 0 } });
    expect(older.people).toBeUndefined();
    await expect(async () => entraImporter.read(input({ ...snapshot, version: 9 }), testContext('import:tenant.json'))).rejects.toThrow(
      /unsupported Entra snapshot version 9/,
    );
  });

  it.each([
    ['a string', 'not covered'],
    ['an object', { part: 'x', reason: 'y' }],
    ['a list with a null', [null]],
  ])('a notCovered that is %s is named and skipped (partial), not a TypeError', async (_what, notCovered) => {
    const snapshot = { ...entraSnapshotFromTenant(fixtureTenant()), notCovered };
    const result = await entraImporter.read(input(snapshot, 'tenant.json'), testContext('import:tenant.json'));
    expect(result.status).toBe('partial');
    expect(result.notCovered?.map((n) => n.part)).toEqual(expect.arrayContaining([expect.stringMatching(/^tenant\.json \$\.notCovered/)]));
    expect(result.identities.length).toBeGreaterThan(0);
  });

  it('reads wrong-typed relations as not collected, never as none: no "no owner" finding from "owners": "x"', async () => {
    const snapshot = entraSnapshotFromTenant(fixtureTenant());
    const app = snapshot.applications[0] as unknown as Record<string, unknown>;
    app.owners = 'x';
    app.passwordCredentials = [{ keyId: 'k1', endDateTime: 20991231 }, null];
    const result = await entraImporter.read(input(snapshot, 'tenant.json'), testContext('import:tenant.json'));
    expect(result.status).toBe('partial');
    const identity = result.identities.find((i) => i.nativeId === app.id || (i.attributes as { objectId?: string }).objectId === app.id)!;
    expect(identity.attributes).toMatchObject({ ownersCollected: false });
    const parts = result.notCovered!.map((n) => `${n.part}: ${n.reason}`);
    expect(parts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/applications\[0\]\.owners: not a list/),
        expect.stringMatching(/applications\[0\]\.passwordCredentials\[0\]\.endDateTime: .*riskier/),
        expect.stringMatching(/applications\[0\]\.passwordCredentials\[1\]: .*skipped/),
      ]),
    );
  });
});
