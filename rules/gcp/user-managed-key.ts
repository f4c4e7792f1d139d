import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpKeyAttributes } from '../../src/model/gcp.js';
import { keyLabel, liveUserManagedKeys } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-user-managed-key',
    title: 'Service account has a user-managed key',
    category: 'long-lived-credential',
    defaultSeverity: 'low',
    owasp: ['NHI7'],
    cis: ['CIS GCP 1.4'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      'A user-managed service-account key is a JSON file holding a private key that works from anywhere until someone deletes it. It gets committed, copied into CI variables and laptops, and outlives the workload. Google-managed keys (used by attached service accounts, workload identity federation and impersonation) never leave Google.',
    remediation:
      'Replace the key with an attached service account, workload identity federation (CI, other clouds) or short-lived impersonation, then delete it: `gcloud iam service-accounts keys delete KEY_ID --iam-account=EMAIL`. Enforce it with the organization policy `iam.disableServiceAccountKeyCreation`.',
  },
  check(inventory) {
    return liveUserManagedKeys(inventory)
      .filter((k) => k.status === 'active')
      .map((k) => ({
        resource: refOf(k),
        message: `User-managed key ${keyLabel(k)} is enabled (created ${k.createdAt?.slice(0, 10) ?? 'at an unknown date'}).`,
        evidence: { keyOrigin: gcpKeyAttributes(k).keyOrigin ?? null },
      }));
  },
});
