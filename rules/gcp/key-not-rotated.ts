import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { GCP_KEY_KINDS, keyLabel, liveUserManagedKeys } from './common.js';

const options = z.object({ maxAgeDays: z.number().int().positive().default(90) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'gcp-key-not-rotated',
    title: 'Service account key older than the rotation limit',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    cis: ['CIS GCP 1.7'],
    optionsSchema: options,
    providers: ['gcp'],
    specialises: { rule: 'credential-not-rotated', kinds: GCP_KEY_KINDS },
    description:
      'A user-managed key older than the limit (default 90 days, CIS GCP 1.7) has had months to be copied. Google never rotates user-managed keys; only creating a new one and deleting the old bounds the exposure.',
    remediation:
      'Create a new key (`gcloud iam service-accounts keys create`), move every consumer to it, disable the old key, watch for failures, then delete it. Better: remove the need for keys (attached service accounts, workload identity federation).',
  },
  check(inventory, { maxAgeDays }, { now }) {
    return liveUserManagedKeys(inventory).flatMap((key): FindingDraft[] => {
      if (key.status !== 'active' || !key.createdAt) return [];
      const age = daysSince(key.createdAt, now);
      if (age <= maxAgeDays) return [];
      return [
        {
          resource: refOf(key),
          message: `Key ${keyLabel(key)} was created ${age} days ago (${key.createdAt.slice(0, 10)}); the limit is ${maxAgeDays} days.`,
          evidence: { createdAt: key.createdAt, ageDays: age, maxAgeDays },
        },
      ];
    });
  },
});
