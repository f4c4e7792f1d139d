import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import type { EntraFederatedCredential } from '../../src/model/entra.js';
import { applications } from './common.js';

/** Why a subject trusts more than one workload, or undefined when it names exactly one. */
export function broadSubjectReason(f: EntraFederatedCredential): string | undefined {
  if (f.claimsMatchingExpression) return `it matches claims by expression (${f.claimsMatchingExpression})`;
  const subject = f.subject ?? '';
  if (!subject) return 'it has no subject';
  if (/[*?]/.test(subject)) return `its subject "${subject}" uses a wildcard`;
  // GitHub: an owner-level subject (`repository_owner:ORG`, or `repo:ORG` without a repository) spans the organisation.
  if (/^(repository_owner(_id)?:[^:]+|repo:[^/:]+)$/i.test(subject)) return `its subject "${subject}" spans a whole organisation`;
  // GitLab: `project_path:GROUP` without a project.
  if (/^project_path:[^/:]+$/i.test(subject)) return `its subject "${subject}" spans a whole group`;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'entra-federated-subject-broad',
    title: 'Federated credential trusts a whole organisation or a wildcard',
    category: 'insecure-configuration',
    defaultSeverity: 'high',
    owasp: ['NHI5', 'NHI9'],
    providers: ['entra'],
    description:
      'A federated identity credential lets any token from its issuer with a matching subject sign in as the application. A subject with a wildcard, an organisation-level subject or a claims-matching expression lets every repository, branch or pipeline that matches (including forks and new repositories) act as the app.',
    remediation:
      'Replace it with one federated credential per workload whose subject names the repository and the protected branch or environment (e.g. `repo:ORG/REPO:environment:production`).',
  },
  check(inventory) {
    return applications(inventory).flatMap(({ identity, attrs }) =>
      attrs.federatedCredentials.flatMap((f): FindingDraft[] => {
        const reason = broadSubjectReason(f);
        if (!reason) return [];
        return [
          {
            resource: refOf(identity),
            key: f.name,
            message: `Federated credential "${f.name}" of application "${identity.name}" (issuer ${f.issuer}) is too broad: ${reason}.`,
            evidence: { name: f.name, issuer: f.issuer, subject: f.subject ?? null, audiences: f.audiences },
          },
        ];
      }),
    );
  },
});
