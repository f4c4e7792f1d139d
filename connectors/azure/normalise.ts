/**
 * The pure step from an Azure estate snapshot (ARM wire shapes) to nhiscan's inventory.
 * No I/O and no clock but `now` (used only to tell expired items), so the live collector and the
 * offline importer produce identical inventories from identical snapshots.
 */
import { contractAttributes, makeId, type Credential, type Grant, type Identity } from '../../src/model/index.js';
import { toIsoDate } from '../../src/time.js';
import {
  KIND_KEY,
  KIND_PRINCIPAL,
  KIND_SECRET,
  KIND_VAULT,
  type AzurePrincipal,
  type AzurePrincipalAttributes,
  type KeyVault,
  type KeyVaultAttributes,
  type KeyVaultKeyAttributes,
  type KeyVaultSecretAttributes,
} from '../../src/model/azure.js';
import { durationDays } from './duration.js';
import { applyRbac } from './normalise-rbac.js';
import {
  parseResourceId,
  type ArmAccessPolicy,
  type ArmItemAttributes,
  type ArmKey,
  type ArmRotationPolicy,
  type ArmSecret,
  type ArmVault,
  type AzureEstateSnapshot,
  type KeySnapshot,
} from './snapshot.js';

const PROVIDER = 'azure';

export interface NormalisedAzure {
  identities: Identity[];
  credentials: Credential[];
  /** What the inventory cannot show, from the snapshot's own gaps plus model limits (RBAC vaults). */
  notCovered: { part: string; reason: string }[];
}

/** ARM ids are case-insensitive and Azure is not consistent about their casing: ids use lower case. */
function stableId(resourceId: string): string {
  return resourceId.toLowerCase();
}

export function vaultIdentityId(vaultResourceId: string): string {
  return makeId(PROVIDER, KIND_VAULT, stableId(vaultResourceId));
}

export function principalIdentityId(tenantId: string, objectId: string): string {
  return makeId(PROVIDER, KIND_PRINCIPAL, `${tenantId.toLowerCase()}/${objectId.toLowerCase()}`);
}

function tagsOf(tags: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).filter(([, v]) => typeof v === 'string'));
}

/**
 * Open to the internet when public network access is on and the firewall lets unmatched traffic in.
 * `publicNetworkAccess` absent means Enabled; `networkAcls` absent means no firewall (Allow).
 */
export function isOpenToPublicNetwork(vault: ArmVault): boolean {
  const access = vault.properties.publicNetworkAccess ?? 'Enabled';
  if (access.toLowerCase() === 'disabled') return false;
  const defaultAction = vault.properties.networkAcls?.defaultAction ?? 'Allow';
  return defaultAction.toLowerCase() === 'allow';
}

