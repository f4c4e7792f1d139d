import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { expiryCisControl, ITEM_KINDS, itemLabel, vaultItems } from './common.js';

const options = z.object({}).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-no-expiry',
    title: 'Key Vault secret or key never expires',
    category: 'long-lived-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    cis: ['CIS Azure 8.3.1', 'CIS Azure 8.3.2', 'CIS Azure 8.3.3', 'CIS Azure 8.3.4'],
    optionsSchema: options,
    providers: ['azure'],
    specialises: { rule: 'credential-long-lived', kinds: ITEM_KINDS },
    description:
      'Key Vault secrets and keys never expire unless an expiration date is set. Without one, a value that was copied once stays valid for as long as nobody notices, and nothing forces the rotation that an expiry date (and Event Grid "near expiry" events) would prompt.',
    remediation:
      'Set an expiration date on the current version (`az keyvault secret set-attributes --expires` / `az keyvault key set-attributes --expires`), and for keys add a rotation policy that sets `expiryTime` on new versions. Enforce it with the Azure Policy "Key Vault secrets/keys should have an expiration date".',
  },
  check(inventory) {
    return vaultItems(inventory).flatMap((item): FindingDraft[] => {
      if (item.status !== 'active' || item.expiresAt) return [];
      const cis = expiryCisControl(item);
      return [
        {
          resource: refOf(item),
          message: `${itemLabel(item)} is enabled and has no expiration date (${cis}).`,
          evidence: { expiresAt: null, cisControl: cis },
        },
      ];
    });
  },
});
