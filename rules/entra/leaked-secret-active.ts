import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { findingLocation, refOf, type Location } from '../../src/model/index.js';
import { entraLeakMatch } from '../../src/model/entra.js';

function firstLocation(locations: Location[] | undefined): Location | undefined {
  return [...(locations ?? [])].sort((a, b) => (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff'))[0];
}

export default defineRule({
  meta: {
    id: 'entra-leaked-secret-active',
    title: 'Leaked Entra client secret belongs to a live application',
    category: 'leaked-secret',
    defaultSeverity: 'critical',
    owasp: ['NHI2'],
    providers: ['entra', 'git', 'dir'],
    description:
      "A Microsoft Entra client secret found in code was matched to an application's credential (by its hint, and the app or tenant id beside it when present), and the credential is still valid. Whoever can read the code can sign in as the application with every permission its service principal holds; the finding names them, and the owners to call. An expired match is reported at low.",
    remediation:
      'Remove the credential now (`az ad app credential delete --id APP_ID --key-id KEY_ID`) after adding a replacement, review the service principal sign-in logs since the leak, and move the workload to a federated credential or a certificate.',
  },
  check(inventory) {
    return inventory.credentials.flatMap((credential): FindingDraft[] => {
      const match = entraLeakMatch(credential);
      if (!match) return [];
      const active = match.entraMatchedCredentialStatus === 'active';
      const where = firstLocation(credential.locations);
      const at = where
        ? ` found at ${where.repository ? `${where.repository}:` : ''}${where.path}${where.commit ? ` (commit ${where.commit.slice(0, 12)})` : ''}`
        : '';
      const radius = match.entraTier0.length
        ? `holds tier-0 ${match.entraTier0.join(', ')}`
        : match.entraPermissions.length
          ? `holds ${match.entraPermissions.slice(0, 6).join(', ')}`
          : 'holds no application permission on record';
      return [
        {
          resource: refOf(credential),
          key: match.entraMatchedCredentialId,
          severity: active ? (match.entraTier0.length ? 'critical' : 'high') : 'low',
          message: `Leaked client secret${at} is ${active ? 'VALID' : 'expired'} and belongs to application "${match.entraApplicationName}" (appId ${match.entraAppId}), which ${radius}; owners: ${match.entraOwners.join(', ') || 'none'}.`,
          ...(where
            ? {
                location: findingLocation(where),
              }
            : {}),
          evidence: {
            matchedCredentialId: match.entraMatchedCredentialId,
            credentialStatus: match.entraMatchedCredentialStatus,
            application: match.entraApplicationName,
            appId: match.entraAppId,
            permissions: match.entraPermissions,
            tier0: match.entraTier0,
            owners: match.entraOwners,
            matchedBy: match.entraMatchedBy,
          },
        },
      ];
    });
  },
});
