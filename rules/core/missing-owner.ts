import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  checkIdentities: true,
  checkCredentials: true,
};
const options = lazySchema((z) =>
  z.object({ checkIdentities: z.boolean().default(defaults.checkIdentities), checkCredentials: z.boolean().default(defaults.checkCredentials) }).strict(),
);

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'missing-owner',
    title: 'No resolvable owner',
    category: 'missing-owner',
    defaultSeverity: 'low',
    owasp: ['NHI1'],
    optionsSchema: options,
    defaultOptions: defaults,
    description:
      'An identity or credential with no owner (no owner tag, no CODEOWNERS entry, no known creator) cannot be rotated, reviewed or offboarded by anyone: nobody is asked when it misbehaves or when its workload is retired.',
    remediation:
      'Tag it with an accountable team or person using one of the configured owner tag keys (default `owner`, `Owner`, `team`, `contact`), or record the owner in CODEOWNERS. Decommission it if nobody claims it.',
  },
  check(inventory, { checkIdentities, checkCredentials }) {
    const drafts: FindingDraft[] = [];
    if (checkIdentities) {
      for (const identity of inventory.identities) {
        // Provider-managed identities (service-linked roles, the root account) cannot carry an owner tag;
        // a person's own account (an IAM user signing in with a password and MFA) is no NHI to own.
        if (identity.owner || identity.attributes.providerManaged === true || identity.status === 'deleted' || identity.human) continue;
        drafts.push({ resource: refOf(identity), message: `${identity.kind} "${identity.name}" has no resolvable owner.` });
      }
    }
    if (checkCredentials) {
      const identities = new Map(inventory.identities.map((i) => [i.id, i]));
      for (const credential of inventory.credentials) {
        // Secrets found in code are judged as leaks, not as managed credentials; an inactive one needs no owner.
        if (credential.owner || credential.secret || credential.status !== 'active') continue;
        const identity = credential.identityId ? identities.get(credential.identityId) : undefined;
        // A credential inherits its identity's owner; an ownerless identity already has its own finding
        // (one problem, one finding), and provider-managed ones (the AWS root user) cannot carry owners.
        if (identity) continue;
        drafts.push({ resource: refOf(credential), message: `${credential.kind} "${credential.name}" has no resolvable owner.` });
      }
    }
    return drafts;
  },
});
