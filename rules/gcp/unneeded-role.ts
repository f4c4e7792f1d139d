import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpServiceAccountAttributes, isAdminRole } from '../../src/model/gcp.js';
import { customerAccounts } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-unneeded-role',
    title: 'Service account holds a role it has not used',
    category: 'excess-privilege',
    defaultSeverity: 'medium',
    owasp: ['NHI5'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      "Google's IAM recommender compares the permissions a role grants with those the account used over the last 90 days, and proposes removing the role or replacing it with a smaller one. A role the account does not use is pure blast radius. High when the unused role is owner, editor or an admin role.",
    remediation:
      'Apply the recommendation (`gcloud recommender recommendations mark-claimed …`, then change the binding), or replace the role with the proposed smaller one: `gcloud projects remove-iam-policy-binding PROJECT --member=serviceAccount:EMAIL --role=ROLE` and `add-iam-policy-binding` with the replacement.',
  },
  check(inventory) {
    return customerAccounts(inventory).flatMap((account): FindingDraft[] =>
      (gcpServiceAccountAttributes(account).unneededRoles ?? []).map((u) => ({
        resource: refOf(account),
        key: `${u.role}|${u.resource}`,
        severity: isAdminRole(u.role) ? ('high' as const) : undefined,
        message: `${account.name} has not used ${u.role} on ${u.resource.replace(/^\/\/[^/]+\//, '')}${u.replacements.length ? `; the IAM recommender proposes ${u.replacements.join(', ')} instead` : '; the IAM recommender proposes removing it'}.`,
        evidence: { role: u.role, resource: u.resource, subtype: u.subtype, replacements: u.replacements },
      })),
    );
  },
});
