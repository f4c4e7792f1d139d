import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysUntil } from '../../src/time.js';
import { githubCredentials, KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  maxLifetimeDays: 366,
};
const options = lazySchema((z) => z.object({ maxLifetimeDays: z.number().int().positive().default(defaults.maxLifetimeDays) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-fine-grained-pat-long-lived',
    title: 'Fine-grained token without expiry or expiring beyond a year',
    category: 'long-lived-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    specialises: { rule: 'credential-long-lived', kinds: [KINDS.finegrainedPat] },
    description:
      'A fine-grained personal access token with no expiry, or one more than 366 days (default) away, keeps working long after the automation or the person it was made for is gone. Organizations can require a maximum lifetime; this token escaped it.',
    remediation:
      'Ask the owner to regenerate the token with an expiry within policy, then revoke this grant (Organization settings → Personal access tokens). Set a maximum token lifetime policy for the organization. Prefer a GitHub App for automation.',
  },
  check(inventory, { maxLifetimeDays }, { now }) {
    return githubCredentials(inventory, [KINDS.finegrainedPat]).flatMap((c): FindingDraft[] => {
      if (c.status !== 'active') return [];
      if (!c.expiresAt)
        return [{ resource: refOf(c), message: `Fine-grained token "${c.name}" never expires.`, key: 'no-expiry', evidence: { expiresAt: null } }];
      const remaining = daysUntil(c.expiresAt, now);
      if (remaining <= maxLifetimeDays) return [];
      return [
        {
          resource: refOf(c),
          message: `Fine-grained token "${c.name}" expires in ${remaining} days (${c.expiresAt.slice(0, 10)}), beyond the ${maxLifetimeDays}-day limit.`,
          key: 'far-expiry',
          evidence: { expiresAt: c.expiresAt, daysRemaining: remaining, maxLifetimeDays },
        },
      ];
    });
  },
});
