import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { githubCredentials, SECRET_KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  maxAgeDays: 365,
};
const options = lazySchema((z) => z.object({ maxAgeDays: z.number().int().positive().default(defaults.maxAgeDays) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-actions-secret-not-rotated',
    title: 'Actions secret not updated for a year',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    specialises: { rule: 'credential-not-rotated', kinds: SECRET_KINDS },
    description:
      'An Actions, Dependabot or Codespaces secret whose value has not been set again for 365 days (default) holds a credential that has not been rotated for as long; every workflow run and fork build that could read it in that time widened its exposure.',
    remediation:
      'Rotate the credential at its issuer, update the secret with the new value, then revoke the old one. Better: replace cloud credentials with OpenID Connect federation so no long-lived secret is stored.',
  },
  check(inventory, { maxAgeDays }, { now }) {
    return githubCredentials(inventory, SECRET_KINDS).flatMap((c): FindingDraft[] => {
      const rotatedAt = c.lastRotatedAt ?? c.createdAt;
      if (c.status !== 'active' || !rotatedAt) return [];
      const age = daysSince(rotatedAt, now);
      if (age <= maxAgeDays) return [];
      const a = c.attributes;
      return [
        {
          resource: refOf(c),
          message: `${a.level} ${a.store} secret "${c.name}" was last set ${age} days ago (${rotatedAt.slice(0, 10)}), over the ${maxAgeDays}-day limit.`,
          evidence: { lastUpdatedAt: rotatedAt, ageDays: age, maxAgeDays, level: a.level, store: a.store },
        },
      ];
    });
  },
});
