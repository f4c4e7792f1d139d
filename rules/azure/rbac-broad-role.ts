import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { azurePrincipals } from './common.js';

const options = z
  .object({
    /** Roles judged broad; matched by name, case-insensitively. */
    roles: z.array(z.string()).default(['Owner', 'User Access Administrator', 'Role Based Access Control Administrator']),
    /** Principal types judged: workload identities by default. */
    principalTypes: z.array(z.string()).default(['ServicePrincipal']),
  })
  .strict();

const BROAD_SCOPES = new Set(['root', 'managementGroup', 'subscription']);

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-rbac-broad-role',
    title: 'Service principal holds Owner or User Access Administrator on a subscription',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    providers: ['azure'],
    optionsSchema: options,
    description:
      'Owner, User Access Administrator and Role Based Access Control Administrator can assign any role, so a service principal holding one at subscription scope (or above: a management group, the root) controls everything in it and can grant itself or anyone data access to every vault and storage account. A leaked secret of that principal is a subscription takeover.',
    remediation:
      'Assign the narrowest role that does the job (Contributor on a resource group, a Key Vault data role on one vault), or constrain role assignment with an ABAC condition (Role Based Access Control Administrator with "allow assigning only these roles"). Prefer a managed identity or a federated credential for the principal.',
  },
  check(inventory, { roles, principalTypes }) {
    const wanted = new Set(roles.map((r) => r.toLowerCase()));
    const types = new Set(principalTypes.map((t) => t.toLowerCase()));
    return azurePrincipals(inventory).flatMap((principal): FindingDraft[] => {
      const attrs = principal.attributes;
      if (!types.has(attrs.principalType.toLowerCase())) return [];
      return (attrs.roleAssignments ?? [])
        .filter((a) => wanted.has(a.roleName.toLowerCase()) && BROAD_SCOPES.has(a.scopeLevel))
        .map((a) => ({
          resource: refOf(principal),
          key: a.id.toLowerCase(),
          message: `${attrs.principalType} ${attrs.objectId} holds ${a.roleName} at ${a.scopeLevel} scope ${a.scope}${a.condition ? ' (with a condition)' : ''}: it can grant itself any access there.`,
          ...(a.condition ? { severity: 'medium' as const } : {}),
          evidence: { role: a.roleName, scope: a.scope, scopeLevel: a.scopeLevel, roleAssignmentId: a.id, principalType: attrs.principalType },
        }));
    });
  },
});
