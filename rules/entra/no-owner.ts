import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { applications, ENTRA_CREDENTIAL_KINDS, ENTRA_IDENTITY_KINDS, servicePrincipals } from './common.js';

export default defineRule({
  meta: {
    id: 'entra-no-owner',
    title: 'Application or service principal has no owner',
    category: 'missing-owner',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    providers: ['entra'],
    specialises: { rule: 'missing-owner', kinds: [...ENTRA_IDENTITY_KINDS, ...ENTRA_CREDENTIAL_KINDS] },
    description:
      "An app registration with no owner, or a service principal of an app that is not registered in this tenant with no owner, has nobody to approve its permissions, rotate its credentials or retire it. Managed identities (owned by their Azure resource) and Microsoft's and other tenants' apps are not judged; a service principal of one of the tenant's own apps is judged through its app registration.",
    remediation: 'Add at least two owners (`az ad app owner add`), people or a group-managed team account, and make ownership part of app creation.',
  },
  check(inventory) {
    const drafts: FindingDraft[] = [];
    for (const { identity, attrs } of applications(inventory)) {
      if (attrs.ownersCollected && attrs.owners.length === 0)
        drafts.push({ resource: refOf(identity), message: `Application "${identity.name}" (appId ${attrs.appId}) has no owner.` });
    }
    for (const { identity, attrs } of servicePrincipals(inventory)) {
      if (attrs.providerManaged || attrs.applicationObjectId || !attrs.ownersCollected || attrs.owners.length > 0) continue;
      drafts.push({
        resource: refOf(identity),
        message: `Service principal "${identity.name}" (appId ${attrs.appId}) has no owner and no app registration in this tenant.`,
      });
    }
    return drafts;
  },
});
