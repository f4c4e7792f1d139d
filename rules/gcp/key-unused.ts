import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpKeyAttributes } from '../../src/model/gcp.js';
import { daysSince } from '../../src/time.js';
import { GCP_KEY_KINDS, keyLabel, liveUserManagedKeys } from './common.js';

const options = z.object({ maxIdleDays: z.number().int().positive().default(90) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'gcp-key-unused',
    title: 'Service account key unused',
    category: 'unused-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: options,
    providers: ['gcp'],
    specialises: { rule: 'credential-unused', kinds: GCP_KEY_KINDS },
    description:
      'An enabled key that has not authenticated for the limit (default 90 days), according to Policy Analyzer, serves no workload but still opens the door. Only judged where Policy Analyzer activity could be read.',
    remediation: 'Disable the key (`gcloud iam service-accounts keys disable KEY_ID --iam-account=EMAIL`), wait for complaints, then delete it.',
  },
  check(inventory, { maxIdleDays }, { now }) {
    return liveUserManagedKeys(inventory).flatMap((key): FindingDraft[] => {
      if (key.status !== 'active' || !gcpKeyAttributes(key).usageTracked) return [];
      const reference = key.lastUsedAt ?? key.createdAt;
      if (!reference) return [];
      const idle = daysSince(reference, now);
      if (idle <= maxIdleDays) return [];
      const message = key.lastUsedAt
        ? `Key ${keyLabel(key)} last authenticated ${idle} days ago (${key.lastUsedAt.slice(0, 10)}).`
        : `Key ${keyLabel(key)} has not authenticated since it was created ${idle} days ago.`;
      return [{ resource: refOf(key), message, evidence: { lastUsedAt: key.lastUsedAt ?? null, idleDays: idle, maxIdleDays } }];
    });
  },
});
