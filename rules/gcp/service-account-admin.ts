import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpServiceAccountAttributes } from '../../src/model/gcp.js';
import { activeKeysByAccount, customerAccounts } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-service-account-admin',
    title: 'Service account holds owner, editor or an admin role',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    cis: ['CIS GCP 1.5'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      'Owner, Editor and *Admin roles on a project, folder or organization let a service account change almost anything, including IAM itself. Whoever can run code as the account, or holds one of its keys, has the same power. Critical when the account also has an enabled user-managed key.',
    remediation:
      'Replace the basic or admin role with the predefined roles the workload needs (the IAM recommender lists what it used): `gcloud projects remove-iam-policy-binding PROJECT --member=serviceAccount:EMAIL --role=ROLE`.',
  },
  check(inventory) {
    const keys = activeKeysByAccount(inventory);
    return customerAccounts(inventory).flatMap((account) => {
      const effective = gcpServiceAccountAttributes(account).effective;
      if (account.status !== 'active' || effective?.privilegeLevel !== 'admin') return [];
      const withKey = (keys.get(account.id) ?? []).length > 0;
      return [
        {
          resource: refOf(account),
          severity: withKey ? ('critical' as const) : undefined,
          message: `${account.name} holds ${effective.adminRoles.join(', ')}${withKey ? ', and has an enabled user-managed key' : ''}.`,
          evidence: { adminRoles: effective.adminRoles, activeUserManagedKeys: (keys.get(account.id) ?? []).length },
        },
      ];
    });
  },
});
