import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpServiceAccounts } from '../../src/model/gcp.js';
import { activeKeysByAccount } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-disabled-account-enabled-keys',
    title: 'Disabled service account still has enabled keys',
    category: 'improper-offboarding',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      'Disabling a service account stops its keys for now, but re-enabling it (one `gcloud iam service-accounts enable`) brings every enabled key back to life. Offboarding a workload means deleting its keys too.',
    remediation: 'Delete the keys of the disabled account (`gcloud iam service-accounts keys delete KEY_ID --iam-account=EMAIL`), or delete the account.',
  },
  check(inventory) {
    const keys = activeKeysByAccount(inventory);
    return gcpServiceAccounts(inventory)
      .filter((a) => a.status === 'inactive' && (keys.get(a.id) ?? []).length > 0)
      .map((a) => ({
        resource: refOf(a),
        message: `${a.name} is disabled but ${(keys.get(a.id) ?? []).length} of its user-managed keys are still enabled.`,
        evidence: { enabledKeys: (keys.get(a.id) ?? []).map((k) => k.nativeId) },
      }));
  },
});
