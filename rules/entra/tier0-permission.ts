import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { tier0Of } from '../../src/model/entra.js';
import { credentialsByAppId, KIND_CLIENT_SECRET, servicePrincipals } from './common.js';

export default defineRule({
  meta: {
    id: 'entra-tier0-permission',
    title: 'Workload identity holds a tier-0 permission or directory role',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    providers: ['entra'],
    description:
      'RoleManagement.ReadWrite.Directory, AppRoleAssignment.ReadWrite.All, Application.ReadWrite.All and Directory.ReadWrite.All, and the Global, Privileged Role, Privileged Authentication and (Cloud) Application Administrator roles, each let the holder grant itself any permission or role, or add a credential to an application that has one: they are tenant takeover paths, like an AWS escalation path to admin. Critical when the application also holds a client secret, which can leak.',
    remediation:
      'Replace the permission with the least one that does the job (e.g. Application.ReadWrite.OwnedBy, a specific *.Read.All), or move the work to a human with PIM. If it must stay, use certificates or federation only, restrict who can manage the app, and alert on its sign-ins.',
  },
  check(inventory) {
    const byApp = credentialsByAppId(inventory);
    return servicePrincipals(inventory).flatMap(({ identity, attrs }): FindingDraft[] => {
      if (attrs.microsoftFirstParty || !attrs.accountEnabled) return [];
      const tier0 = tier0Of(attrs);
      if (tier0.length === 0) return [];
      const secrets = (byApp.get(attrs.appId.toLowerCase()) ?? []).filter((v) => v.credential.kind === KIND_CLIENT_SECRET && v.credential.status === 'active');
      const kind = attrs.servicePrincipalType === 'ManagedIdentity' ? 'Managed identity' : 'Service principal';
      return [
        {
          resource: refOf(identity),
          severity: secrets.length ? 'critical' : undefined,
          message: `${kind} "${identity.name}" holds ${tier0.join(', ')}: it can grant itself anything in the tenant${secrets.length ? `, and its application has ${secrets.length} active client secret(s) that can leak` : ''}.`,
          evidence: { tier0, activeClientSecrets: secrets.length, appId: attrs.appId },
        },
      ];
    });
  },
});
