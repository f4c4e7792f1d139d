import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpPolicyHolderAttributes, gcpPolicyHolders } from '../../src/model/gcp.js';

const ROLES = ['roles/iam.serviceAccountUser', 'roles/iam.serviceAccountTokenCreator'];

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-project-level-impersonation',
    title: 'Service Account User or Token Creator granted on a whole project, folder or organization',
    category: 'excess-privilege',
    defaultSeverity: 'medium',
    owasp: ['NHI5'],
    cis: ['CIS GCP 1.6'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      "Granted at project level (or above), Service Account User and Service Account Token Creator let the member act as every service account in scope, today's and tomorrow's, including the most privileged one. Grant them on the one service account the member needs.",
    remediation:
      'Remove the binding from the project (`gcloud projects remove-iam-policy-binding PROJECT --member=MEMBER --role=ROLE`) and grant it on the specific account: `gcloud iam service-accounts add-iam-policy-binding EMAIL --member=MEMBER --role=ROLE`.',
  },
  check(inventory) {
    return gcpPolicyHolders(inventory).flatMap((holder): FindingDraft[] => {
      const attrs = gcpPolicyHolderAttributes(holder);
      return (attrs.bindings ?? [])
        .filter((b) => ROLES.includes(b.role))
        .map((b) => ({
          resource: refOf(holder),
          key: `${b.role}|${b.member}`,
          message: `${b.member} holds ${b.role} on ${attrs.resourceName}: it can act as every service account there.`,
          evidence: { role: b.role, member: b.member, scope: attrs.scope, condition: b.condition?.expression ?? null },
        }));
    });
  },
});
