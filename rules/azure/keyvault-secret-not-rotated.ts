import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { KIND_SECRET, vaultItems } from './common.js';

const options = z.object({ maxAgeDays: z.number().int().positive().default(365) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-secret-not-rotated',
    title: 'Key Vault secret not rotated',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: options,
    providers: ['azure'],
    specialises: { rule: 'credential-not-rotated', kinds: [KIND_SECRET] },
    description:
      'The current version of the secret was set longer ago than the allowed age (default 365 days). The date judged is the creation of the current version, i.e. when the value last changed; edits to tags or attributes do not count as rotation.',
    remediation:
      'Generate a new value at the issuing system, store it as a new version (`az keyvault secret set`), move consumers to it, then revoke the old value at the issuer. Automate with a rotation function triggered by the SecretNearExpiry Event Grid event.',
  },
  check(inventory, { maxAgeDays }, { now }) {
    return vaultItems(inventory).flatMap((item): FindingDraft[] => {
      if (item.kind !== KIND_SECRET || item.status !== 'active') return [];
      const rotatedAt = item.lastRotatedAt ?? item.createdAt;
      if (!rotatedAt) return [];
      const age = daysSince(rotatedAt, now);
      if (age <= maxAgeDays) return [];
      return [
        {
          resource: refOf(item),
          message: `Secret "${item.name}" has had the same value for ${age} days (current version set ${rotatedAt.slice(0, 10)}), over the ${maxAgeDays}-day limit.`,
          evidence: { lastRotatedAt: rotatedAt, ageDays: age, maxAgeDays },
        },
      ];
    });
  },
});
