/**
 * `import:FILE` for Azure RBAC exports, detected by content: the JSON `az role assignment list --all`
 * prints (flat objects with `roleDefinitionName`, `principalId`, `scope`), or a raw Resource Manager
 * list response (`{"value": [{"properties": {"roleDefinitionId", "principalId", "scope"}}]}`).
 * Assignments become an RBAC-only Azure snapshot, normalised like a live scan's. An export holds no
 * tenant id, so principals are keyed under tenant `unknown-tenant` unless the file names one.
 */
import type { CollectResult, Importer } from '../../src/plugin.js';
import { normaliseAzureSnapshot } from './normalise.js';
import { BUILTIN_ROLES } from './normalise-rbac.js';
import { emptySnapshot, parseResourceId, type ArmRoleAssignment, type ArmRoleDefinition, type RbacSnapshot } from './snapshot.js';

interface AzCliRoleAssignment {
  id: string;
  name?: string;
  principalId: string;
  principalName?: string;
  principalType?: string;
  roleDefinitionId: string;
  roleDefinitionName?: string;
  scope: string;
  condition?: string | null;
  createdOn?: string | null;
  description?: string | null;
}

function items(parsed: unknown): unknown[] | undefined {
  if (Array.isArray(parsed)) return parsed;
  const value = (parsed as { value?: unknown })?.value;
  return Array.isArray(value) ? value : undefined;
}

function isAzCliItem(x: unknown): x is AzCliRoleAssignment {
  const o = x as Partial<AzCliRoleAssignment>;
  return !!o && typeof o.principalId === 'string' && typeof o.roleDefinitionId === 'string' && typeof o.scope === 'string';
}

function isArmItem(x: unknown): x is ArmRoleAssignment {
  const p = (x as Partial<ArmRoleAssignment>)?.properties;
  return !!p && typeof p.principalId === 'string' && typeof p.roleDefinitionId === 'string' && typeof p.scope === 'string';
}

export function isRoleAssignmentList(parsed: unknown): boolean {
  const first = items(parsed)?.[0];
  return isAzCliItem(first) || isArmItem(first);
}

function toArm(a: AzCliRoleAssignment): ArmRoleAssignment {
  return {
    id: a.id,
    name: a.name ?? a.id.split('/').pop() ?? '',
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      scope: a.scope,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      ...(a.principalType ? { principalType: a.principalType } : {}),
      ...(a.condition ? { condition: a.condition } : {}),
      ...(a.createdOn ? { createdOn: a.createdOn } : {}),
    },
  };
}

/** The definitions an export implies: the name az printed, the permissions when the role is a known built-in. */
function definitionsFrom(list: AzCliRoleAssignment[]): ArmRoleDefinition[] {
  const byGuid = new Map<string, ArmRoleDefinition>();
  for (const a of list) {
    const guid = a.roleDefinitionId.split('/').pop()!.toLowerCase();
    if (byGuid.has(guid) || (!a.roleDefinitionName && !BUILTIN_ROLES[guid])) continue;
    const builtin = BUILTIN_ROLES[guid];
    byGuid.set(guid, {
      id: a.roleDefinitionId,
      name: guid,
      properties: {
        roleName: a.roleDefinitionName ?? builtin!.name,
        ...(builtin ? { type: 'BuiltInRole', permissions: [{ actions: builtin.actions, dataActions: builtin.dataActions }] } : {}),
      },
    });
  }
  return [...byGuid.values()];
}

export const azureRoleAssignmentsImporter: Importer = {
  id: 'azure-role-assignments',
  description: 'Azure RBAC role assignments: `az role assignment list --all` JSON or a Resource Manager {"value": [...]} list',
  detect({ parsed }) {
    return isRoleAssignmentList(parsed);
  },
  read({ path, parsed }, ctx): CollectResult {
    const all = items(parsed) ?? [];
    // Detection looks at the first entry only: each one is checked for the ids the normaliser keys on.
    const hasId = (x: unknown) => typeof (x as { id?: unknown }).id === 'string' && (x as { id: string }).id.length > 0;
    const azCli = all.filter((x) => isAzCliItem(x) && hasId(x)) as AzCliRoleAssignment[];
    const arm = [...(all.filter((x) => isArmItem(x) && hasId(x)) as ArmRoleAssignment[]), ...azCli.map(toArm)];
    const skipped = all.length - arm.length;
    const bySubscription = new Map<string, RbacSnapshot>();
    for (const a of arm) {
      const sub = parseResourceId(a.properties.scope).subscriptionId ?? parseResourceId(a.id).subscriptionId ?? 'tenant';
      const entry = bySubscription.get(sub) ?? { subscriptionId: sub, roleAssignments: [], roleDefinitions: [] };
      entry.roleAssignments.push(a);
      bySubscription.set(sub, entry);
    }
    const definitions = definitionsFrom(azCli);
    for (const entry of bySubscription.values()) entry.roleDefinitions = definitions;
    const snapshot = { ...emptySnapshot(), rbac: [...bySubscription.values()] };
    if (skipped)
      snapshot.notCovered.push({
        part: path,
        reason: `${skipped} entr${skipped === 1 ? 'y' : 'ies'} without id, principalId, roleDefinitionId and scope skipped`,
      });
    const { identities, credentials, notCovered } = normaliseAzureSnapshot(snapshot, { now: ctx.now, source: ctx.source.spec });
    // az names principals; keep the name it printed where the identity has only its object id.
    const names = new Map(
      azCli.filter((a) => typeof a.principalName === 'string' && a.principalName).map((a) => [a.principalId.toLowerCase(), a.principalName!]),
    );
    for (const i of identities) if (names.has(i.name.toLowerCase())) i.name = names.get(i.name.toLowerCase())!;
    return {
      identities,
      credentials,
      status: skipped ? 'partial' : 'ok',
      errors: snapshot.notCovered.map((n) => ({ part: n.part, message: n.reason })),
      notCovered,
      stats: { roleAssignments: arm.length, principals: identities.length },
    };
  },
};
