import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { isLiveManagedCredential } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  maxAgeDays: 90,
};
const options = lazySchema((z) => z.object({ maxAgeDays: z.number().int().positive().default(defaults.maxAgeDays) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'credential-not-rotated',
    title: 'Credential not rotated',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: options,
    defaultOptions: defaults,
    description:
      'A credential that has not been rotated for longer than the allowed age (default 90 days) gives anyone who copied it, from a laptop, a log, a CI cache or a former employee, a long window of valid access.',
    remediation:
      'Issue a new credential, move its consumers to it, then revoke the old one. Automate rotation where the provider supports it, and keep `maxAgeDays` in line with your policy.',
  },
  check(inventory, { maxAgeDays }, { now }) {
    return inventory.credentials.flatMap((credential): FindingDraft[] => {
      if (!isLiveManagedCredential(credential)) return [];
      const rotatedAt = credential.lastRotatedAt ?? credential.createdAt;
      if (!rotatedAt) return [];
      const age = daysSince(rotatedAt, now);
      if (age <= maxAgeDays) return [];
      return [
        {
          resource: refOf(credential),
          message: `${credential.kind} "${credential.name}" was last rotated ${age} days ago (${rotatedAt.slice(0, 10)}), over the ${maxAgeDays}-day limit.`,
          evidence: { lastRotatedAt: rotatedAt, ageDays: age, maxAgeDays },
        },
      ];
    });
  },
});
