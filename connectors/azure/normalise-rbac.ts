/**
 * Azure RBAC in the inventory: each role assignment becomes a grant of its principal (an
 * `azure-principal` identity, created when no access policy named it), with the role's name and
 * actions resolved through the subscription's role definitions; vaults that authorise with RBAC learn
 * which principals can read their secret values. Pure, like normalise.ts.
 */
import type { Grant } from '../../src/model/index.js';
import type { AzurePrincipal, AzurePrincipalAttributes, AzureRoleAssignmentFact, KeyVault } from '../../src/model/azure.js';
import type { ArmRoleAssignment, ArmRoleDefinition, AzureEstateSnapshot } from './snapshot.js';

/** Built-in roles by their fixed GUIDs, for assignments whose definition was not listed. */
export const BUILTIN_ROLES: Record<string, { name: string; actions: string[]; dataActions: string[] }> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': { name: 'Owner', actions: ['*'], dataActions: [] },
  'b24988ac-6180-42a0-ab88-20f7382dd24c': { name: 'Contributor', actions: ['*'], dataActions: [] },
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': { name: 'Reader', actions: ['*/read'], dataActions: [] },
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': { name: 'User Access Administrator', actions: ['*/read', 'Microsoft.Authorization/*'], dataActions: [] },
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': {
    name: 'Role Based Access Control Administrator',
    actions: ['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete', '*/read'],
    dataActions: [],
  },
  '00482a5a-887f-4fb3-b363-3b7fe8e74483': {
    name: 'Key Vault Administrator',
    actions: ['Microsoft.KeyVault/*/read'],
    dataActions: ['Microsoft.KeyVault/vaults/*'],
  },
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': {
    name: 'Key Vault Secrets Officer',
    actions: ['Microsoft.KeyVault/*/read'],
    dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
  },
  '4633458b-17de-408a-b874-0445c86b69e6': {
    name: 'Key Vault Secrets User',
    actions: [],
    dataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
  },
  '21090545-7ca7-4776-b22c-e363652d74d2': {
    name: 'Key Vault Reader',
    actions: ['Microsoft.KeyVault/*/read'],
    dataActions: ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'],
  },
};

const guidOf = (id: string) => id.split('/').pop()!.toLowerCase();

export function scopeLevel(scope: string): AzureRoleAssignmentFact['scopeLevel'] {
  const s = scope.toLowerCase().replace(/\/+$/, '');
  if (s === '' || s === '/') return 'root';
  if (s.includes('/providers/microsoft.management/managementgroups/') && !s.includes('/subscriptions/')) return 'managementGroup';
  if (/^\/subscriptions\/[^/]+$/.test(s)) return 'subscription';
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) return 'resourceGroup';
  return 'resource';
}

/** Coarse level: what can change access is admin, what can change resources write, the rest read. */
function levelOf(actions: string[], dataActions: string[]): Grant['level'] {
  const all = actions.map((a) => a.toLowerCase());
  if (all.some((a) => a === '*' || a.startsWith('microsoft.authorization/*') || a === 'microsoft.authorization/roleassignments/write')) {
    return all.includes('*') && !all.some((a) => a.startsWith('microsoft.authorization')) ? 'write' : 'admin';
  }
  if (all.some((a) => !a.endsWith('/read')) || dataActions.some((a) => !/\/read$|readmetadata|getsecret|getkey/i.test(a))) return 'write';
  return 'read';
}

/** Whether data actions include reading secret values (`getSecret`), directly or by wildcard. */
export function canReadSecretValues(dataActions: string[]): boolean {
  return dataActions.some((a) =>
    /^(\*|microsoft\.keyvault\/\*|microsoft\.keyvault\/vaults\/\*|microsoft\.keyvault\/vaults\/secrets\/\*|microsoft\.keyvault\/vaults\/secrets\/getsecret\/action)$/i.test(
      a,
    ),
  );
}

