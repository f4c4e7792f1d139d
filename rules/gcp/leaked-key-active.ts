import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import type { GcpLeakMatchAttributes } from '../../src/model/gcp.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-leaked-key-active',
    title: 'Service-account key found in code is still enabled',
    category: 'leaked-secret',
    defaultSeverity: 'critical',
    owasp: ['NHI2'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp', 'git', 'dir'],
    description:
      'A service-account JSON key found in a repository was matched, by its private_key_id, to a key that is still enabled in Google Cloud. Anyone with read access to the repository or its history can act as the account, with all of its roles.',
    remediation:
      "Disable and delete the key now (`gcloud iam service-accounts keys disable KEY_ID --iam-account=EMAIL`, then `keys delete`), check the account's audit logs for use, remove the file from the repository and its history, and move the workload to workload identity federation.",
  },
  check(inventory) {
    return inventory.credentials.flatMap((leaked) => {
      const match = leaked.attributes as Partial<GcpLeakMatchAttributes>;
      if (leaked.kind !== 'leaked-secret' || !match.gcpMatchedKeyId || match.gcpMatchedKeyStatus !== 'active') return [];
      const reach = match.gcpAdminRoles?.length
        ? ` It holds ${match.gcpAdminRoles.join(', ')}.`
        : match.gcpPrivilegeLevel
          ? ` Its privilege level is ${match.gcpPrivilegeLevel}.`
          : '';
      return [
        {
          resource: refOf(leaked),
          message: `A key of ${match.gcpServiceAccount ?? 'a service account'} found in code is still enabled.${reach}`,
          evidence: {
            matchedKey: match.gcpMatchedKeyId,
            serviceAccount: match.gcpServiceAccount ?? null,
            privilegeLevel: match.gcpPrivilegeLevel ?? null,
            adminRoles: match.gcpAdminRoles ?? [],
          },
        },
      ];
    });
  },
});
