/**
 * What the Azure normaliser puts in `Identity.attributes` / `Credential.attributes`, and what the
 * Azure rules read. Both the live collector and the offline importer produce exactly this, since
 * both go through normalise.ts.
 *
 * Model choice (see docs/azure.md): a vault is a resource, but the shared model has no resource
 * list, so each vault is an `Identity` of kind `keyvault` with `attributes.resource = true` and no
 * grants. That keeps vault facts in one place for the configuration rules and gives missing-owner
 * something to judge. Secrets and keys are credentials; access-policy principals are identities.
 */
import { isOfKind, kindGuard, type Credential, type Identity, type WithAttributes } from './index.js';

/** Key Vault parts as Azure Resource Manager returns them (the connector's snapshot uses them too). */
export interface ArmAccessPolicy {
  tenantId: string;
  objectId: string;
  /** Compound identity: the application acting on behalf of the principal. */
  applicationId?: string;
  permissions: {
    keys?: string[];
    secrets?: string[];
    certificates?: string[];
    storage?: string[];
  };
}

export interface ArmNetworkAcls {
  bypass?: string;
  defaultAction?: string;
  ipRules?: { value: string }[];
  virtualNetworkRules?: { id: string; ignoreMissingVnetServiceEndpoint?: boolean }[];
}

export interface ArmRotationPolicy {
  attributes?: { created?: number; updated?: number; expiryTime?: string };
  lifetimeActions?: { trigger?: { timeAfterCreate?: string; timeBeforeExpiry?: string }; action?: { type?: string } }[];
}

export const AZURE_PROVIDER = 'azure';
export const KIND_VAULT = 'keyvault';
export const KIND_PRINCIPAL = 'azure-principal';
export const KIND_SECRET = 'keyvault-secret';
export const KIND_KEY = 'keyvault-key';
export const KEYVAULT_ITEM_KINDS: readonly string[] = [KIND_SECRET, KIND_KEY];

/** `Identity.attributes` for kind `keyvault`. */
export interface KeyVaultAttributes {
  /** Marks a resource modelled as an identity (it authenticates nothing itself). */
  resource: true;
  providerManaged: false;
  resourceId: string;
  subscriptionId?: string;
  resourceGroup?: string;
  location?: string;
  tenantId?: string;
  vaultUri?: string;
  sku?: string;
  /** false when absent: Azure's default is access policies. */
  enableRbacAuthorization: boolean;
  /** Soft delete is on by default since 2020 and can no longer be turned off; absent counts as true. */
  enableSoftDelete: boolean;
  softDeleteRetentionInDays?: number;
  /** false when absent: purge protection is opt-in. */
  enablePurgeProtection: boolean;
  /** `Enabled` when absent, as Azure treats it. */
  publicNetworkAccess: string;
  networkAcls?: ArmNetworkAcls;
  /**
   * Reachable from any public address: public network access enabled and the firewall's default
   * action Allow (or no firewall at all). IP rules or VNet rules with default Deny are not "open".
   */
  openToPublicNetwork: boolean;
  privateEndpointConnections: number;
  enabledForDeployment?: boolean;
  enabledForDiskEncryption?: boolean;
  enabledForTemplateDeployment?: boolean;
  accessPolicies: ArmAccessPolicy[];
  /** true when the vault uses RBAC, so its access policies have no effect and grant nothing. */
  accessPoliciesIgnored: boolean;
  /** Whether the secret and key lists could be read; false means their rules could not judge it. */
  secretsCollected: boolean;
  keysCollected: boolean;
  secretCount?: number;
  keyCount?: number;
  /** Whether the role assignments of the vault's subscription were read (RBAC vaults are then covered). */
  rbacCollected?: boolean;
  /** RBAC vaults: object ids of the principals whose roles (at the vault or above) can read secret values. */
  rbacSecretReaders?: string[];
}

