/**
 * Turns the SDK's deserialised models back into Resource Manager's wire shape, so a snapshot looks
 * like Microsoft's REST examples whether it came from the SDK or from `az rest`.
 *
 * What the SDK changes (arm-keyvault 5.0.0): secret attributes become `Date`s under readable names
 * (`expires`, `notBefore`); key `properties` are flattened onto the key object with attribute times
 * left as Unix seconds but renamed; `systemData` times become `Date`s. Vault properties and access
 * policies keep their wire names. A secret `value` is dropped whatever happens.
 */
import type { Key, Secret, Vault } from '@azure/arm-keyvault';
import type { Subscription } from '@azure/arm-resources-subscriptions';
import type { RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { ArmItemAttributes, ArmKey, ArmRoleAssignment, ArmRoleDefinition, ArmSecret, ArmSubscription, ArmVault } from './snapshot.js';

function seconds(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (typeof value === 'number') return value;
  const parsed = Date.parse(String(value));
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}

/** Replaces Dates by ISO strings and drops undefined members, recursively (plain JSON out). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function subscriptionToArm(s: Subscription): ArmSubscription {
  return plain(
    compact({
      id: s.id,
      subscriptionId: s.subscriptionId ?? s.id?.split('/').pop() ?? '',
      displayName: s.displayName,
      tenantId: s.tenantId,
      state: s.state,
      tags: s.tags,
    }),
  );
}

export function vaultToArm(v: Vault): ArmVault {
  return plain({
    id: v.id ?? '',
    name: v.name ?? '',
    type: v.type,
    location: v.location,
    tags: v.tags ?? {},
    systemData: v.systemData,
    properties: v.properties ?? {},
  }) as ArmVault;
}

interface SdkAttributes {
  enabled?: boolean;
  notBefore?: unknown;
  expires?: unknown;
  created?: unknown;
  updated?: unknown;
  recoveryLevel?: string;
  exportable?: boolean;
}

function attributesToArm(a: SdkAttributes | undefined): ArmItemAttributes | undefined {
  if (!a) return undefined;
  return compact({
    enabled: a.enabled,
    nbf: seconds(a.notBefore),
    exp: seconds(a.expires),
    created: seconds(a.created),
    updated: seconds(a.updated),
    recoveryLevel: a.recoveryLevel,
    exportable: a.exportable,
  });
}

export function secretToArm(s: Secret): ArmSecret {
  const p = s.properties ?? {};
  // Built field by field rather than through a JSON round trip: this runs once per secret (tens of thousands).
  return compact({
    id: s.id ?? '',
    name: s.name ?? '',
    type: s.type,
    location: s.location,
    tags: s.tags ? { ...s.tags } : undefined,
    // `value` deliberately not copied: the management plane does not return it, and it must never be stored.
    properties: compact({
      contentType: p.contentType,
      attributes: attributesToArm(p.attributes as SdkAttributes | undefined),
      secretUri: p.secretUri,
      secretUriWithVersion: p.secretUriWithVersion,
    }),
  }) as ArmSecret;
}

export function keyToArm(k: Key): ArmKey {
  return plain({
    id: k.id ?? '',
    name: k.name ?? '',
    type: k.type,
    location: k.location,
    tags: k.tags,
    properties: compact({
      attributes: attributesToArm(k.attributes as SdkAttributes | undefined),
      kty: k.kty,
      keyOps: k.keyOps,
      keySize: k.keySize,
      curveName: k.curveName,
      keyUri: k.keyUri,
      keyUriWithVersion: k.keyUriWithVersion,
      rotationPolicy: k.rotationPolicy,
    }),
  }) as ArmKey;
}

/** SDK role assignment (flattened, Dates) → ARM wire shape (`properties`, ISO strings). */
export function roleAssignmentToArm(a: RoleAssignment): ArmRoleAssignment {
  return plain({
    id: a.id ?? '',
    name: a.name ?? '',
    type: a.type,
    properties: compact({
      scope: a.scope ?? '',
      roleDefinitionId: a.roleDefinitionId ?? '',
      principalId: a.principalId ?? '',
      principalType: a.principalType,
      description: a.description,
      condition: a.condition,
      createdOn: a.createdOn,
      updatedOn: a.updatedOn,
      createdBy: a.createdBy,
    }),
  }) as ArmRoleAssignment;
}

export function roleDefinitionToArm(d: RoleDefinition): ArmRoleDefinition {
  return plain({
    id: d.id ?? '',
    name: d.name ?? '',
    type: d.type,
    properties: compact({
      roleName: d.roleName ?? d.name ?? '',
      type: d.roleType,
      description: d.description,
      permissions: d.permissions,
      assignableScopes: d.assignableScopes,
    }),
  }) as ArmRoleDefinition;
}
