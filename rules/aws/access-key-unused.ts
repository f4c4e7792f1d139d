import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { awsAccessKeys, keyLabel } from './common.js';

const options = z.object({ maxIdleDays: z.number().int().positive().default(45) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-access-key-unused',
    title: 'AWS access key unused',
    category: 'unused-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    cis: ['CIS AWS 1.12'],
    optionsSchema: options,
    providers: ['aws'],
    specialises: { rule: 'credential-unused', kinds: ['aws-access-key'] },
    description:
      'An active access key not used for the allowed idle time (default 45 days), or never used since it was created that long ago, serves no workload but still works for whoever holds a copy. AWS records every key\'s last use, so "never used" is a fact here.',
    remediation: 'Deactivate the key, wait for anyone to complain, then delete it. If the user has no other purpose, delete the user.',
  },
  check(inventory, { maxIdleDays }, { now }) {
    return awsAccessKeys(inventory).flatMap((key): FindingDraft[] => {
      if (key.status !== 'active') return [];
      const reference = key.lastUsedAt ?? key.createdAt;
      if (!reference) return [];
      const idle = daysSince(reference, now);
      if (idle <= maxIdleDays) return [];
      const message = key.lastUsedAt
        ? `Access key ${keyLabel(key)} was last used ${idle} days ago (${key.lastUsedAt.slice(0, 10)}${key.attributes.lastUsedService ? `, ${key.attributes.lastUsedService}` : ''}); the limit is ${maxIdleDays} days.`
        : `Access key ${keyLabel(key)} has never been used since it was created ${idle} days ago (${reference.slice(0, 10)}).`;
      return [
        { resource: refOf(key), message, evidence: { lastUsedAt: key.lastUsedAt ?? null, createdAt: key.createdAt ?? null, idleDays: idle, maxIdleDays } },
      ];
    });
  },
});
