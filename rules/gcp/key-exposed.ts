import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpKeyAttributes, gcpKeys } from '../../src/model/gcp.js';
import { keyLabel } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-key-exposed',
    title: 'Google detected the key exposed publicly',
    category: 'leaked-secret',
    defaultSeverity: 'critical',
    owasp: ['NHI2'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      "Google scans public sources for service-account keys and marks (and by default disables) the ones it finds. An exposed key that is still enabled is in attackers' hands; a disabled one means the account's key hygiene failed once and the copy is still out there.",
    remediation:
      "Delete the key (`gcloud iam service-accounts keys delete KEY_ID --iam-account=EMAIL`), review the account's audit logs for use since the exposure, remove the copy from where it was published, and move the workload off keys.",
  },
  check(inventory) {
    return gcpKeys(inventory)
      .filter((k) => gcpKeyAttributes(k).exposed)
      .map((k) => ({
        resource: refOf(k),
        severity: k.status === 'active' ? undefined : ('low' as const),
        message: `Key ${keyLabel(k)} was found exposed by Google${k.status === 'active' ? ' and is still enabled' : ` (${gcpKeyAttributes(k).disableReason ?? 'disabled'})`}.`,
        evidence: { disableReason: gcpKeyAttributes(k).disableReason ?? null, status: k.status },
      }));
  },
});
