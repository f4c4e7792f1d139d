import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { githubIdentities, KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  flagPullRequestApproval: true,
};
const options = lazySchema((z) => z.object({ flagPullRequestApproval: z.boolean().default(defaults.flagPullRequestApproval) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-workflow-token-excess-privilege',
    title: 'Default workflow token can write, or approve pull requests',
    category: 'excess-privilege',
    defaultSeverity: 'medium',
    owasp: ['NHI5'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    description:
      'When the organization\'s (or a repository\'s own) default GITHUB_TOKEN permission is "read and write", every workflow that does not declare `permissions:` runs with write access to code, packages, issues and pull requests: a compromised action or script injection can push. When Actions may approve pull requests, a workflow can approve its own changes and defeat required reviews.',
    remediation:
      'Organization settings → Actions → General → Workflow permissions: choose "Read repository contents and packages permissions" and untick "Allow GitHub Actions to create and approve pull requests"; grant write per job with `permissions:`.',
  },
  check(inventory, { flagPullRequestApproval }) {
    return githubIdentities(inventory, [KINDS.workflowToken]).flatMap((i): FindingDraft[] => {
      const a = i.attributes;
      const drafts: FindingDraft[] = [];
      if (a.defaultWorkflowPermissions === 'write') {
        drafts.push({
          resource: refOf(i),
          key: 'default-write',
          message: a.repository
            ? `Workflows in repository ${a.repository} get a read-write GITHUB_TOKEN by default (its own setting, not the organization's).`
            : `Workflows in ${a.org} get a read-write GITHUB_TOKEN by default.`,
          evidence: { defaultWorkflowPermissions: 'write', ...(a.repository ? { repository: a.repository } : {}) },
        });
      }
      if (flagPullRequestApproval && a.canApprovePullRequestReviews) {
        drafts.push({
          resource: refOf(i),
          key: 'can-approve-prs',
          message: `GitHub Actions may create and approve pull requests in ${a.repository ? `repository ${a.repository}` : a.org}.`,
          evidence: { canApprovePullRequestReviews: true, ...(a.repository ? { repository: a.repository } : {}) },
        });
      }
      return drafts;
    });
  },
});
