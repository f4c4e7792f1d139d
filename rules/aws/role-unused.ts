import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { awsIdentities } from './common.js';

const options = z.object({ maxIdleDays: z.number().int().positive().default(90) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-role-unused',
    title: 'IAM role unused',
    category: 'unused-credential',
    defaultSeverity: 'low',
    owasp: ['NHI1'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'A role nobody has assumed for the allowed idle time (default 90 days), or never since it was created that long ago, is left-over access: its trust policy still lets someone in and its permissions still apply. Service-linked and Identity Center roles are managed by AWS and are skipped.',
    remediation:
      'Confirm with the owner that nothing assumes it (CloudTrail AssumeRole events), then delete the role, or tighten its trust policy until it is removed.',
  },
  check(inventory, { maxIdleDays }, { now }) {
    return awsIdentities(inventory, 'iam-role').flatMap((role): FindingDraft[] => {
      if (role.attributes.providerManaged === true) return [];
      const reference = role.lastUsedAt ?? role.createdAt;
      if (!reference) return [];
      const idle = daysSince(reference, now);
      if (idle <= maxIdleDays) return [];
      const message = role.lastUsedAt
        ? `IAM role "${role.name}" was last used ${idle} days ago (${role.lastUsedAt.slice(0, 10)}); the limit is ${maxIdleDays} days.`
        : `IAM role "${role.name}" has no recorded use since it was created ${idle} days ago (${reference.slice(0, 10)}).`;
      return [
        { resource: refOf(role), message, evidence: { lastUsedAt: role.lastUsedAt ?? null, createdAt: role.createdAt ?? null, idleDays: idle, maxIdleDays } },
      ];
    });
  },
});
