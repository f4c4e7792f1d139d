/**
 * Azure Key Vault inventory builders for rule tests, shaped as src/model/azure.ts describes. The defaults are a
 * well-kept vault (RBAC, purge protection, no public access) holding items that expire within the limits and
 * rotate; a test overrides what its rule judges.
 */
import { contractAttributes, type Credential, type Grant, type Identity } from '../../src/model/index.js';
import {
  AZURE_PROVIDER,
  KIND_KEY,
  KIND_PRINCIPAL,
  KIND_SECRET,
  KIND_VAULT,
  keyVaultAttributes,
  type AzurePrincipalAttributes,
  type KeyVaultAttributes,
  type KeyVaultItemAttributes,
  type KeyVaultKeyAttributes,
  type KeyVaultSecretAttributes,
} from '../../src/model/azure.js';
import { credential, daysBefore, identity, TEST_NOW } from './core.js';

export const TEST_SUBSCRIPTION = '00000000-0000-0000-0000-00000000aaaa';
export const TEST_TENANT = '00000000-0000-0000-0000-00000000cccc';

export interface AzureSpec<T, A> {
  fields?: Partial<T>;
  attributes?: Partial<A>;
}

export function vaultResourceId(name: string): string {
  return `/subscriptions/${TEST_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`;
}

/** A vault: RBAC authorisation, soft delete and purge protection on, public network access disabled, no owner. */
export function keyVault(name: string, spec: AzureSpec<Identity, KeyVaultAttributes> = {}): Identity {
  const resourceId = vaultResourceId(name);
  const attributes: KeyVaultAttributes = {
    resource: true,
    providerManaged: false,
    resourceId,
    subscriptionId: TEST_SUBSCRIPTION,
    resourceGroup: 'rg',
    tenantId: TEST_TENANT,
    enableRbacAuthorization: true,
    enableSoftDelete: true,
    enablePurgeProtection: true,
    publicNetworkAccess: 'Disabled',
    openToPublicNetwork: false,
    privateEndpointConnections: 0,
    accessPolicies: [],
    accessPoliciesIgnored: true,
    secretsCollected: true,
    keysCollected: true,
    ...spec.attributes,
  };
  return identity({
    provider: AZURE_PROVIDER,
    kind: KIND_VAULT,
    nativeId: resourceId.toLowerCase(),
    name,
    scope: TEST_SUBSCRIPTION,
    status: 'active',
    ...spec.fields,
    attributes: contractAttributes(attributes),
  });
}

function itemAttributes(vault: Identity, enabled: boolean): KeyVaultItemAttributes {
  const v = keyVaultAttributes(vault);
  if (!v) throw new Error(`${vault.id} is not a key vault`);
  return {
    vaultId: vault.id,
    vaultResourceId: v.resourceId,
    vaultName: vault.name,
    subscriptionId: TEST_SUBSCRIPTION,
    vaultRbac: v.enableRbacAuthorization,
    enabled,
    usageTracked: false,
    supportsExpiry: true,
  };
}

function item(kind: string, vault: Identity, name: string, fields: Partial<Credential>, attributes: object): Credential {
  const nativeId = `${vaultResourceId(vault.name)}/${kind === KIND_KEY ? 'keys' : 'secrets'}/${name}`.toLowerCase();
  return credential({
    provider: AZURE_PROVIDER,
    kind,
    nativeId,
    name: `${vault.name}/${name}`,
    scope: TEST_SUBSCRIPTION,
    createdAt: daysBefore(TEST_NOW, 30),
    lastRotatedAt: daysBefore(TEST_NOW, 30),
    expiresAt: daysBefore(TEST_NOW, -180),
    ...fields,
    attributes: contractAttributes(attributes),
  });
}

/** A secret set 30 days ago that expires in 180 days. `fields.status` 'inactive' also makes it disabled. */
export function vaultSecret(vault: Identity, name: string, spec: AzureSpec<Credential, KeyVaultSecretAttributes> = {}): Credential {
  const attributes: KeyVaultSecretAttributes = { ...itemAttributes(vault, spec.fields?.status !== 'inactive'), ...spec.attributes };
  return item(KIND_SECRET, vault, name, spec.fields ?? {}, attributes);
}

/** A key created 30 days ago, expiring in 180 days, rotated by a yearly rotation policy. */
export function vaultKey(vault: Identity, name: string, spec: AzureSpec<Credential, KeyVaultKeyAttributes> = {}): Credential {
  const attributes: KeyVaultKeyAttributes = {
    ...itemAttributes(vault, spec.fields?.status !== 'inactive'),
    keyType: 'RSA',
    rotationPolicyKnown: true,
    rotationAutomatic: true,
    rotationIntervalDays: 365,
    ...spec.attributes,
  };
  return item(KIND_KEY, vault, name, spec.fields ?? {}, attributes);
}

export type AccessPolicyPermissions = Partial<Record<'keys' | 'secrets' | 'certificates' | 'storage', string[]>>;

/** An access-policy principal holding `permissions` on each vault, as one grant per permission category. */
export function policyPrincipal(
  objectId: string,
  policies: { vault: Identity; permissions: AccessPolicyPermissions }[],
  spec: AzureSpec<Identity, AzurePrincipalAttributes> = {},
): Identity {
  const vaults = policies.map((p) => vaultResourceId(p.vault.name));
  const grants: Grant[] = policies.flatMap(({ vault, permissions }) =>
    Object.entries(permissions).map(([category, perms]) => ({
      resource: vaultResourceId(vault.name),
      actions: perms.map((p) => `${category}/${p.toLowerCase()}`),
      effect: 'allow' as const,
      via: 'access-policy',
    })),
  );
  const attributes: AzurePrincipalAttributes = { tenantId: TEST_TENANT, objectId, principalType: 'unknown', vaults, ...spec.attributes };
  return identity({
    provider: AZURE_PROVIDER,
    kind: KIND_PRINCIPAL,
    nativeId: `${TEST_TENANT}/${objectId}`,
    name: objectId,
    scope: TEST_TENANT,
    status: 'active',
    grants,
    ...spec.fields,
    attributes: contractAttributes(attributes),
  });
}
