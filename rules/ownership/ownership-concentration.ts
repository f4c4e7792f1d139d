import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule } from '../../src/plugin.js';
import { credentialsByIdentity, isAdminEquivalent, isLongLived, ownableIdentities } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  maxCriticalPerOwner: 10,
};
const options = lazySchema((z) => z.object({ maxCriticalPerOwner: z.number().int().positive().default(defaults.maxCriticalPerOwner) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'ownership-concentration',
    title: 'One person owns many critical non-human identities',
    category: 'missing-owner',
    defaultSeverity: 'info',
    owasp: ['NHI1'],
    optionsSchema: options,
    defaultOptions: defaults,
    description:
      'One person owns more than the limit (default 10) of the identities that matter most (admin-equivalent, or holding an active long-lived credential). When they leave, all of them are orphaned at once; teams are better owners than individuals.',
    remediation: 'Move ownership of these identities to a team, or spread it across the people who run them.',
  },
  check(inventory, { maxCriticalPerOwner }, { now }) {
    const creds = credentialsByIdentity(inventory);
    const byOwner = new Map<string, string[]>();
    for (const identity of ownableIdentities(inventory)) {
      const owner = identity.owner;
      if (!owner || !['user', 'email'].includes(owner.kind)) continue;
      if (!isAdminEquivalent(identity) && !(creds.get(identity.id) ?? []).some((c) => isLongLived(c, now))) continue;
      const key = owner.personId ?? owner.id.toLowerCase();
      byOwner.set(key, [...(byOwner.get(key) ?? []), identity.name]);
    }
    return [...byOwner.entries()]
      .filter(([, names]) => names.length > maxCriticalPerOwner)
      .map(([owner, names]) => ({
        resource: { provider: 'people', kind: 'person', id: owner, name: owner.replace(/^person:/, '') },
        message: `${owner.replace(/^person:/, '')} owns ${names.length} critical non-human identities (limit ${maxCriticalPerOwner}).`,
        evidence: { count: names.length, identities: names.slice(0, 50) },
      }));
  },
});
