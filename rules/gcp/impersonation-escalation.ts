import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpServiceAccountAttributes } from '../../src/model/gcp.js';
import { activeKeysByAccount, customerAccounts } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-impersonation-escalation',
    title: 'Service account can impersonate its way to an admin account',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      "A service account that can act as another (Service Account User, Token Creator, Key Admin, Workload Identity User), which can act as another, and so on up to an owner, editor or admin account, effectively holds that admin's power. The finding gives the shortest chain and what it reaches. Critical when the starting account has an enabled user-managed key.",
    remediation:
      "Break the chain at its first hop: remove the act-as binding (`gcloud iam service-accounts remove-iam-policy-binding TARGET --member=serviceAccount:SOURCE --role=ROLE`), or reduce the target account's roles.",
  },
  check(inventory) {
    const keys = activeKeysByAccount(inventory);
    return customerAccounts(inventory).flatMap((account) => {
      const escalation = gcpServiceAccountAttributes(account).effective?.escalation;
      if (account.status !== 'active' || !escalation) return [];
      const withKey = (keys.get(account.id) ?? []).length > 0;
      const chain = [account.name, ...escalation.hops.map((h) => `${h.to} (${h.role.replace('roles/iam.', '')})`)].join(' → ');
      return [
        {
          resource: refOf(account),
          severity: withKey ? ('critical' as const) : undefined,
          message: `${chain}, which holds ${escalation.reaches.join(', ')}.`,
          evidence: { hops: escalation.hops, reaches: escalation.reaches, length: escalation.hops.length },
        },
      ];
    });
  },
});
