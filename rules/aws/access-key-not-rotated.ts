import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { awsAccessKeys, keyLabel } from './common.js';

const options = z.object({ maxAgeDays: z.number().int().positive().default(90) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-access-key-not-rotated',
    title: 'AWS access key not rotated',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    cis: ['CIS AWS 1.14'],
    optionsSchema: options,
    providers: ['aws'],
    specialises: { rule: 'credential-not-rotated', kinds: ['aws-access-key'] },
    description:
      'An active IAM access key older than the allowed age (default 90 days) has had a long time to be copied into laptops, CI caches, logs and images. AWS keys never expire on their own, so only rotation bounds that exposure.',
    remediation:
      'Create a second key, move every consumer to it, deactivate the old key, watch for failures, then delete it. Better: replace the IAM user with a role the workload assumes (OIDC federation for CI, instance/task roles for compute).',
  },
  check(inventory, { maxAgeDays }, { now }) {
    return awsAccessKeys(inventory).flatMap((key): FindingDraft[] => {
      if (key.status !== 'active') return [];
      const rotatedAt = key.lastRotatedAt ?? key.createdAt;
      if (!rotatedAt) return [];
      const age = daysSince(rotatedAt, now);
      if (age <= maxAgeDays) return [];
      return [
        {
          resource: refOf(key),
          message: `Access key ${keyLabel(key)} was created ${age} days ago (${rotatedAt.slice(0, 10)}) and never rotated; the limit is ${maxAgeDays} days.`,
          evidence: { lastRotatedAt: rotatedAt, ageDays: age, maxAgeDays, user: key.attributes.userName },
        },
      ];
    });
  },
});
