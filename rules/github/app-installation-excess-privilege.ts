import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { githubIdentities, isWriteOrAdmin, KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  sensitivePermissions: ['administration', 'contents', 'secrets', 'workflows', 'members', 'organization_administration', 'organization_secrets'],
  allowedApps: [],
};
const options = lazySchema((z) =>
  z
    .object({
      sensitivePermissions: z.array(z.string()).default(defaults.sensitivePermissions),
      /** Apps trusted to hold these rights everywhere (by slug), e.g. your own deployment app. */
      allowedApps: z.array(z.string()).default(defaults.allowedApps),
    })
    .strict(),
);

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-app-installation-excess-privilege',
    title: 'App installed on all repositories with sensitive write access',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI3', 'NHI5'],
    cis: ['CIS GitHub 1.4.3'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    description:
      'A GitHub App installed on all repositories with write or admin on administration, contents, secrets, workflows or members is a third party that can push code, change settings or pipelines across the whole organization, including every repository created later. A compromise of the vendor is a compromise of the organization.',
    remediation:
      'Restrict the installation to the repositories that need it ("Only select repositories"), and ask the vendor for a version with read-only or fewer permissions. Remove it if it is no longer used.',
  },
  check(inventory, { sensitivePermissions, allowedApps }) {
    return githubIdentities(inventory, [KINDS.appInstallation]).flatMap((i): FindingDraft[] => {
      const a = i.attributes;
      if (i.status !== 'active' || a.repositorySelection !== 'all' || allowedApps.includes(a.appSlug)) return [];
      const sensitive = Object.entries(a.permissions)
        .filter(([name, level]) => sensitivePermissions.includes(name) && isWriteOrAdmin(level))
        .map(([name, level]) => `${name}:${level}`);
      if (!sensitive.length) return [];
      return [
        {
          resource: refOf(i),
          message: `App "${a.appSlug}" is installed on all repositories of ${a.org} with ${sensitive.join(', ')}.`,
          evidence: { appSlug: a.appSlug, repositorySelection: a.repositorySelection, sensitivePermissions: sensitive },
        },
      ];
    });
  },
});
