import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { githubCredentials, SECRET_KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  includePrivateVisibility: true,
};
const options = lazySchema((z) =>
  z
    .object({
      /** `private` (every private and internal repository) is nearly as broad as `all`. */
      includePrivateVisibility: z.boolean().default(defaults.includePrivateVisibility),
    })
    .strict(),
);

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-org-secret-visible-to-all',
    title: 'Organization secret visible to all repositories',
    category: 'excess-privilege',
    defaultSeverity: 'medium',
    owasp: ['NHI8', 'NHI5'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    description:
      'An organization secret with visibility "all" (or "private") is readable by the workflows of every current and future repository, including experiments and repositories with weak branch protection: one compromised workflow anywhere exposes it. Secrets should be isolated to the repositories that need them.',
    remediation:
      'Set the secret\'s repository access to "Selected repositories" and list only the ones that use it, or move it to those repositories (or their deployment environments).',
  },
  check(inventory, { includePrivateVisibility }) {
    return githubCredentials(inventory, SECRET_KINDS).flatMap((c): FindingDraft[] => {
      const a = c.attributes;
      if (a.level !== 'organization' || c.status !== 'active') return [];
      if (a.visibility !== 'all' && !(includePrivateVisibility && a.visibility === 'private')) return [];
      const reach = a.visibility === 'all' ? 'every repository' : 'every private and internal repository';
      return [
        {
          resource: refOf(c),
          message: `Organization ${a.store} secret "${c.name}" is visible to ${reach} of ${a.org}.`,
          evidence: { visibility: a.visibility, store: a.store },
        },
      ];
    });
  },
});