function vaultIdentity(vault: ArmVault, secretCount: number | undefined, keyCount: number | undefined, source: string): KeyVault {
  const p = vault.properties;
  const { subscriptionId, resourceGroup } = parseResourceId(vault.id);
  const rbac = p.enableRbacAuthorization === true;
  const attributes: KeyVaultAttributes = {
    resource: true,
    providerManaged: false,
    resourceId: vault.id,
    subscriptionId,
    resourceGroup,
    location: vault.location,
    tenantId: p.tenantId,
    vaultUri: p.vaultUri,
    sku: p.sku?.name,
    enableRbacAuthorization: rbac,
    enableSoftDelete: p.enableSoftDelete !== false,
    softDeleteRetentionInDays: p.softDeleteRetentionInDays,
    enablePurgeProtection: p.enablePurgeProtection === true,
    publicNetworkAccess: p.publicNetworkAccess ?? 'Enabled',
    networkAcls: p.networkAcls,
    openToPublicNetwork: isOpenToPublicNetwork(vault),
    privateEndpointConnections: Array.isArray(p.privateEndpointConnections) ? p.privateEndpointConnections.length : 0,
    enabledForDeployment: p.enabledForDeployment,
    enabledForDiskEncryption: p.enabledForDiskEncryption,
    enabledForTemplateDeployment: p.enabledForTemplateDeployment,
    accessPolicies: p.accessPolicies ?? [],
    accessPoliciesIgnored: rbac,
    secretsCollected: secretCount !== undefined,
    keysCollected: keyCount !== undefined,
    secretCount,
    keyCount,
  };
  return {
    id: vaultIdentityId(vault.id),
    provider: PROVIDER,
    kind: KIND_VAULT,
    nativeId: stableId(vault.id),
    name: vault.name,
    scope: subscriptionId,
    tags: tagsOf(vault.tags),
    grants: [],
    createdAt: toIsoDate(vault.systemData?.createdAt),
    status: 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}

const READ_SECRET = new Set(['get', 'list']);

/** Coarse level of one access-policy permission list: purge/delete/set are admin/write, the rest read. */
function levelOf(category: string, permissions: string[]): Grant['level'] {
  const lower = permissions.map((p) => p.toLowerCase());
  if (
    lower.some(
      (p) => p === 'all' || p === 'purge' || p === 'setissuers' || p === 'manageissuers' || p === 'managecontacts' || p === 'deletesas' || p === 'setsas',
    )
  )
    return 'admin';
  if (category === 'secrets' && lower.every((p) => READ_SECRET.has(p))) return 'read';
  if (lower.every((p) => p === 'get' || p === 'list' || p === 'listsas' || p === 'getsas' || p === 'getissuers' || p === 'listissuers')) return 'read';
  return 'write';
}

function grantsOf(policy: ArmAccessPolicy, vault: ArmVault): Grant[] {
  const via = policy.applicationId ? `access-policy (compound, application ${policy.applicationId})` : 'access-policy';
  return (['keys', 'secrets', 'certificates', 'storage'] as const).flatMap((category): Grant[] => {
    const permissions = policy.permissions?.[category] ?? [];
    if (permissions.length === 0) return [];
    return [
      {
        resource: vault.id,
        actions: permissions.map((p) => `${category}/${p.toLowerCase()}`),
        effect: 'allow',
        via,
        level: levelOf(category, permissions),
      },
    ];
  });
}

function itemTimes(attrs: ArmItemAttributes | undefined) {
  return {
    enabled: attrs?.enabled !== false,
    created: toIsoDate(attrs?.created),
    updated: toIsoDate(attrs?.updated),
    expires: toIsoDate(attrs?.exp),
    notBefore: toIsoDate(attrs?.nbf),
  };
}

/** disabled → inactive; past its expiry → expired (even when still enabled: the offboarding rule's case). */
function itemStatus(enabled: boolean, expires: string | undefined, now: Date): Credential['status'] {
  if (!enabled) return 'inactive';
  if (expires && new Date(expires).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

interface VaultContext {
  vault: ArmVault;
  vaultId: string;
  subscriptionId?: string;
  rbac: boolean;
}

/** What secrets and keys share: their vault's facts and their own attribute times. Neither is usage-tracked. */
function vaultItemAttributes(ctx: VaultContext, t: ReturnType<typeof itemTimes>, recoveryLevel: string | undefined) {
  return {
    vaultId: ctx.vaultId,
    vaultResourceId: ctx.vault.id,
    vaultName: ctx.vault.name,
    subscriptionId: ctx.subscriptionId,
    vaultRbac: ctx.rbac,
    enabled: t.enabled,
    notBefore: t.notBefore,
    updatedAt: t.updated,
    usageTracked: false as const,
    supportsExpiry: true as const,
    recoveryLevel,
  };
}

function secretCredential(secret: ArmSecret, ctx: VaultContext, now: Date, source: string): Credential {
  const t = itemTimes(secret.properties?.attributes);
  const attributes: KeyVaultSecretAttributes = {
    ...vaultItemAttributes(ctx, t, secret.properties?.attributes?.recoveryLevel),
    contentType: secret.properties?.contentType,
    secretUri: secret.properties?.secretUri,
  };
  return {
    id: makeId(PROVIDER, KIND_SECRET, stableId(secret.id)),
    provider: PROVIDER,
    kind: KIND_SECRET,
    nativeId: stableId(secret.id),
    name: `${ctx.vault.name}/${secret.name}`,
    scope: ctx.subscriptionId,
    tags: tagsOf(secret.tags),
    createdAt: t.created,
    // The attributes are the current version's: `created` is when the current value was set, i.e.
    // the last rotation. `updated` also moves on tag or attribute edits, so it would overstate it.
    lastRotatedAt: t.created,
    expiresAt: t.expires,
    status: itemStatus(t.enabled, t.expires, now),
    attributes: contractAttributes(attributes),
    source,
  };
}

/** Days between rotations under the policy's `rotate` action, or undefined when nothing rotates or it cannot be told. */
export function rotationIntervalDays(policy: ArmRotationPolicy | undefined): { automatic: boolean; days?: number } {
  const rotate = (policy?.lifetimeActions ?? []).filter((a) => a.action?.type?.toLowerCase() === 'rotate');
  if (rotate.length === 0) return { automatic: false };
  const expiry = durationDays(policy?.attributes?.expiryTime);
  const intervals = rotate
    .map((a) => {
      const afterCreate = durationDays(a.trigger?.timeAfterCreate);
      if (afterCreate !== undefined) return afterCreate;
      const beforeExpiry = durationDays(a.trigger?.timeBeforeExpiry);
      return beforeExpiry !== undefined && expiry !== undefined ? expiry - beforeExpiry : undefined;
    })
    .filter((d): d is number => d !== undefined);
  return { automatic: true, days: intervals.length ? Math.min(...intervals) : undefined };
}

function keyCredential(snapshot: KeySnapshot, ctx: VaultContext, now: Date, source: string): Credential {
  const key: ArmKey = snapshot.key;
  const p = key.properties ?? {};
  const t = itemTimes(p.attributes);
  const versionCreated = (snapshot.versions ?? [])
    .map((v) => toIsoDate(v.properties?.attributes?.created))
    .filter((d): d is string => !!d)
    .sort();
  const rotation = rotationIntervalDays(p.rotationPolicy);
  const attributes: KeyVaultKeyAttributes = {
    ...vaultItemAttributes(ctx, t, p.attributes?.recoveryLevel),
    keyType: p.kty,
    keyOps: p.keyOps,
    keySize: p.keySize,
    curveName: p.curveName,
    keyUri: p.keyUri,
    rotationPolicy: p.rotationPolicy,
    rotationPolicyKnown: snapshot.detailsCollected !== false,
    rotationAutomatic: rotation.automatic,
    rotationIntervalDays: rotation.automatic ? rotation.days : undefined,
    versionCount: snapshot.versions ? snapshot.versions.length : undefined,
  };
  return {
    id: makeId(PROVIDER, KIND_KEY, stableId(key.id)),
    provider: PROVIDER,
    kind: KIND_KEY,
    nativeId: stableId(key.id),
    name: `${ctx.vault.name}/${key.name}`,
    scope: ctx.subscriptionId,
    tags: tagsOf(key.tags),
    // The oldest version tells when the key was first made; the current version's creation is its last rotation.
    createdAt: versionCreated[0] ?? t.created,
    lastRotatedAt: versionCreated.length ? versionCreated[versionCreated.length - 1] : t.created,
    expiresAt: t.expires,
    status: itemStatus(t.enabled, t.expires, now),
    attributes: contractAttributes(attributes),
    source,
  };
}

function principalRegistry(source: string) {
  const principals = new Map<string, AzurePrincipal>();
  const get = (tenantId: string, objectId: string): AzurePrincipal => {
    const id = principalIdentityId(tenantId, objectId);
    let principal = principals.get(id);
    if (!principal) {
      const attrs: AzurePrincipalAttributes = { tenantId, objectId, principalType: 'unknown', vaults: [] };
      principal = {
        id,
        provider: PROVIDER,
        kind: KIND_PRINCIPAL,
        nativeId: `${tenantId.toLowerCase()}/${objectId.toLowerCase()}`,
        name: objectId,
        scope: tenantId,
        tags: {},
        grants: [],
        status: 'active',
        attributes: contractAttributes(attrs),
        source,
      };
      principals.set(id, principal);
    }
    return principal;
  };
  return { principals, get };
}

/** Access-policy grants; with RBAC authorisation Azure ignores access policies, so they grant nothing. */
function applyAccessPolicies(vault: ArmVault, get: (tenantId: string, objectId: string) => AzurePrincipal): void {
  if (vault.properties.enableRbacAuthorization === true) return;
  for (const policy of vault.properties.accessPolicies ?? []) {
    if (!policy.objectId || !policy.tenantId) continue;
    const attrs = get(policy.tenantId, policy.objectId).attributes;
    if (!attrs.vaults.includes(vault.id)) attrs.vaults.push(vault.id);
    if (policy.applicationId) attrs.applicationIds = [...new Set([...(attrs.applicationIds ?? []), policy.applicationId])];
    get(policy.tenantId, policy.objectId).grants.push(...grantsOf(policy, vault));
  }
}

export function normaliseAzureSnapshot(snapshot: AzureEstateSnapshot, options: { now: Date; source: string }): NormalisedAzure {
  const { now, source } = options;
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const vaults: KeyVault[] = [];
  const registry = principalRegistry(source);
  const seenVaults = new Set<string>();

  for (const entry of snapshot.vaults) {
    const vault = entry.vault;
    const vaultId = vaultIdentityId(vault.id);
    if (seenVaults.has(vaultId)) continue; // the same vault listed twice (overlapping pages) counts once
    seenVaults.add(vaultId);
    const identity = vaultIdentity(vault, entry.secrets?.length, entry.keys?.length, source);
    identities.push(identity);
    vaults.push(identity);
    const ctx: VaultContext = { vault, vaultId, subscriptionId: identity.scope, rbac: vault.properties.enableRbacAuthorization === true };
    applyAccessPolicies(vault, registry.get);
    for (const secret of entry.secrets ?? []) credentials.push(secretCredential(secret, ctx, now, source));
    for (const key of entry.keys ?? []) credentials.push(keyCredential(key, ctx, now, source));
  }
  applyRbac(snapshot, { principal: registry.get, vaults });
  identities.push(...registry.principals.values());
  return { identities, credentials, notCovered: [...(snapshot.notCovered ?? []), ...rbacGaps(vaults)] };
}

/** RBAC vaults whose subscription's role assignments were not read: who can read them is unknown. */
function rbacGaps(vaults: KeyVault[]): { part: string; reason: string }[] {
  const blind = vaults.filter((v) => v.attributes.enableRbacAuthorization && !v.attributes.rbacCollected).length;
  if (blind === 0) return [];
  return [
    {
      part: 'azure-rbac-role-assignments',
      reason: `${blind} vault(s) use RBAC authorisation but the role assignments of their subscription were not read: who can read them is unknown`,
    },
  ];
}
