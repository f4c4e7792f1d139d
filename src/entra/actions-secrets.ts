/**
 * GitHub Actions secrets that hold an Entra client secret. GitHub never returns a secret's value, so the
 * hint cannot be read; the link is the other way round: an Actions secret named like a client secret
 * (`AZURE_CLIENT_SECRET`, `ARM_CLIENT_SECRET`, `AZURE_CREDENTIALS`...) in a repository that an Entra
 * application trusts through a federated credential (`repo:ORG/REPO...` from GitHub's issuer) is that
 * application's secret. The application then names the repositories that store its secret, and the
 * Actions secret names the application, its permissions and owners. One candidate application only; the
 * repository alone never picks between several.
 */
import type { Credential, Identity, Inventory } from '../model/index.js';
import { isGithub, KINDS, type GithubSecretAttributes } from '../model/github.js';
import { applicationAttributes, isEntraApplication, type EntraApplicationAttributes } from '../model/entra.js';

const CLIENT_SECRET_NAME = /^(AZURE|ARM|AAD|ENTRA|MSAL|SP|SERVICE_PRINCIPAL)_?(CLIENT_?SECRET|APP_?SECRET|SECRET|PASSWORD|CREDENTIALS)$/i;
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export function isClientSecretName(name: string): boolean {
  return CLIENT_SECRET_NAME.test(name);
}

/** Repositories (`org/repo`, lower case) an application's GitHub federated credentials name. */
function trustedRepositories(attrs: EntraApplicationAttributes): string[] {
  return attrs.federatedCredentials
    .filter((f) => f.issuer.replace(/\/+$/, '') === GITHUB_ISSUER && f.subject)
    .map((f) => /^repo:([^/:*]+\/[^/:*]+)/i.exec(f.subject!)?.[1]?.toLowerCase())
    .filter((r): r is string => !!r);
}

export function correlateActionsSecrets(inventory: Inventory): number {
  const appsByRepo = new Map<string, Identity[]>();
  for (const identity of inventory.identities) {
    if (!isEntraApplication(identity)) continue;
    for (const repo of new Set(trustedRepositories(applicationAttributes(identity)))) appsByRepo.set(repo, [...(appsByRepo.get(repo) ?? []), identity]);
  }
  if (!appsByRepo.size) return 0;
  let matched = 0;
  for (const credential of inventory.credentials) {
    if (!isGithub(credential, [KINDS.actionsSecret])) continue;
    const attrs = credential.attributes as GithubSecretAttributes;
    const secretName = credential.name.split('/').pop() ?? '';
    if (!attrs.repository || !isClientSecretName(secretName)) continue;
    const apps = appsByRepo.get(attrs.repository.toLowerCase()) ?? [];
    if (apps.length !== 1) continue;
    link(credential, apps[0]!, `${attrs.repository}:${secretName}`);
    matched++;
  }
  return matched;
}

function link(credential: Credential, app: Identity, where: string): void {
  const attrs = applicationAttributes(app);
  attrs.githubSecrets = [...new Set([...(attrs.githubSecrets ?? []), where])];
  credential.attributes.entraApplicationName = app.name;
  credential.attributes.entraAppId = attrs.appId;
  credential.attributes.entraOwners = attrs.owners.map((o) => o.userPrincipalName ?? o.displayName ?? o.id);
  credential.attributes.entraMatchedBy = 'github-repository-federation';
}
