/**
 * Azure RBAC in the azure source: the real @azure/arm-authorization client against the ARM emulator
 * (role assignments and definitions per subscription), the normalised grants, RBAC vaults becoming
 * covered, the broad-role rule, and the `az role assignment list --all` importer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAzureConnector } from '../../connectors/azure/connector.js';
import { azureRoleAssignmentsImporter } from '../../connectors/azure/role-assignments-importer.js';
import { azureRules } from '../../rules/azure/index.js';
import { defaultConfig } from '../../src/config.js';
import type { AzurePrincipalAttributes } from '../../src/model/azure.js';
import type { Inventory } from '../../src/model/index.js';
import { startArmEmulator, staticTestCredential, type ArmEmulator } from '../../testkit/azure/arm-emulator.js';
import { fixtureEstate, P, SUB_PROD } from '../../testkit/azure/fixture-estate.js';
import { testContext } from '../support/context.js';
import { azRoleAssignmentList } from '../support/import-samples.js';

let emulator: ArmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function collect(faults: ArmEmulator['faults'] = []) {
  emulator = await startArmEmulator({ estate: fixtureEstate(), faults });
  const connector = createAzureConnector({
    credential: staticTestCredential(emulator),
    clientOptions: { tlsOptions: { ca: emulator.caCert } },
    retry: { retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });
  return connector.collect(testContext('azure', { options: { 'azure-endpoint': emulator.url } }));
}

function run(id: string, inventory: Inventory, options: Record<string, unknown> = {}) {
  const rule = azureRules.find((r) => r.meta.id === id)!;
  return rule.check(inventory, rule.meta.optionsSchema!.parse(options), { now: new Date('2026-11-29T00:00:00Z'), config: defaultConfig() });
}

const principal = (inv: Inventory, objectId: string) => inv.identities.find((i) => i.kind === 'azure-principal' && i.name === objectId)!;

describe('Azure RBAC role assignments', () => {
  it("names every principal's roles and where they apply; RBAC vaults become covered", async () => {
    const result = await collect();
    expect(result.status).toBe('ok');
    expect(result.stats?.roleAssignments).toBe(6);
    const inv = { identities: result.identities, credentials: result.credentials };
    const ci = principal(inv, P.ciDeployerSp).attributes as AzurePrincipalAttributes;
    expect(ci.principalType).toBe('ServicePrincipal');
    expect(ci.roleAssignments).toEqual([
      expect.objectContaining({ roleName: 'Owner', scopeLevel: 'subscription', scope: `/subscriptions/${SUB_PROD}`, actions: ['*'] }),
    ]);
    expect(principal(inv, P.ciDeployerSp).grants).toEqual([
      expect.objectContaining({ via: 'role-assignment:Owner', level: 'write', resource: `/subscriptions/${SUB_PROD}` }),
    ]);
    expect(principal(inv, P.automationSp).grants[0]).toMatchObject({ via: 'role-assignment:User Access Administrator', level: 'admin' });
    // The access-policy principal P.admin also holds Contributor on a resource group: one identity, both grants.
    const admin = principal(inv, P.admin);
    expect(admin.grants.map((g) => g.via)).toEqual(expect.arrayContaining(['access-policy', 'role-assignment:Contributor']));
    expect((admin.attributes as AzurePrincipalAttributes).principalType).toBe('User');
    expect((principal(inv, P.auditors).attributes as AzurePrincipalAttributes).roleAssignments![0]!.scopeLevel).toBe('managementGroup');

    const rbacVault = result.identities.find((i) => i.name === 'kv-platform-rbac')!;
    expect(rbacVault.attributes).toMatchObject({ rbacCollected: true });
    expect([...(rbacVault.attributes.rbacSecretReaders as string[])].sort()).toEqual([P.platformGroup, P.rbacReaderSp].sort());
    expect(result.notCovered?.some((n) => n.part === 'azure-rbac-role-assignments')).toBe(false);
    expect(run('azure-keyvault-many-secret-readers', inv, { maxSecretReaders: 1 }).map((d) => d.resource.name)).toContain('kv-platform-rbac');
  });

  it('reports Owner / User Access Administrator at subscription scope held by service principals, not users or narrow scopes', async () => {
    const result = await collect();
    const drafts = run('azure-rbac-broad-role', { identities: result.identities, credentials: result.credentials });
    expect(drafts.map((d) => d.resource.name).sort()).toEqual([P.automationSp, P.ciDeployerSp].sort());
    expect(drafts.find((d) => d.resource.name === P.ciDeployerSp)!.message).toMatch(/ServicePrincipal .* holds Owner at subscription scope/);
    expect(run('azure-rbac-broad-role', { identities: result.identities, credentials: result.credentials }, { principalTypes: ['User'] })).toEqual([]);
  });

  it('a subscription whose role assignments cannot be read is partial, and its RBAC vault not covered', async () => {
    const result = await collect([{ match: new RegExp(`GET /subscriptions/${SUB_PROD}/providers/Microsoft.Authorization/roleAssignments`), status: 403 }]);
    expect(result.status).toBe('partial');
    expect(result.notCovered?.map((n) => n.part)).toEqual(expect.arrayContaining([`subscription:${SUB_PROD}/roleAssignments`, 'azure-rbac-role-assignments']));
    expect(result.identities.find((i) => i.name === 'kv-platform-rbac')!.attributes.rbacCollected).toBe(false);
  });
});

describe('az role assignment list --all import', () => {
  it('reads the az CLI JSON: roles by name, principals named, broad roles judged', async () => {
    const azJson = azRoleAssignmentList();
    const text = JSON.stringify(azJson);
    expect(azureRoleAssignmentsImporter.detect({ path: 'ra.json', text, parsed: azJson })).toBe(true);
    const result = await azureRoleAssignmentsImporter.read({ path: 'ra.json', text, parsed: azJson }, testContext('import:ra.json'));
    expect(result.status).toBe('ok');
    expect(result.stats).toMatchObject({ roleAssignments: 6 });
    const inv = { identities: result.identities, credentials: result.credentials };
    const broad = run('azure-rbac-broad-role', inv);
    expect(broad).toHaveLength(2);
    expect(broad.every((d) => d.resource.name.startsWith('sp-'))).toBe(true);
    const officer = result.identities.find((i) => (i.attributes as AzurePrincipalAttributes).objectId === P.platformGroup)!;
    expect((officer.attributes as AzurePrincipalAttributes).roleAssignments![0]).toMatchObject({
      roleName: 'Key Vault Secrets Officer',
      dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
    });
  });
});
