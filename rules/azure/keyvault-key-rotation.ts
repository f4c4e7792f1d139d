import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { isKeyVaultKey } from '../../src/model/azure.js';
import { KIND_KEY, vaultItems } from './common.js';

const options = z.object({ maxRotationDays: z.number().int().positive().default(730) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'azure-keyvault-key-rotation',
    title: 'Key Vault key without automatic rotation',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    cis: ['CIS Azure 8.3.9'],
    optionsSchema: options,
    providers: ['azure'],
    specialises: { rule: 'credential-not-rotated', kinds: [KIND_KEY] },
    description:
      'A key with no rotation policy (no `rotate` lifetime action) is rotated only if someone remembers, and one whose policy rotates less often than every 730 days (default) keeps the same key material for years. Either way the amount of data protected by one key version, and the damage if it leaks, keeps growing.',
    remediation:
      'Add a rotation policy with a `rotate` action (`az keyvault key rotation-policy update --value policy.json`), e.g. `timeAfterCreate: P1Y` with `expiryTime: P2Y`, and make consumers use the versionless key URI so they follow rotations.',
  },
  check(inventory, { maxRotationDays }) {
    return vaultItems(inventory).flatMap((item): FindingDraft[] => {
      if (!isKeyVaultKey(item) || item.status !== 'active') return [];
      const a = item.attributes;
      if (a.rotationPolicyKnown === false) return []; // details unreadable: unknown is not "absent"
      if (!a.rotationAutomatic) {
        return [
          {
            resource: refOf(item),
            message: `Key "${item.name}" has no automatic rotation policy (CIS Azure 8.3.9).`,
            key: 'no-rotation-policy',
            evidence: { rotationPolicy: a.rotationPolicy ?? null },
          },
        ];
      }
      if (a.rotationIntervalDays !== undefined && a.rotationIntervalDays > maxRotationDays) {
        return [
          {
            resource: refOf(item),
            message: `Key "${item.name}" rotates only every ${Math.round(a.rotationIntervalDays)} days, beyond the ${maxRotationDays}-day limit.`,
            key: 'rotation-too-slow',
            evidence: { rotationIntervalDays: Math.round(a.rotationIntervalDays), maxRotationDays },
          },
        ];
      }
      return [];
    });
  },
});
