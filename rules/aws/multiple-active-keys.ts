import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { awsAccessKeys, awsIdentities } from './common.js';

const options = z.object({ maxActiveKeys: z.number().int().min(1).max(2).default(1) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-user-multiple-active-keys',
    title: 'IAM user has two active access keys',
    category: 'insecure-configuration',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    cis: ['CIS AWS 1.13'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'Two active keys on one user usually mean a rotation that was never finished: the old key still works, so rotating bought nothing, and two copies of the same identity circulate.',
    remediation: 'Find which key is still in use (last used date), move its consumers to the newer key, then deactivate and delete the other.',
  },
  check(inventory, { maxActiveKeys }) {
    const active = new Map<string, string[]>();
    for (const key of awsAccessKeys(inventory)) {
      if (key.status !== 'active' || !key.identityId) continue;
      active.set(key.identityId, [...(active.get(key.identityId) ?? []), String(key.attributes.accessKeyId || `key${key.attributes.slot ?? ''}`)]);
    }
    return [...awsIdentities(inventory, 'iam-user'), ...awsIdentities(inventory, 'iam-root')].flatMap((user): FindingDraft[] => {
      const keys = active.get(user.id) ?? [];
      if (keys.length <= maxActiveKeys) return [];
      return [
        {
          resource: refOf(user),
          message: `${user.kind === 'iam-root' ? 'The root user' : `IAM user "${user.name}"`} has ${keys.length} active access keys (${keys.sort().join(', ')}).`,
          evidence: { activeKeys: keys.sort() },
        },
      ];
    });
  },
});
