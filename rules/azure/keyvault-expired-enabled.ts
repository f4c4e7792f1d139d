import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { itemLabel, vaultItems } from './common.js';

const options = z.object({ graceDays: z.number().int().min(0).default(0) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-expired-enabled',
    title: 'Expired Key Vault secret or key still enabled',
    category: 'improper-offboarding',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: options,
    providers: ['azure'],
    description:
      "An item past its expiration date that is still enabled was neither rotated nor retired: its lifecycle has no owner. Key Vault still returns an expired secret's value to any caller allowed to read it (expiry is advisory for secrets), so the old value keeps working wherever it is used.",
    remediation:
      'Find who still reads it (Key Vault diagnostic logs), rotate to a new version with a fresh expiry, then disable the expired one (`az keyvault secret set-attributes --enabled false`) and delete it once nothing breaks.',
  },
  check(inventory, { graceDays }, { now }) {
    return vaultItems(inventory).flatMap((item): FindingDraft[] => {
      if (item.status !== 'expired' || !item.attributes.enabled || !item.expiresAt) return [];
      const overdue = daysSince(item.expiresAt, now);
      if (overdue < graceDays) return [];
      return [
        {
          resource: refOf(item),
          message: `${itemLabel(item)} expired ${overdue} days ago (${item.expiresAt.slice(0, 10)}) but is still enabled.`,
          evidence: { expiresAt: item.expiresAt, daysExpired: overdue },
        },
      ];
    });
  },
});