/** One Azure RBAC role assignment, with its role's name and where it applies. */
export interface AzureRoleAssignmentFact {
  id: string;
  scope: string;
  /** root (`/`), managementGroup, subscription, resourceGroup or resource. */
  scopeLevel: 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';
  roleName: string;
  roleDefinitionId: string;
  /** BuiltInRole or CustomRole, when the definition was read. */
  roleType?: string;
  /** Control-plane actions and data actions of the role (`*`, `Microsoft.KeyVault/vaults/secrets/getSecret/action`...). */
  actions: string[];
  dataActions: string[];
  condition?: string;
  createdOn?: string;
}

/** `Identity.attributes` for kind `azure-principal`: an access-policy principal or a role assignment's principal. */
export interface AzurePrincipalAttributes {
  tenantId: string;
  objectId: string;
  /**
   * What the object is, as role assignments state it (`User`, `Group`, `ServicePrincipal`, `ForeignGroup`,
   * `Device`); `unknown` when only access policies name it (they do not say; names need Microsoft Graph).
   */
  principalType: string;
  /** Azure RBAC role assignments the principal holds (when they were read). */
  roleAssignments?: AzureRoleAssignmentFact[];
  /** Vault resource ids the principal has an access policy on. */
  vaults: string[];
  /** Applications named in compound-identity access policies. */
  applicationIds?: string[];
}

/** `Credential.attributes` shared by kinds `keyvault-secret` and `keyvault-key`. */
export interface KeyVaultItemAttributes {
  /** Identity id (`azure:keyvault:...`) of the vault that holds the item. */
  vaultId: string;
  vaultResourceId: string;
  vaultName: string;
  subscriptionId?: string;
  /** Whether the holding vault uses RBAC: CIS splits the expiry controls by it. */
  vaultRbac: boolean;
  enabled: boolean;
  notBefore?: string;
  /** Last change of the current version's attributes (tags, enabled, expiry...), ISO. */
  updatedAt?: string;
  /** The management plane exposes no read or use times. */
  usageTracked: false;
  supportsExpiry: true;
  recoveryLevel?: string;
}

export interface KeyVaultSecretAttributes extends KeyVaultItemAttributes {
  contentType?: string;
  secretUri?: string;
}

export interface KeyVaultKeyAttributes extends KeyVaultItemAttributes {
  keyType?: string;
  keyOps?: string[];
  keySize?: number;
  curveName?: string;
  keyUri?: string;
  rotationPolicy?: ArmRotationPolicy;
  /** false when the key's details could not be read: its rotation policy is unknown, not absent. */
  rotationPolicyKnown: boolean;
  /** The rotation policy has a `rotate` lifetime action (Key Vault rotates the key itself). */
  rotationAutomatic: boolean;
  /** Rotation interval in days derived from the policy's rotate action; undefined when none rotates. */
  rotationIntervalDays?: number;
  /** Number of key versions, when listed. */
  versionCount?: number;
}

/* Typed accessors: they check provider and kind, then type the attributes the normaliser wrote. */

export type KeyVault = WithAttributes<Identity, KeyVaultAttributes>;
export type AzurePrincipal = WithAttributes<Identity, AzurePrincipalAttributes>;
export type KeyVaultItem = WithAttributes<Credential, KeyVaultItemAttributes>;
export type KeyVaultKey = WithAttributes<Credential, KeyVaultKeyAttributes>;
export type KeyVaultSecret = WithAttributes<Credential, KeyVaultSecretAttributes>;

export const isKeyVault = kindGuard<Identity, KeyVaultAttributes>(AZURE_PROVIDER, [KIND_VAULT]);
export const isAzurePrincipal = kindGuard<Identity, AzurePrincipalAttributes>(AZURE_PROVIDER, [KIND_PRINCIPAL]);

/** Secrets and keys managed in a vault; a secret found in code (`secret` evidence) is not one, whatever its kind. */
export function isKeyVaultItem(item: Credential): item is KeyVaultItem {
  return isOfKind(item, AZURE_PROVIDER, KEYVAULT_ITEM_KINDS) && !item.secret;
}

export function isKeyVaultKey(item: Credential): item is KeyVaultKey {
  return isKeyVaultItem(item) && item.kind === KIND_KEY;
}

export function keyVaultAttributes(item: Identity): KeyVaultAttributes | undefined {
  return isKeyVault(item) ? item.attributes : undefined;
}
