import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysUntil } from '../../src/time.js';
import { ITEM_KINDS, itemLabel, KIND_KEY, vaultItems } from './common.js';

const options = z
  .object({
    maxSecretDays: z.number().int().positive().default(365),
    maxKeyDays: z.number().int().positive().default(730),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-expiry-too-far',
    title: 'Key Vault secret or key expires too far in the future',
    category: 'long-lived-credential',
    defaultSeverity: 'low',
    owasp: ['NHI7'],
    optionsSchema: options,
    providers: ['azure'],
    specialises: { rule: 'credential-long-lived', kinds: ITEM_KINDS },
    description:
      'An expiration date years away satisfies the letter of "set an expiry" but not its purpose: the value stays usable long after it should have been rotated. Secrets are judged against 365 days and keys against 730 by default.',
    remediation:
      'Shorten the expiry to your rotation period and rotate before it: new secret version with a nearer `--expires`, or a key rotation policy whose `expiryTime` matches the rotation interval.',
  },
  check(inventory, { maxSecretDays, maxKeyDays }, { now }) {
    return vaultItems(inventory).flatMap((item): FindingDraft[] => {
      if (item.status !== 'active' || !item.expiresAt) return [];
      const limit = item.kind === KIND_KEY ? maxKeyDays : maxSecretDays;
      const remaining = daysUntil(item.expiresAt, now);
      if (remaining <= limit) return [];
      return [
        {
          resource: refOf(item),
          message: `${itemLabel(item)} expires in ${remaining} days (${item.expiresAt.slice(0, 10)}), beyond the ${limit}-day limit.`,
          evidence: { expiresAt: item.expiresAt, daysRemaining: remaining, maxDays: limit },
        },
      ];
    });
  },
});
