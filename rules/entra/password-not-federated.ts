import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { applications, credentialsByAppId, KIND_CLIENT_SECRET } from './common.js';

const options = z
  .object({
    /** Secret names that say a CI system or cloud workload uses them: each could use a federated credential. */
    federatableNamePattern: z
      .string()
      .default('github|actions|gitlab|pipeline|azure.?devops|ado|terraform|circleci|jenkins|kubernetes|k8s|aks|gke|eks|\\bci\\b|deploy'),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'entra-password-not-federated',
    title: 'Client secret where a federated credential would do',
    category: 'long-lived-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7', 'NHI2'],
    optionsSchema: options,
    providers: ['entra'],
    description:
      'A client secret on an application that already trusts a federated credential (so its workload can sign in with its own OIDC token), or whose secret is named after a CI system or cluster that can federate (GitHub Actions, GitLab, Azure DevOps, Kubernetes). Federation leaves no secret to leak, expire or rotate.',
    remediation:
      'Add a federated identity credential for the workload (issuer + exact subject), switch the workload to it (e.g. azure/login with OIDC), then remove the client secret.',
  },
  check(inventory, { federatableNamePattern }) {
    const pattern = new RegExp(federatableNamePattern, 'i');
    const byApp = credentialsByAppId(inventory);
    return applications(inventory).flatMap(({ identity, attrs }): FindingDraft[] => {
      const secrets = (byApp.get(attrs.appId.toLowerCase()) ?? []).filter((v) => v.credential.kind === KIND_CLIENT_SECRET && v.credential.status === 'active');
      return secrets.flatMap((v): FindingDraft[] => {
        const federated = attrs.federatedCredentials.length > 0;
        const named = pattern.test(v.attrs.displayName ?? '');
        if (!federated && !named) return [];
        const stored = attrs.githubSecrets?.length
          ? `; it is stored as GitHub Actions secret ${attrs.githubSecrets.join(', ')} in a repository the app already trusts`
          : '';
        const why = federated
          ? `the application already has ${attrs.federatedCredentials.length} federated credential(s) (${attrs.federatedCredentials.map((f) => f.name).join(', ')})${stored}`
          : `its name "${v.attrs.displayName}" says a workload that can federate uses it`;
        return [
          {
            resource: refOf(v.credential),
            message: `Application "${identity.name}" holds client secret "${v.attrs.displayName ?? v.attrs.keyId}" although ${why}.`,
            evidence: {
              keyId: v.attrs.keyId,
              federatedCredentials: attrs.federatedCredentials.map((f) => f.name),
              githubSecrets: attrs.githubSecrets ?? [],
              reason: federated ? 'federated-credential-exists' : 'federatable-workload-name',
            },
          },
        ];
      });
    });
  },
});