function factOf(a: ArmRoleAssignment, definitions: Map<string, ArmRoleDefinition>): AzureRoleAssignmentFact {
  const guid = guidOf(a.properties.roleDefinitionId);
  const def = definitions.get(guid);
  const builtin = BUILTIN_ROLES[guid];
  const perms = def?.properties.permissions ?? [];
  return {
    id: a.id,
    scope: a.properties.scope,
    scopeLevel: scopeLevel(a.properties.scope),
    roleName: def?.properties.roleName ?? builtin?.name ?? guid,
    roleDefinitionId: a.properties.roleDefinitionId,
    ...(def?.properties.type ? { roleType: def.properties.type } : {}),
    actions: def ? perms.flatMap((p) => p.actions ?? []) : (builtin?.actions ?? []),
    dataActions: def ? perms.flatMap((p) => p.dataActions ?? []) : (builtin?.dataActions ?? []),
    ...(a.properties.condition ? { condition: a.properties.condition } : {}),
    ...(a.properties.createdOn ? { createdOn: a.properties.createdOn } : {}),
  };
}

export interface RbacTarget {
  /** Gets or creates the principal identity (shared with the access-policy principals). */
  principal(tenantId: string, objectId: string): AzurePrincipal;
  vaults: KeyVault[];
}

/** Applies every subscription's role assignments; returns the subscriptions whose RBAC was read. */
export function applyRbac(snapshot: AzureEstateSnapshot, target: RbacTarget): Set<string> {
  const covered = new Set<string>();
  const seen = new Set<string>();
  const tenantOf = new Map(snapshot.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s.tenantId]));
  const readers = new Map<string, { scope: string; objectId: string }[]>(); // not yet matched to vaults
  for (const rbac of snapshot.rbac ?? []) {
    covered.add(rbac.subscriptionId.toLowerCase());
    const definitions = new Map(rbac.roleDefinitions.map((d) => [guidOf(d.id), d]));
    const tenantId = tenantOf.get(rbac.subscriptionId.toLowerCase()) ?? target.vaults[0]?.attributes.tenantId ?? 'unknown-tenant';
    for (const a of rbac.roleAssignments) {
      if (!a?.properties?.principalId || seen.has(a.id.toLowerCase())) continue; // inherited assignments repeat per subscription
      seen.add(a.id.toLowerCase());
      const fact = factOf(a, definitions);
      const principal = target.principal(tenantId, a.properties.principalId);
      const attrs: AzurePrincipalAttributes = principal.attributes;
      if (a.properties.principalType) attrs.principalType = a.properties.principalType;
      attrs.roleAssignments = [...(attrs.roleAssignments ?? []), fact];
      principal.grants.push({
        resource: fact.scope,
        actions: [...fact.actions, ...fact.dataActions],
        effect: 'allow',
        via: `role-assignment:${fact.roleName}`,
        level: levelOf(fact.actions, fact.dataActions),
        ...(fact.condition ? { conditions: fact.condition } : {}),
      });
      // Assignments above the subscription (root, management group) apply to everything in it.
      const scope = fact.scopeLevel === 'root' || fact.scopeLevel === 'managementGroup' ? '' : fact.scope.toLowerCase().replace(/\/+$/, '');
      if (canReadSecretValues(fact.dataActions))
        readers.set(rbac.subscriptionId, [...(readers.get(rbac.subscriptionId) ?? []), { scope, objectId: a.properties.principalId }]);
    }
  }
  for (const vault of target.vaults) {
    const sub = vault.attributes.subscriptionId?.toLowerCase();
    vault.attributes.rbacCollected = !!sub && covered.has(sub);
    if (!vault.attributes.enableRbacAuthorization || !vault.attributes.rbacCollected) continue;
    const id = vault.attributes.resourceId.toLowerCase();
    const all = [...readers.entries()].filter(([s]) => s.toLowerCase() === sub).flatMap(([, r]) => r);
    vault.attributes.rbacSecretReaders = [
      ...new Set(all.filter((r) => r.scope === '' || id === r.scope || id.startsWith(`${r.scope}/`)).map((r) => r.objectId)),
    ];
  }
  return covered;
}
