import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { credentialLabel, entraCredentials, KIND_CERTIFICATE, servicePrincipals } from './common.js';

export default defineRule({
  meta: {
    id: 'entra-sp-credential',
    title: 'Credential on the service principal object',
    category: 'insecure-configuration',
    defaultSeverity: 'high',
    owasp: ['NHI2', 'NHI5'],
    providers: ['entra'],
    description:
      "A client secret or certificate added to the service principal (the enterprise application) rather than to the app registration does not show in the portal's app registration blade, where credentials are reviewed. It is the classic persistence trick after a tenant compromise (Solorigate added credentials this way). SAML signing certificates (usage Sign with their Verify pair) are expected there and not reported.",
    remediation:
      'Check who added it and when (audit log: "Add service principal credentials"); remove it with `az ad sp credential delete`, and add credentials to the app registration instead. Alert on that audit event.',
  },
  check(inventory) {
    const samlSigners = new Set(
      entraCredentials(inventory)
        .filter((v) => v.attrs.on === 'servicePrincipal' && v.attrs.usage === 'Sign')
        .map((v) => v.attrs.holderObjectId),
    );
    const managed = new Set(
      servicePrincipals(inventory)
        .filter((s) => s.attrs.servicePrincipalType === 'ManagedIdentity')
        .map((s) => s.attrs.objectId),
    );
    return entraCredentials(inventory)
      .filter((v) => v.attrs.on === 'servicePrincipal' && v.credential.status === 'active' && !managed.has(v.attrs.holderObjectId))
      .filter((v) => !(v.credential.kind === KIND_CERTIFICATE && samlSigners.has(v.attrs.holderObjectId)))
      .map((view) => ({
        resource: refOf(view.credential),
        message: `${credentialLabel(view)} sits on the service principal object, where the app registration blade does not show it.`,
        evidence: { keyId: view.attrs.keyId, servicePrincipalObjectId: view.attrs.holderObjectId, startAt: view.attrs.startAt ?? null },
      }));
  },
});
