import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { awsAccessKeys, awsIdentities } from './common.js';

const options = z.object({}).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-user-console-and-keys',
    title: 'IAM user has both a console password and access keys',
    category: 'insecure-configuration',
    defaultSeverity: 'medium',
    owasp: ['NHI10'],
    cis: ['CIS AWS 1.11'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      "A user with a console password is a person; a user with access keys is usually a workload. Both on one user means a human is using a machine identity or a workload runs on a person's credentials: nobody can tell who did what, and offboarding the person breaks the workload (or leaves it running).",
    remediation:
      'Split them: give the person an SSO/IAM Identity Center login (or remove the password), and give the workload its own role or dedicated user. Then delete the access keys or the login profile from this user.',
  },
  check(inventory) {
    const activeKeys = new Map<string, number>();
    for (const key of awsAccessKeys(inventory))
      if (key.status === 'active' && key.identityId) activeKeys.set(key.identityId, (activeKeys.get(key.identityId) ?? 0) + 1);
    return awsIdentities(inventory, 'iam-user').flatMap((user): FindingDraft[] => {
      const keys = activeKeys.get(user.id) ?? 0;
      if (user.attributes.passwordEnabled !== true || keys === 0) return [];
      const mfa = user.attributes.mfaActive === true;
      return [
        {
          resource: refOf(user),
          // Without MFA the password is a second, weaker way into the same identity.
          severity: mfa ? undefined : 'high',
          message: `IAM user "${user.name}" has a console password${mfa ? '' : ' without MFA'} and ${keys} active access key${keys > 1 ? 's' : ''}: human and machine use share one identity.`,
          evidence: { activeKeys: keys, mfaActive: mfa, passwordLastUsed: user.attributes.passwordLastUsed ?? null },
        },
      ];
    });
  },
});
