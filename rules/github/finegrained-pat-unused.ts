import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { githubCredentials, KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  maxIdleDays: 90,
};
const options = lazySchema((z) => z.object({ maxIdleDays: z.number().int().positive().default(defaults.maxIdleDays) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-fine-grained-pat-unused',
    title: 'Fine-grained token unused',
    category: 'unused-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    specialises: { rule: 'credential-unused', kinds: [KINDS.finegrainedPat] },
    description:
      'A fine-grained token with access to the organization that has not been used for 90 days (default), or never since access was granted that long ago, serves nothing but still grants its permissions to whoever holds it.',
    remediation: 'Confirm with the token owner, then revoke the grant (Organization settings → Personal access tokens → Active tokens).',
  },
  check(inventory, { maxIdleDays }, { now }) {
    return githubCredentials(inventory, [KINDS.finegrainedPat]).flatMap((c): FindingDraft[] => {
      if (c.status !== 'active') return [];
      const grantedAt = c.attributes.grantedAt;
      const reference = c.lastUsedAt ?? grantedAt;
      if (!reference) return [];
      const idle = daysSince(reference, now);
      if (idle <= maxIdleDays) return [];
      const message = c.lastUsedAt
        ? `Fine-grained token "${c.name}" was last used ${idle} days ago (${c.lastUsedAt.slice(0, 10)}), over the ${maxIdleDays}-day limit.`
        : `Fine-grained token "${c.name}" has never been used since access was granted ${idle} days ago (${reference.slice(0, 10)}).`;
      return [{ resource: refOf(c), message, evidence: { lastUsedAt: c.lastUsedAt ?? null, idleDays: idle, maxIdleDays } }];
    });
  },
});
