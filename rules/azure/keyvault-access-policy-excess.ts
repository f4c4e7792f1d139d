import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { hasAll, permissionsByVault, type Category } from './access-policy.js';
import { KIND_PRINCIPAL } from './common.js';

const options = z
  .object({
    /** Also flag secrets get+list (enumerate and read every secret) on its own. */
    flagSecretGetList: z.boolean().default(true),
  })
  .strict();

const vaultName = (resourceId: string) => resourceId.split('/').pop() ?? resourceId;

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-access-policy-excess',
    title: 'Key Vault access policy grants too much',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    optionsSchema: options,
    providers: ['azure'],
    description:
      'An access policy is all-or-nothing per vault: a principal with every permission (or `all`) can read, replace and destroy every item; `purge` lets it erase items and their recovery copies for good; secrets `get`+`list` lets it enumerate and read every secret in the vault. Workloads almost always need `get` on named secrets only.',
    remediation:
      'Cut the policy to what the workload calls (usually secrets `get`, or keys `get`/`wrapKey`/`unwrapKey`), keep `purge` for a break-glass principal, or better switch the vault to RBAC authorisation and grant "Key Vault Secrets User" on the individual secrets it needs.',
  },
  check(inventory, { flagSecretGetList }) {
    const drafts: FindingDraft[] = [];
    for (const principal of inventory.identities) {
      if (principal.provider !== 'azure' || principal.kind !== KIND_PRINCIPAL) continue;
      for (const [vault, categories] of permissionsByVault(principal)) {
        const all = [...categories].filter(([category, perms]) => hasAll(category, perms)).map(([c]) => c);
        const purge = [...categories].filter(([c, perms]) => !all.includes(c) && perms.has('purge')).map(([c]) => c);
        const secrets = categories.get('secrets');
        const getList = flagSecretGetList && !all.includes('secrets' as Category) && !!secrets?.has('get') && secrets.has('list');
        if (all.length === 0 && purge.length === 0 && !getList) continue;
        const reasons = [
          ...all.map((c) => `all ${c} permissions`),
          ...purge.map((c) => `${c} purge`),
          ...(getList ? ['secrets get+list (can read every secret)'] : []),
        ];
        drafts.push({
          resource: refOf(principal),
          key: vault.toLowerCase(),
          // Destroy-capable grants are high; read-everything alone is medium.
          severity: all.length || purge.length ? 'high' : 'medium',
          message: `Principal ${principal.name} has ${reasons.join(', ')} on vault ${vaultName(vault)} through an access policy.`,
          evidence: {
            vault,
            allPermissions: all,
            purge,
            secretGetList: getList,
            permissions: Object.fromEntries([...categories].map(([c, p]) => [c, [...p].sort()])),
          },
        });
      }
    }
    return drafts;
  },
});
