import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { itemLabel, KIND_KEY, KIND_PRINCIPAL, KIND_SECRET, KIND_VAULT, vaultItems, vaults } from './common.js';

const options = z
  .object({
    /** A secret or key without its own owner tag counts as owned when its vault has an owner. */
    inheritVaultOwner: z.boolean().default(true),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-missing-owner',
    title: 'Key Vault, secret or key without an owner',
    category: 'missing-owner',
    defaultSeverity: 'low',
    owasp: ['NHI1'],
    optionsSchema: options,
    providers: ['azure'],
    // Access-policy principals are taken over too: their owners live in Entra ID, which this scan
    // does not read, so "no owner" there would be a guess rather than a finding.
    specialises: { rule: 'missing-owner', kinds: [KIND_VAULT, KIND_SECRET, KIND_KEY, KIND_PRINCIPAL] },
    description:
      "A vault, secret or key with no owner tag (configured owner tag keys, default `owner`, `Owner`, `team`, `contact`) has nobody to ask when it must be rotated, when it expires, or whether it can be deleted. By default a secret or key inherits its vault's owner.",
    remediation:
      "Tag the vault with its accountable team (`az keyvault update --set tags.owner=team@example.com`), and tag items whose owner differs from the vault's.",
  },
  check(inventory, { inheritVaultOwner }) {
    const drafts: FindingDraft[] = [];
    const vaultList = vaults(inventory);
    const byId = new Map(vaultList.map((v) => [v.id, v]));
    for (const vault of vaultList) {
      if (vault.owner) continue;
      drafts.push({ resource: refOf(vault), message: `Vault ${vault.name} has no owner tag.` });
    }
    for (const item of vaultItems(inventory)) {
      if (item.owner || item.status !== 'active') continue;
      const vault = byId.get(item.attributes.vaultId);
      if (inheritVaultOwner && vault?.owner) continue;
      drafts.push({
        resource: refOf(item),
        message: inheritVaultOwner ? `${itemLabel(item)} has no owner tag and neither has its vault.` : `${itemLabel(item)} has no owner tag.`,
      });
    }
    return drafts;
  },
});
