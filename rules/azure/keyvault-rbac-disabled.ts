import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { vaults } from './common.js';

const options = z.object({}).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-rbac-disabled',
    title: 'Key Vault uses access policies instead of RBAC',
    category: 'insecure-configuration',
    defaultSeverity: 'low',
    owasp: ['NHI5'],
    cis: ['CIS Azure 8.3.6'],
    optionsSchema: options,
    providers: ['azure'],
    description:
      'The legacy access-policy model grants per vault only, cannot be scoped to one secret, is editable by anyone with Contributor on the vault (who can then grant themselves data access), and is invisible to Privileged Identity Management and Azure RBAC reviews.',
    remediation:
      'Recreate the effective access as Azure role assignments ("Key Vault Secrets User", "Key Vault Crypto User"...) scoped to the vault or to single items, then set `enableRbacAuthorization` to true.',
  },
  check(inventory) {
    return vaults(inventory).flatMap((vault): FindingDraft[] => {
      const a = vault.attributes;
      if (a.enableRbacAuthorization) return [];
      return [
        {
          resource: refOf(vault),
          message: `Vault ${vault.name} uses access policies (${a.accessPolicies.length}) rather than RBAC authorisation (CIS Azure 8.3.6).`,
          evidence: { enableRbacAuthorization: false, accessPolicies: a.accessPolicies.length },
        },
      ];
    });
  },
});
