import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { isLiveManagedCredential } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  maxIdleDays: 45,
};
const options = lazySchema((z) => z.object({ maxIdleDays: z.number().int().positive().default(defaults.maxIdleDays) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'credential-unused',
    title: 'Credential unused',
    category: 'unused-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: options,
    defaultOptions: defaults,
    description:
      'An active credential that nobody has used for a long time (default 45 days), or that was never used since it was created that long ago, is pure risk: it serves no workload but still opens the door. Orphaned credentials are the typical leftover of improper offboarding.',
    remediation:
      'Confirm with the owner that nothing depends on it, disable it, and delete it after a grace period. If it is needed only occasionally, replace it with short-lived credentials issued on demand.',
  },
  check(inventory, { maxIdleDays }, { now }) {
    return inventory.credentials.flatMap((credential): FindingDraft[] => {
      if (!isLiveManagedCredential(credential)) return [];
      // Only judge credentials whose provider reports usage; otherwise "never used" would be a guess.
      if (credential.attributes.usageTracked === false) return [];
      const reference = credential.lastUsedAt ?? credential.createdAt;
      if (!reference) return [];
      const idle = daysSince(reference, now);
      if (idle <= maxIdleDays) return [];
      const message = credential.lastUsedAt
        ? `${credential.kind} "${credential.name}" was last used ${idle} days ago (${credential.lastUsedAt.slice(0, 10)}), over the ${maxIdleDays}-day limit.`
        : `${credential.kind} "${credential.name}" has never been used since it was created ${idle} days ago (${reference.slice(0, 10)}).`;
      return [{ resource: refOf(credential), message, evidence: { lastUsedAt: credential.lastUsedAt ?? null, idleDays: idle, maxIdleDays } }];
    });
  },
});
