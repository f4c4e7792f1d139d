import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { vaults } from './common.js';

const options = z.object({}).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-purge-protection',
    title: 'Key Vault is not recoverable (purge protection off)',
    category: 'insecure-configuration',
    defaultSeverity: 'medium',
    owasp: ['NHI6'],
    cis: ['CIS Azure 8.3.5'],
    optionsSchema: options,
    providers: ['azure'],
    description:
      'Without purge protection, anyone holding `purge` (or a compromised principal that does) can permanently destroy the vault or its keys during the soft-delete window. Losing an encryption key this way makes the data it protects unrecoverable.',
    remediation:
      'Enable purge protection (`az keyvault update --enable-purge-protection true`); it cannot be turned off again, which is the point. Keep soft delete on with a retention that fits your recovery process.',
  },
  check(inventory) {
    return vaults(inventory).flatMap((vault): FindingDraft[] => {
      const a = vault.attributes;
      if (a.enablePurgeProtection && a.enableSoftDelete) return [];
      const missing = [!a.enableSoftDelete && 'soft delete', !a.enablePurgeProtection && 'purge protection'].filter(Boolean);
      return [
        {
          resource: refOf(vault),
          message: `Vault ${vault.name} has ${missing.join(' and ')} disabled (CIS Azure 8.3.5).`,
          evidence: { enableSoftDelete: a.enableSoftDelete, enablePurgeProtection: a.enablePurgeProtection },
        },
      ];
    });
  },
});
