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
    id: 'github-deploy-key-unused',
    title: 'Deploy key unused',
    category: 'unused-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    specialises: { rule: 'credential-unused', kinds: [KINDS.deployKey] },
    description:
      'A deploy key nobody has used for 90 days (default), or never used since it was added that long ago, belongs to a retired server or pipeline. Its private key still opens the repository for whoever kept a copy.',
    remediation: 'Check with the person who added it or the repository owners, then delete the deploy key (Settings → Deploy keys).',
  },
  check(inventory, { maxIdleDays }, { now }) {
    return githubCredentials(inventory, [KINDS.deployKey]).flatMap((c): FindingDraft[] => {
      const attributes = c.attributes;
      if (c.status !== 'active' || !attributes.usageTracked) return [];
      const reference = c.lastUsedAt ?? c.createdAt;
      if (!reference) return [];
      const idle = daysSince(reference, now);
      if (idle <= maxIdleDays) return [];
      const message = c.lastUsedAt
        ? `Deploy key "${c.name}" was last used ${idle} days ago (${c.lastUsedAt.slice(0, 10)}), over the ${maxIdleDays}-day limit.`
        : `Deploy key "${c.name}" has never been used since it was added ${idle} days ago (${reference.slice(0, 10)}).`;
      return [{ resource: refOf(c), message, evidence: { lastUsedAt: c.lastUsedAt ?? null, idleDays: idle, maxIdleDays } }];
    });
  },
});
