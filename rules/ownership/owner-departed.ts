import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf, type Credential, type Identity } from '../../src/model/index.js';
import {
  accountableOwners,
  credentialsByIdentity,
  directoryOf,
  isAdminEquivalent,
  isLongLived,
  ownableCredentials,
  ownableIdentities,
  ownerLabel,
  personOf,
} from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'owner-departed',
    title: 'Every owner has left',
    category: 'improper-offboarding',
    defaultSeverity: 'high',
    owasp: ['NHI1'],
    optionsSchema: lazySchema((z) => z.object({}).strict()),
    defaultOptions: {},
    description:
      "Every known owner of this non-human identity or credential has left the organisation (departed in the people directory, or a disabled or deleted account). Nobody reviews its rights, rotates its secrets or notices its misuse, and its credentials may sit on a former employee's machine. Critical when it is admin-equivalent or holds an active long-lived credential.",
    remediation:
      "Assign a current owner (the departed owner's manager is suggested in the finding), have them rotate every credential the former owner could have copied, review the rights, or decommission it.",
  },
  check(inventory, _options, { now }) {
    const directory = directoryOf(inventory);
    const creds = credentialsByIdentity(inventory);
    const identityIds = new Set(inventory.identities.map((i) => i.id));
    const judge = (item: Identity | Credential, critical: boolean): FindingDraft[] => {
      const owners = accountableOwners(item);
      if (!owners.length || owners.some((o) => o.active !== false)) return [];
      const people = owners.map((o) => personOf(o, directory));
      const managers = [...new Set(people.map((p) => (p ? (directory.managerOf(p)?.email ?? p.manager) : undefined)).filter((m): m is string => !!m))];
      return [
        {
          resource: refOf(item),
          severity: critical ? 'critical' : undefined,
          message: `Every owner of ${item.kind} "${item.name}" has left: ${owners.map(ownerLabel).join(', ')}${managers.length ? `. Suggested new owner: ${managers.join(' or ')}` : ''}.`,
          evidence: {
            departedOwners: owners.map((o) => ({ id: o.id, source: o.source, endDate: people[owners.indexOf(o)]?.endDate ?? null })),
            suggestedOwners: managers,
          },
        },
      ];
    };
    return [
      ...ownableIdentities(inventory).flatMap((i) => judge(i, isAdminEquivalent(i) || (creds.get(i.id) ?? []).some((c) => isLongLived(c, now)))),
      // A credential is judged on its own only when its identity is not in the inventory (one problem, one finding).
      ...ownableCredentials(inventory)
        .filter((c) => !c.identityId || !identityIds.has(c.identityId))
        .flatMap((c) => judge(c, isLongLived(c, now))),
    ];
  },
});
