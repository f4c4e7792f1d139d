/**
 * The Azure estate snapshot: what the live collector gathers and what the offline importer reads.
 *
 * Every object is kept in Azure Resource Manager's own wire shape (the JSON the REST API returns,
 * as in Microsoft's published examples): `properties` nesting, camelCase names, and secret/key
 * attributes in Unix seconds. That makes a snapshot reproducible by hand with `az rest` and lets
 * the pure normaliser (normalise.ts) be tested against Microsoft's examples directly.
 *
 * Secret values are never part of it: the management plane does not return them, and the
 * collector drops a `value` field defensively should one ever appear.
 */
// The parts the model's Key Vault contract carries as they are: defined with the contract.
import type { ArmAccessPolicy, ArmNetworkAcls, ArmRotationPolicy } from '../../src/model/azure.js';
export type { ArmAccessPolicy, ArmNetworkAcls, ArmRotationPolicy };

/** Marker the importer detects: `{"nhiscanSnapshot": "azure", ...}`. */
export const SNAPSHOT_MARKER = 'azure';
export const SNAPSHOT_VERSION = 1;

export interface ArmSubscription {
  id?: string;
  subscriptionId: string;
  displayName?: string;
  tenantId?: string;
  state?: string;
  tags?: Record<string, string>;
}

export interface ArmVault {
  id: string;
  name: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  systemData?: Record<string, unknown>;
  properties: {
    tenantId?: string;
    sku?: { family?: string; name?: string };
    accessPolicies?: ArmAccessPolicy[];
    vaultUri?: string;
    enabledForDeployment?: boolean;
    enabledForDiskEncryption?: boolean;
    enabledForTemplateDeployment?: boolean;
    enableSoftDelete?: boolean;
    softDeleteRetentionInDays?: number;
    enableRbacAuthorization?: boolean;
    enablePurgeProtection?: boolean;
    networkAcls?: ArmNetworkAcls;
    privateEndpointConnections?: unknown[];
    publicNetworkAccess?: string;
    provisioningState?: string;
    [key: string]: unknown;
  };
}

/** Secret and key attributes: times are Unix seconds, as on the wire. */
export interface ArmItemAttributes {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
  created?: number;
  updated?: number;
  recoveryLevel?: string;
  exportable?: boolean;
}

export interface ArmSecret {
  id: string;
  name: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  properties: {
    contentType?: string;
    attributes?: ArmItemAttributes;
    secretUri?: string;
    secretUriWithVersion?: string;
  };
}

export interface ArmKey {
  id: string;
  name: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  properties: {
    attributes?: ArmItemAttributes;
    kty?: string;
    keyOps?: string[];
    keySize?: number;
    curveName?: string;
    keyUri?: string;
    keyUriWithVersion?: string;
    rotationPolicy?: ArmRotationPolicy;
  };
}

export interface KeySnapshot {
  /** Keys_Get's answer (falls back to the Keys_List item when the get failed). */
  key: ArmKey;
  /** false when Keys_Get failed: type, operations and rotation policy are then unknown, not absent. */
  detailsCollected?: boolean;
  /** Keys_ListVersions, oldest first when known; absent when not collected. */
  versions?: ArmKey[];
}

export interface VaultSnapshot {
  vault: ArmVault;
  /** null when the list call failed (the reason is in the snapshot's `notCovered`). */
  secrets: ArmSecret[] | null;
  keys: KeySnapshot[] | null;
}

/** A role assignment in Resource Manager's wire shape (Microsoft.Authorization/roleAssignments, 2022-04-01). */
export interface ArmRoleAssignment {
  id: string;
  name: string;
  type?: string;
  properties: {
    scope: string;
    roleDefinitionId: string;
    principalId: string;
    /** User, Group, ServicePrincipal, ForeignGroup, Device. */
    principalType?: string;
    description?: string;
    condition?: string;
    createdOn?: string;
    updatedOn?: string;
    createdBy?: string;
  };
}

export interface ArmRolePermission {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

/** A role definition in Resource Manager's wire shape (Microsoft.Authorization/roleDefinitions). */
export interface ArmRoleDefinition {
  id: string;
  name: string;
  type?: string;
  properties: {
    roleName: string;
    /** BuiltInRole or CustomRole. */
    type?: string;
    description?: string;
    permissions?: ArmRolePermission[];
    assignableScopes?: string[];
  };
}

/** One subscription's RBAC: every assignment visible in it (subscription, resource group, resource, inherited). */
export interface RbacSnapshot {
  subscriptionId: string;
  roleAssignments: ArmRoleAssignment[];
  roleDefinitions: ArmRoleDefinition[];
}

export interface AzureEstateSnapshot {
  nhiscanSnapshot: typeof SNAPSHOT_MARKER;
  version: typeof SNAPSHOT_VERSION;
  /** ISO time of collection; informational. */
  collectedAt?: string;
  /** Resource Manager endpoint the snapshot came from. */
  endpoint?: string;
  subscriptions: ArmSubscription[];
  vaults: VaultSnapshot[];
  /** Role assignments per subscription; absent in snapshots from before RBAC was read, or when it could not be. */
  rbac?: RbacSnapshot[];
  notCovered: { part: string; reason: string }[];
}

export function emptySnapshot(endpoint?: string): AzureEstateSnapshot {
  return { nhiscanSnapshot: SNAPSHOT_MARKER, version: SNAPSHOT_VERSION, endpoint, subscriptions: [], vaults: [], rbac: [], notCovered: [] };
}

export function isAzureSnapshot(value: unknown): value is AzureEstateSnapshot {
  return !!value && typeof value === 'object' && (value as { nhiscanSnapshot?: unknown }).nhiscanSnapshot === SNAPSHOT_MARKER;
}

/** `/subscriptions/S/resourceGroups/RG/providers/...` → {subscriptionId, resourceGroup}. */
export function parseResourceId(id: string): { subscriptionId?: string; resourceGroup?: string } {
  const sub = /\/subscriptions\/([^/]+)/i.exec(id)?.[1];
  const rg = /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
  return { subscriptionId: sub, resourceGroup: rg };
}
