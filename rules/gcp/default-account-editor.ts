import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpServiceAccountAttributes, gcpServiceAccounts } from '../../src/model/gcp.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-default-service-account-editor',
    title: 'Default service account keeps the Editor role',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    cis: ['CIS GCP 1.5', 'CIS GCP 4.1'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      'The Compute Engine and App Engine default service accounts get Editor on their project when it is created, and every VM or app that does not name another account runs as them. Any code running there can change almost everything in the project.',
    remediation:
      'Remove Editor from the default account (`gcloud projects remove-iam-policy-binding PROJECT --member=serviceAccount:EMAIL --role=roles/editor`), give workloads their own least-privileged accounts, and set the organization policy `iam.automaticIamGrantsForDefaultServiceAccounts` to stop new grants.',
  },
  check(inventory) {
    return gcpServiceAccounts(inventory).flatMap((account) => {
      const attrs = gcpServiceAccountAttributes(account);
      if (!attrs.defaultAccount || account.status !== 'active') return [];
      const editor = (attrs.roleBindings ?? []).find((b) => b.role === 'roles/editor' && b.scope !== 'service-account');
      if (!editor) return [];
      return [
        {
          resource: refOf(account),
          message: `The ${attrs.defaultAccount === 'compute' ? 'Compute Engine' : 'App Engine'} default account ${account.name} holds roles/editor on ${editor.resource}.`,
          evidence: { defaultAccount: attrs.defaultAccount, on: editor.resource },
        },
      ];
    });
  },
});
