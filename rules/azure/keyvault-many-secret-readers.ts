import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { canReadSecrets, permissionsByVault } from './access-policy.js';
import { KIND_PRINCIPAL, vaults } from './common.js';

const options = z.object({ maxSecretReaders: z.number().int().min(1).default(5) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-many-secret-readers',
    title: "Many principals can read a vault's secrets",
    category: 'excess-privilege',
    defaultSeverity: 'medium',
    owasp: ['NHI5'],
    optionsSchema: options,
    providers: ['azure'],
    description:
      'Access policies grant per vault, not per secret: every principal with secrets `get` can read every secret in it; under RBAC, so does every role with `getSecret` assigned at the vault, its resource group, subscription or above. A vault read by many principals (default more than 5) is a shared credential store, where one compromised workload exposes the secrets of all the others.',
    remediation:
      'Split the vault per application and environment, so each workload can read only its own secrets, or move to RBAC authorisation with secret-scoped role assignments.',
  },
  check(inventory, { maxSecretReaders }) {
    const readers = new Map<string, string[]>(); // lower-case vault resource id → principal object ids
    for (const principal of inventory.identities) {
      if (principal.provider !== 'azure' || principal.kind !== KIND_PRINCIPAL) continue;
      for (const [vault, categories] of permissionsByVault(principal)) {
        if (!canReadSecrets(categories.get('secrets'))) continue;
        const key = vault.toLowerCase();
        readers.set(key, [...(readers.get(key) ?? []), principal.name]);
      }
    }
    return vaults(inventory).flatMap((vault): FindingDraft[] => {
      // Under RBAC the readers are the principals whose roles (at the vault or above) include getSecret.
      const names = vault.attributes.enableRbacAuthorization
        ? (vault.attributes.rbacSecretReaders ?? [])
        : (readers.get(vault.attributes.resourceId.toLowerCase()) ?? []);
      if (names.length <= maxSecretReaders) return [];
      return [
        {
          resource: refOf(vault),
          message: `${names.length} principals can read every secret in vault ${vault.name} (limit ${maxSecretReaders}).`,
          evidence: { secretReaders: names.length, maxSecretReaders, principals: [...names].sort() },
        },
      ];
    });
  },
});
