import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { awsAccessKeys, keyLabel } from './common.js';

const options = z.object({ includeInactive: z.boolean().default(true) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-root-access-key',
    title: 'Root user has an access key',
    category: 'excess-privilege',
    defaultSeverity: 'critical',
    owasp: ['NHI5', 'NHI7'],
    cis: ['CIS AWS 1.4'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'An access key on the root user is a long-lived credential with unrestricted power over the account, including billing and closing it; no policy, boundary or SCP limits it. Whoever copies it owns the account.',
    remediation:
      'Sign in as root, delete the access key (Security credentials → Access keys), and give the workload an IAM role or a least-privilege IAM user instead. Keep MFA on the root user. An inactive root key should be deleted too.',
  },
  check(inventory, { includeInactive }) {
    return awsAccessKeys(inventory).flatMap((key): FindingDraft[] => {
      if (key.attributes.isRoot !== true) return [];
      if (key.status !== 'active' && !(includeInactive && key.status === 'inactive')) return [];
      const active = key.status === 'active';
      return [
        {
          resource: refOf(key),
          severity: active ? undefined : 'medium',
          message: `The root user of account ${key.scope ?? '?'} has ${active ? 'an active' : 'an inactive'} access key (${keyLabel(key)}), created ${key.createdAt?.slice(0, 10) ?? 'at an unknown date'}${key.lastUsedAt ? `, last used ${key.lastUsedAt.slice(0, 10)}` : ', never used'}.`,
          evidence: { status: key.status, createdAt: key.createdAt ?? null, lastUsedAt: key.lastUsedAt ?? null },
        },
      ];
    });
  },
});
