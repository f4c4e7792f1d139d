import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { credentialLabel, entraCredentials } from './common.js';

export default defineRule({
  meta: {
    id: 'entra-credential-expired-present',
    title: 'Expired Entra credential still on the application',
    category: 'improper-offboarding',
    defaultSeverity: 'low',
    owasp: ['NHI1'],
    providers: ['entra'],
    description:
      'An expired client secret or certificate no longer signs anyone in, but left on the object it clutters the credential list (hiding which one is live), keeps its hint and key id around for anyone reading leaks against it, and shows that nobody cleans up after a rotation.',
    remediation: 'Remove the expired credential (`az ad app credential delete --id APP_ID --key-id KEY_ID`) once its replacement is in use.',
  },
  check(inventory, _options, { now }) {
    return entraCredentials(inventory)
      .filter(({ credential }) => credential.status === 'expired')
      .map((view) => ({
        resource: refOf(view.credential),
        message: `${credentialLabel(view)} expired on ${view.credential.expiresAt!.slice(0, 10)} (${Math.floor((now.getTime() - Date.parse(view.credential.expiresAt!)) / 86_400_000)} days ago) and is still present.`,
        evidence: { expiresAt: view.credential.expiresAt, keyId: view.attrs.keyId },
      }));
  },
});
