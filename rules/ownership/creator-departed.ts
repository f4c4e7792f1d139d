import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { isCreator } from '../../src/ownership/candidates.js';
import { directoryOf, ownableCredentials, ownerLabel, personOf } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'creator-departed',
    title: 'Active credential created by someone who has left',
    category: 'improper-offboarding',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: lazySchema((z) => z.object({}).strict()),
    defaultOptions: {},
    description:
      'The person who created this active credential (added the deploy key, owns the application, committed the key) has left. Whoever created a credential saw its value and may still have a copy, even where another owner remains: offboarding means rotating what leavers created.',
    remediation: 'Rotate the credential (create a new one, move consumers, revoke the old one), and record a current owner.',
  },
  check(inventory) {
    const directory = directoryOf(inventory);
    return ownableCredentials(inventory).flatMap((credential): FindingDraft[] => {
      const owners = credential.owners ?? [];
      // When every owner has left, owner-departed already says it (one problem, one finding).
      if (!owners.length || owners.every((o) => o.active === false)) return [];
      const creators = owners.filter((o) => isCreator(o) && o.active === false && !o.reason?.includes('(owner of '));
      return creators.map((creator) => {
        const endDate = personOf(creator, directory)?.endDate;
        return {
          resource: refOf(credential),
          key: creator.id.toLowerCase(),
          message: `${credential.kind} "${credential.name}" was created by ${ownerLabel(creator)}, who has left${endDate ? ` (${endDate.slice(0, 10)})` : ''}.`,
          evidence: { creator: creator.id, source: creator.source },
        };
      });
    });
  },
});
