/**
 * The Azure snapshot as an import: vaults, secrets and keys checked entry by entry
 * (src/import-check.ts). A vault, secret or key that does not fit the ARM wire shape is skipped and
 * named; a protection setting of the wrong type is read as off (the riskier reading).
 */
import { z } from 'zod';
import { ImportCheck } from '../../src/import-check.js';
import type { AzureEstateSnapshot, RbacSnapshot, VaultSnapshot } from './snapshot.js';

const str = z.string();
const tags = z.record(str, str).nullish();
const attributes = z
  .looseObject({
    enabled: z.boolean().optional(),
    nbf: z.number().optional(),
    exp: z.number().optional(),
    created: z.number().optional(),
    updated: z.number().optional(),
  })
  .optional();
const permissionList = z.array(str).nullish();
const permissions = z.looseObject({ keys: permissionList, secrets: permissionList, certificates: permissionList, storage: permissionList });
const vault = z.looseObject({
  id: str.min(1),
  name: str.min(1),
  tags,
  properties: z.looseObject({
    accessPolicies: z.array(z.looseObject({ tenantId: str, objectId: str, permissions })).optional(),
    enableSoftDelete: z.boolean().optional(),
    enablePurgeProtection: z.boolean().optional(),
    enableRbacAuthorization: z.boolean().optional(),
    publicNetworkAccess: str.optional(),
    networkAcls: z.looseObject({ defaultAction: str.optional() }).nullish(),
  }),
});
// A rotation policy's actions are judged by type and trigger: they must be what the rules read.
const lifetimeAction = z.looseObject({
  action: z.looseObject({ type: str.optional() }).nullish(),
  trigger: z.looseObject({ timeAfterCreate: str.nullish(), timeBeforeExpiry: str.nullish() }).nullish(),
});
const rotationPolicy = z
  .looseObject({ lifetimeActions: z.array(lifetimeAction).nullish(), attributes: z.looseObject({ expiryTime: str.nullish() }).nullish() })
  .nullish();
const item = z.looseObject({ id: str.min(1), name: str.min(1), tags, properties: z.looseObject({ attributes, rotationPolicy }) });
const key = z.looseObject({ key: item, detailsCollected: z.boolean().optional(), versions: z.array(item).optional() });
const subscription = z.looseObject({ subscriptionId: str.min(1), displayName: str.optional(), tenantId: str.optional(), tags });
const actions = z.array(str).optional();
const roleDefinition = z.looseObject({
  id: str.min(1),
  properties: z.looseObject({
    roleName: str,
    permissions: z.array(z.looseObject({ actions, notActions: actions, dataActions: actions, notDataActions: actions })).optional(),
  }),
});
const roleAssignment = z.looseObject({
  id: str.min(1),
  properties: z.looseObject({ scope: str, roleDefinitionId: str, principalId: str, principalType: str.optional(), condition: str.nullish() }),
});

const RISKIER_VAULT = {
  'properties.enableSoftDelete': false,
  'properties.enablePurgeProtection': false,
  'properties.publicNetworkAccess': 'Enabled',
  'properties.networkAcls.defaultAction': 'Allow',
};
/** Enabled, and no expiry: what the rotation and lifetime rules judge hardest. */
const RISKIER_ITEM = { 'properties.attributes.enabled': true, 'properties.attributes.exp': undefined };
const RISKIER_KEY = { 'key.properties.attributes.enabled': true, 'key.properties.attributes.exp': undefined };

function checkVault(check: ImportCheck, entry: unknown, at: string): VaultSnapshot | undefined {
  if (!entry || typeof entry !== 'object') {
    check.one(entry, z.object({}), at); // notes it
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const checkedVault = check.one(e.vault, vault, `${at}.vault`, RISKIER_VAULT);
  if (!checkedVault) return undefined;
  // null means "the list call failed" (said in the snapshot's notCovered): kept as null.
  return {
    ...e,
    vault: checkedVault,
    secrets: e.secrets === null ? null : check.entries(e.secrets, item, `${at}.secrets`, RISKIER_ITEM),
    keys: e.keys === null ? null : check.entries(e.keys, key, `${at}.keys`, RISKIER_KEY),
  } as VaultSnapshot;
}

function checkRbac(check: ImportCheck, entry: { subscriptionId: string }, at: string): RbacSnapshot {
  const e = entry as Record<string, unknown>;
  return {
    ...e,
    subscriptionId: entry.subscriptionId,
    roleAssignments: check.entries(e.roleAssignments, roleAssignment, `${at}.roleAssignments`) as unknown as RbacSnapshot['roleAssignments'],
    roleDefinitions: check.entries(e.roleDefinitions, roleDefinition, `${at}.roleDefinitions`) as unknown as RbacSnapshot['roleDefinitions'],
  } as RbacSnapshot;
}

export function checkAzureSnapshot(
  parsed: AzureEstateSnapshot,
  file: string,
): { snapshot: AzureEstateSnapshot; notCovered: { part: string; reason: string }[] } {
  const check = new ImportCheck(file);
  const raw = parsed as unknown as Record<string, unknown>;
  const vaults: VaultSnapshot[] = [];
  if (!Array.isArray(raw.vaults)) check.note('$.vaults', 'expected a list of vaults; none read');
  else
    raw.vaults.forEach((entry, i) => {
      const checked = checkVault(check, entry, `$.vaults[${i}]`);
      if (checked) vaults.push(checked);
    });
  const snapshot: AzureEstateSnapshot = {
    ...parsed,
    subscriptions: check.entries(raw.subscriptions, subscription, '$.subscriptions') as AzureEstateSnapshot['subscriptions'],
    vaults,
    ...(raw.rbac === undefined
      ? {}
      : { rbac: check.entries(raw.rbac, z.looseObject({ subscriptionId: str.min(1) }), '$.rbac').map((r, i) => checkRbac(check, r, `$.rbac[${i}]`)) }),
    notCovered: check.entries(raw.notCovered, z.object({ part: str, reason: str }), '$.notCovered'),
  };
  return { snapshot, notCovered: check.notCovered };
}
