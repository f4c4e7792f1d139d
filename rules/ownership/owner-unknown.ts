import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { ownableCredentials, ownableIdentities } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'owner-unknown',
    title: 'Owner not in the people directory',
    category: 'missing-owner',
    defaultSeverity: 'low',
    owasp: ['NHI1'],
    optionsSchema: lazySchema((z) => z.object({}).strict()),
    defaultOptions: {},
    description:
      'A person named as owner (by a tag, CODEOWNERS or as creator) is not in the people directory the scan was given: a typo, an old address, a contractor nobody registered, or someone long gone. Only judged when a directory was given; teams and groups are not people and are not judged.',
    remediation: "Correct the owner tag to a current person or team, or add the missing alias to the config's `settings.people.aliases`.",
  },
  check(inventory) {
    if (!inventory.people?.some((p) => p.sources.some((s) => s.startsWith('people:')))) return [];
    const judge = (item: (typeof inventory.identities)[number] | (typeof inventory.credentials)[number]): FindingDraft[] => {
      const owner = item.owner;
      if (!owner || owner.personId || !['user', 'email'].includes(owner.kind) || owner.source.startsWith('committer')) return [];
      return [
        {
          resource: refOf(item),
          message: `The owner of ${item.kind} "${item.name}", ${owner.id} (${owner.source}), is not in the people directory.`,
          evidence: { owner: owner.id, source: owner.source },
        },
      ];
    };
    const identityIds = new Set(inventory.identities.map((i) => i.id));
    return [
      ...ownableIdentities(inventory).flatMap(judge),
      ...ownableCredentials(inventory)
        .filter((c) => !c.identityId || !identityIds.has(c.identityId))
        .flatMap(judge),
    ];
  },
});
