/**
 * Remediation as commands: for each finding, the exact `aws`, `gcloud`, `az` or `gh` commands that
 * revoke, rotate or reassign the credential or identity involved, filled in with its names. Commands
 * are suggestions printed in the report: nhiscan never runs them (every nhiscan call only reads).
 *
 * A leaked secret matched to a live credential gets that credential's revoke commands. Placeholders
 * the scan cannot know are written in capitals (NEW_OWNER, ROLE).
 */
import { matchedCredentialOf } from '../lineage/graph.js';
import { storedSecretName } from '../lineage/stored-copies.js';
import type { Credential, Finding, Identity, Inventory } from '../model/index.js';

type Item = Identity | Credential;
type CommandsFor = (item: Item, finding: Finding) => string[];

const q = (value: unknown) => {
  const s = String(value ?? '');
  return /^[\w@./:+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
};
const attr = (item: Item, key: string) => item.attributes[key] as string | number | undefined;
const offboarding = (f: Finding) => f.category === 'improper-offboarding' || f.category === 'missing-owner';

const BY_KIND: Record<string, CommandsFor> = {
  'aws-access-key': (k, f) => {
    const user = q(attr(k, 'userName'));
    const id = q(attr(k, 'accessKeyId') ?? k.nativeId);
    if (offboarding(f)) return [`aws iam tag-user --user-name ${user} --tags Key=owner,Value=NEW_OWNER`];
    return [
      `aws iam create-access-key --user-name ${user}`,
      `aws iam update-access-key --user-name ${user} --access-key-id ${id} --status Inactive`,
      `aws iam delete-access-key --user-name ${user} --access-key-id ${id}`,
    ];
  },
  'iam-user': (i, f) =>
    offboarding(f)
      ? [`aws iam tag-user --user-name ${q(i.name)} --tags Key=owner,Value=NEW_OWNER`]
      : [`aws iam list-attached-user-policies --user-name ${q(i.name)}`, `aws iam detach-user-policy --user-name ${q(i.name)} --policy-arn POLICY_ARN`],
  'iam-role': (i, f) =>
    offboarding(f)
      ? [`aws iam tag-role --role-name ${q(i.name)} --tags Key=owner,Value=NEW_OWNER`]
      : [`aws iam list-attached-role-policies --role-name ${q(i.name)}`, `aws iam detach-role-policy --role-name ${q(i.name)} --policy-arn POLICY_ARN`],
  'gcp-service-account-key': (k) => {
    const email = q(attr(k, 'serviceAccountEmail'));
    const project = q(attr(k, 'projectId'));
    return [
      `gcloud iam service-accounts keys disable ${q(k.nativeId)} --iam-account=${email} --project=${project}`,
      `gcloud iam service-accounts keys delete ${q(k.nativeId)} --iam-account=${email} --project=${project}`,
    ];
  },
  'gcp-service-account': (i, f) => {
    const project = q(attr(i, 'projectId'));
    if (offboarding(f)) return [`gcloud iam service-accounts update ${q(i.name)} --project=${project} --description='owner=NEW_OWNER'`];
    const role = typeof f.evidence?.role === 'string' ? q(f.evidence.role) : 'ROLE';
    return [
      `gcloud projects remove-iam-policy-binding ${project} --member=serviceAccount:${q(i.name)} --role=${role}`,
      `gcloud iam service-accounts disable ${q(i.name)} --project=${project}`,
    ];
  },
  'entra-client-secret': (c) => [
    `az ad app credential delete --id ${q(attr(c, 'appId'))} --key-id ${q(attr(c, 'keyId'))}`,
    `az ad app credential reset --id ${q(attr(c, 'appId'))} --append --years 1`,
  ],
  'entra-certificate': (c) => [`az ad app credential delete --id ${q(attr(c, 'appId'))} --key-id ${q(attr(c, 'keyId'))} --cert`],
  'entra-application': (i, f) =>
    offboarding(f)
      ? [`az ad app owner add --id ${q(attr(i, 'appId'))} --owner-object-id NEW_OWNER_OBJECT_ID`]
      : [`az ad app permission list --id ${q(attr(i, 'appId'))}`],
  'entra-service-principal': (i, f) =>
    offboarding(f)
      ? [`az ad sp owner add --id ${q(attr(i, 'appId'))} --owner-object-id NEW_OWNER_OBJECT_ID`]
      : [`az ad sp update --id ${q(attr(i, 'appId'))} --set accountEnabled=false`],
  'deploy-key': (k) => [
    `gh api -X DELETE repos/${q(attr(k, 'repository'))}/keys/${q(attr(k, 'keyId'))}`,
    `gh repo deploy-key add NEW_KEY.pub --repo ${q(attr(k, 'repository'))}`,
  ],
  'actions-secret': (s) => setNewValue(s),
  'dependabot-secret': (s) => setNewValue(s),
  'codespaces-secret': (s) => setNewValue(s),
  'aws-secret': (s) => setNewValue(s),
  'keyvault-secret': (s, f) => {
    if (f.category === 'long-lived-credential')
      return [`az keyvault secret set-attributes --vault-name ${q(attr(s, 'vaultName'))} --name ${q(storedSecretName(s))} --expires YYYY-MM-DDT00:00:00Z`];
    return setNewValue(s);
  },
};

/** The command that puts a new value in one place a secret is stored (GitHub, Key Vault, Secrets Manager); none elsewhere. */
function setNewValue(s: Item): string[] {
  const name = q(storedSecretName(s));
  const app = s.kind === 'dependabot-secret' ? ' --app dependabot' : s.kind === 'codespaces-secret' ? ' --app codespaces' : '';
  if (s.kind === 'actions-secret' || s.kind === 'dependabot-secret' || s.kind === 'codespaces-secret') {
    const repo = attr(s, 'repository');
    const env = attr(s, 'environment');
    if (repo) return [`gh secret set ${name}${app} --repo ${q(repo)}${env ? ` --env ${q(env)}` : ''}`];
    return [`gh secret set ${name}${app} --org ${q(attr(s, 'org'))} --visibility selected --repos REPO`];
  }
  if (s.kind === 'keyvault-secret') return [`az keyvault secret set --vault-name ${q(attr(s, 'vaultName'))} --name ${name} --file NEW_VALUE_FILE`];
  if (s.kind === 'aws-secret')
    return [`aws secretsmanager put-secret-value --secret-id ${q(attr(s, 'arn') ?? s.nativeId)} --secret-string file://NEW_VALUE_FILE`];
  return [];
}

/**
 * A reused secret: rotate the shared credential (its own commands), then give each place it is kept a value of
 * its own. The places are the finding's `evidence.credentialIds` (set by the reuse rule).
 */
function reuseCommands(finding: Finding, items: Map<string, Item>, own: string[]): string[] {
  const ids = Array.isArray(finding.evidence?.credentialIds) ? (finding.evidence.credentialIds as unknown[]) : [];
  const perPlace = ids.flatMap((id) => {
    const item = typeof id === 'string' ? items.get(id) : undefined;
    return item ? setNewValue(item) : [];
  });
  return [...new Set([...own, ...perPlace])];
}

/** The commands for one finding, or none when its resource kind has no command table. */
export function commandsFor(finding: Finding, items: Map<string, Item>): string[] {
  const item = items.get(finding.resource.id);
  if (!item) return [];
  const credential = 'secret' in item && item.secret ? item : undefined;
  // A leaked copy is fixed at its live credential: revoke that, wherever the copy was found.
  const matchedId = credential ? matchedCredentialOf(credential) : undefined;
  const target = matchedId ? (items.get(matchedId) ?? item) : item;
  const own = BY_KIND[target.kind]?.(target, finding) ?? [];
  return finding.category === 'reuse' ? reuseCommands(finding, items, own) : own;
}

export function addRemediationCommands(findings: Finding[], inventory: Inventory): void {
  const items = new Map<string, Item>([...inventory.identities, ...inventory.credentials].map((x) => [x.id, x]));
  for (const finding of findings) {
    const commands = commandsFor(finding, items);
    if (commands.length) finding.remediationCommands = commands;
  }
}
