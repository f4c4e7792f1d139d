import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf, type Identity } from '../../src/model/index.js';
import type { EntraOwner } from '../../src/model/entra.js';
import { applications, ownerLabel, servicePrincipals } from './common.js';

function judge(identity: Identity, what: string, owners: EntraOwner[], collected: boolean): FindingDraft[] {
  if (!collected || owners.length === 0) return [];
  const gone = owners.filter((o) => o.accountEnabled === false || o.deleted);
  if (gone.length < owners.length) return [];
  return [
    {
      resource: refOf(identity),
      message: `Every owner of ${what} "${identity.name}" has left: ${gone.map((o) => `${ownerLabel(o)} (${o.deleted ? 'deleted' : 'disabled'})`).join(', ')}.`,
      evidence: { owners: gone.map((o) => ({ id: o.id, name: ownerLabel(o), state: o.deleted ? 'deleted' : 'disabled' })) },
    },
  ];
}

export default defineRule({
  meta: {
    id: 'entra-owners-offboarded',
    title: 'Every owner of an application is disabled or deleted',
    category: 'improper-offboarding',
    defaultSeverity: 'high',
    owasp: ['NHI1'],
    providers: ['entra'],
    // The neutral owner-departed rule judges the same thing from the joined owners: Entra's own owner
    // states (disabled, deleted) are the better evidence for its applications and service principals.
    specialises: { rule: 'owner-departed', kinds: ['entra-application', 'entra-service-principal', 'entra-client-secret', 'entra-certificate'] },
    description:
      "The people who owned the application have left (their accounts are disabled or deleted) but the application and its credentials live on. Nobody reviews its permissions or notices its misuse; its secrets may still sit on a former employee's machine.",
    remediation:
      'Assign a current owner, have them review the credentials (rotate any the former owners could have copied) and the permissions, or remove the application.',
  },
  check(inventory) {
    return [
      ...applications(inventory).flatMap(({ identity, attrs }) => judge(identity, 'application', attrs.owners, attrs.ownersCollected)),
      ...servicePrincipals(inventory)
        .filter(({ attrs }) => !attrs.applicationObjectId)
        .flatMap(({ identity, attrs }) => judge(identity, 'service principal', attrs.owners, attrs.ownersCollected)),
    ];
  },
});
