import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { githubCredentials, KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  maxAgeDays: 365,
};
const options = lazySchema((z) => z.object({ maxAgeDays: z.number().int().positive().default(defaults.maxAgeDays) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-deploy-key-not-rotated',
    title: 'Deploy key older than a year',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    specialises: { rule: 'credential-not-rotated', kinds: [KINDS.deployKey] },
    description:
      'A deploy key cannot expire and cannot be rotated in place: one older than 365 days (default) has been copied to every machine that ever ran its workload, and its age is the window for anyone who kept a copy.',
    remediation: 'Generate a new key pair, add it as a new deploy key, move the workload to it, then delete the old key.',
  },
  check(inventory, { maxAgeDays }, { now }) {
    return githubCredentials(inventory, [KINDS.deployKey]).flatMap((c): FindingDraft[] => {
      if (c.status !== 'active' || !c.createdAt) return [];
      const age = daysSince(c.createdAt, now);
      if (age <= maxAgeDays) return [];
      return [
        {
          resource: refOf(c),
          message: `Deploy key "${c.name}" was added ${age} days ago (${c.createdAt.slice(0, 10)}), over the ${maxAgeDays}-day limit.`,
          evidence: { createdAt: c.createdAt, ageDays: age, maxAgeDays },
        },
      ];
    });
  },
});
