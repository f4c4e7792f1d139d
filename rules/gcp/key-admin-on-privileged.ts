import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpServiceAccountAttributes } from '../../src/model/gcp.js';
import { customerAccounts } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-key-admin-on-privileged-account',
    title: 'Someone can mint keys for an admin service account',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      "Service Account Key Admin lets a member create keys for the account: a long-lived credential with the account's full power, usable from anywhere. On an owner, editor or admin account that is a standing path to admin.",
    remediation:
      'Remove the Key Admin binding from the account or its project, and block key creation with the organization policy `iam.disableServiceAccountKeyCreation`.',
  },
  check(inventory) {
    return customerAccounts(inventory).flatMap((account): FindingDraft[] => {
      const attrs = gcpServiceAccountAttributes(account);
      if (attrs.effective?.privilegeLevel !== 'admin') return [];
      return (attrs.actAsBindings ?? [])
        .filter((b) => b.role === 'roles/iam.serviceAccountKeyAdmin' && b.member !== `serviceAccount:${attrs.email}`)
        .map((b) => ({
          resource: refOf(account),
          key: b.member,
          message: `${b.member} can create keys for ${account.name} (Key Admin on ${b.resource}), which holds ${attrs.effective!.adminRoles.join(', ')}.`,
          evidence: { member: b.member, grantedOn: b.resource, adminRoles: attrs.effective!.adminRoles },
        }));
    });
  },
});
