import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpKeyAttributes } from '../../src/model/gcp.js';
import { GCP_KEY_KINDS, keyLabel, liveUserManagedKeys } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-key-never-expires',
    title: 'Service account key never expires',
    category: 'long-lived-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    specialises: { rule: 'credential-long-lived', kinds: GCP_KEY_KINDS },
    description:
      'A user-managed key valid until 9999-12-31 stays usable forever once copied. Google lets an organization cap key lifetimes, and a key with an expiry stops working on its own even when nobody remembers it.',
    remediation:
      'Set the organization policy `iam.serviceAccountKeyExpiryHours` so new keys expire, rotate this key to one created under it, and delete the old key.',
  },
  check(inventory) {
    return liveUserManagedKeys(inventory)
      .filter((k) => k.status === 'active' && gcpKeyAttributes(k).neverExpires)
      .map((k) => ({ resource: refOf(k), message: `Key ${keyLabel(k)} never expires (valid until 9999-12-31).`, evidence: { validBeforeTime: null } }));
  },
});
