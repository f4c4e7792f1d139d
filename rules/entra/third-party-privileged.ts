import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { servicePrincipals } from './common.js';

/** Application permissions and delegated scopes that change data or reach every mailbox, file or user. */
const HIGH = /ReadWrite|\.Write|\.Send|FullControl|full_access|Mail\.Read|Files\.Read\.All|Sites\.Read\.All|Directory\.Read\.All/i;

export default defineRule({
  meta: {
    id: 'entra-third-party-privileged',
    title: 'Third-party application with high privilege in the tenant',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI3', 'NHI5'],
    providers: ['entra'],
    description:
      "A multi-tenant application registered by another organisation holds write-level application permissions, tenant-wide delegated consent to sensitive scopes, or a directory role here. Its credentials live in the vendor's tenant: a compromise there (as in the Midnight Blizzard attack on a legacy test app) becomes access here, outside your rotation and monitoring.",
    remediation:
      'Review the vendor and the consent; reduce the permissions to what the integration needs, or remove the service principal. Restrict user and admin consent to verified publishers and low-risk permissions.',
  },
  check(inventory) {
    return servicePrincipals(inventory).flatMap(({ identity, attrs }): FindingDraft[] => {
      if (!attrs.thirdParty || !attrs.accountEnabled) return [];
      const perms = attrs.appPermissions.filter((p) => HIGH.test(p.permission)).map((p) => `${p.resourceName}: ${p.permission} (application)`);
      const scopes = attrs.delegatedGrants
        .filter((g) => g.consentType === 'AllPrincipals')
        .flatMap((g) => g.scopes.filter((s) => HIGH.test(s)).map((s) => `${g.resourceName}: ${s} (delegated, all users)`));
      const roles = attrs.directoryRoles.map((r) => `directory role: ${r}`);
      const high = [...perms, ...scopes, ...roles];
      if (high.length === 0) return [];
      return [
        {
          resource: refOf(identity),
          message: `Third-party application "${identity.name}" (registered in tenant ${attrs.appOwnerOrganizationId}) holds ${high.join(', ')}.`,
          evidence: { appOwnerOrganizationId: attrs.appOwnerOrganizationId ?? null, privileges: high },
        },
      ];
    });
  },
});
