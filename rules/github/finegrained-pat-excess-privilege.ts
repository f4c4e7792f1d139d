import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { githubCredentials, isWriteOrAdmin, KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  sensitivePermissions: ['administration', 'secrets', 'workflows', 'organization_administration', 'organization_secrets'],
  flagAllRepositoriesWrite: true,
  includeRequests: true,
};
const options = lazySchema((z) =>
  z
    .object({
      /** Repository or organization permissions whose write/admin level is flagged. */
      sensitivePermissions: z.array(z.string()).default(defaults.sensitivePermissions),
      /** Flag any write/admin permission when the token reaches every repository. */
      flagAllRepositoriesWrite: z.boolean().default(defaults.flagAllRepositoriesWrite),
      /** Also judge pending requests (reported at low severity: nothing is granted yet). */
      includeRequests: z.boolean().default(defaults.includeRequests),
    })
    .strict(),
);

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-fine-grained-pat-excess-privilege',
    title: 'Fine-grained token with sensitive write access',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    description:
      'A personal token with write or admin on administration, secrets or workflows can change repository settings, read-modify Actions secrets or rewrite the pipelines that hold production credentials; one with write access to all repositories turns a single stolen laptop into an organization-wide compromise.',
    remediation:
      'Ask the owner to regenerate the token with only the repositories and permissions the task needs (read where possible), then revoke this grant. For automation, use a GitHub App installation scoped to selected repositories.',
  },
  check(inventory, { sensitivePermissions, flagAllRepositoriesWrite, includeRequests }) {
    const kinds = includeRequests ? [KINDS.finegrainedPat, KINDS.finegrainedPatRequest] : [KINDS.finegrainedPat];
    return githubCredentials(inventory, kinds).flatMap((c): FindingDraft[] => {
      const pending = c.kind === KINDS.finegrainedPatRequest;
      if (!pending && c.status !== 'active') return [];
      if (pending && c.status === 'expired') return [];
      const a = c.attributes;
      const perms = { ...(a.permissions.repository ?? {}), ...(a.permissions.organization ?? {}) };
      const sensitive = Object.entries(perms)
        .filter(([name, level]) => sensitivePermissions.includes(name) && isWriteOrAdmin(level))
        .map(([name, level]) => `${name}:${level}`);
      const writes = Object.entries(a.permissions.repository ?? {})
        .filter(([, level]) => isWriteOrAdmin(level))
        .map(([n, l]) => `${n}:${l}`);
      const allRepos = flagAllRepositoriesWrite && a.repositorySelection === 'all' && writes.length > 0;
      if (!sensitive.length && !allRepos) return [];
      const reasons = [
        sensitive.length ? `write/admin on ${sensitive.join(', ')}` : '',
        allRepos ? `write access (${writes.join(', ')}) to all repositories` : '',
      ].filter(Boolean);
      return [
        {
          resource: refOf(c),
          severity: pending ? 'low' : undefined,
          message: `${pending ? 'Pending request for fine-grained token' : 'Fine-grained token'} "${c.name}" ${pending ? 'asks for' : 'has'} ${reasons.join(' and ')}.`,
          evidence: { sensitivePermissions: sensitive, repositorySelection: a.repositorySelection, pending },
        },
      ];
    });
  },
});
