/**
 * The pure normaliser: GithubOrgSnapshot (raw API objects) → nhiscan inventory. No I/O, no clock:
 * the live connector and the snapshot importer both end here, so they cannot disagree.
 */
import type { CollectResult } from '../../src/plugin.js';
import {
  contractAttributes,
  makeId,
  personId,
  type Credential,
  type Grant,
  type Identity,
  type Location,
  type Owner,
  type Person,
} from '../../src/model/index.js';
import { toIsoDate } from '../../src/time.js';
import type { GithubOrgSnapshot, GithubRepoSnapshot, Raw } from './snapshot.js';
import { defaultOwners, ownerFromCodeownersToken, ownersForPath, parseCodeowners, type CodeownersEntry } from './codeowners.js';
import {
  GITHUB_PROVIDER,
  KINDS,
  type AppInstallationAttributes,
  type DeployKeyAttributes,
  type FinegrainedPatAttributes,
  type GithubSecretAttributes,
  type SecretScanningAlertAttributes,
  type WebhookAttributes,
  type WorkflowTokenAttributes,
} from '../../src/model/github.js';

/** A representative workflow file: secrets are consumed by workflows, so their owners own the secrets. */
const WORKFLOW_PATH = '.github/workflows/workflow.yml';

interface RepoOwnership {
  entries: CodeownersEntry[];
  defaults: string[];
}

function ownership(repo: GithubRepoSnapshot): RepoOwnership {
  const entries = repo.codeowners ? parseCodeowners(repo.codeowners.text) : [];
  return { entries, defaults: defaultOwners(entries) };
}

function codeownersOwner(owners: string[]): Owner | undefined {
  return owners[0] ? ownerFromCodeownersToken(owners[0]) : undefined;
}

function repoFullName(repo: Raw, org: string): string {
  return String(repo.full_name ?? `${org}/${repo.name}`);
}

function levelOf(value: string | undefined): Grant['level'] {
  if (value === 'admin') return 'admin';
  if (value === 'write') return 'write';
  if (value === 'read') return 'read';
  return undefined;
}

function insecureSsl(value: unknown): boolean {
  return value === '1' || value === 1 || value === true;
}

function urlHost(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

export function normaliseSnapshot(snapshot: GithubOrgSnapshot, source: string): CollectResult {
  const org = snapshot.org;
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const ownershipByRepo = new Map<string, RepoOwnership>();

  for (const repoSnap of snapshot.repos) {
    const full = repoFullName(repoSnap.repo, org);
    const own = ownership(repoSnap);
    ownershipByRepo.set(full, own);
    const repo: RepoContext = { org, full, own, source };
    credentials.push(...(repoSnap.deployKeys ?? []).map((key) => deployKeyCredential(key, repo)));
    credentials.push(...repoSecretCredentials(repoSnap, repo));
    for (const hook of repoSnap.hooks ?? [])
      identities.push(webhookIdentity(hook, org, 'repository', full, codeownersOwner(own.defaults), own.defaults, source));
    // A repository's own token defaults matter only where they differ from the organisation's (e.g. write under a read org).
    if (repoSnap.workflowPermissions && !sameWorkflowPermissions(repoSnap.workflowPermissions, snapshot.workflowPermissions))
      identities.push(workflowTokenIdentity(repoSnap.workflowPermissions, org, source, full));
  }

  credentials.push(...orgSecretCredentials(snapshot, source));
  for (const hook of snapshot.orgHooks ?? []) identities.push(webhookIdentity(hook, org, 'organization', undefined, undefined, [], source));
  for (const inst of snapshot.installations ?? []) identities.push(installationIdentity(inst, org, source));
  for (const grant of snapshot.patGrants ?? []) credentials.push(patCredential(grant, org, false, snapshot.patGrantRepos?.[String(grant.id)], source));
  for (const request of snapshot.patRequests ?? []) credentials.push(patCredential(request, org, true, snapshot.patRequestRepos?.[String(request.id)], source));
  if (snapshot.workflowPermissions) identities.push(workflowTokenIdentity(snapshot.workflowPermissions, org, source));
  for (const alert of snapshot.secretScanningAlerts ?? []) credentials.push(alertCredential(alert, snapshot, ownershipByRepo, source));

  const notCovered = [...snapshot.notCovered];
  const stats: Record<string, number> = {
    repositories: snapshot.repos.length,
    repositoriesSkipped: snapshot.skippedRepos?.length ?? 0,
    identities: identities.length,
    credentials: credentials.length,
  };
  const people = peopleOfOrg(snapshot, source);
  if (people.length) stats.people = people.length;
  return { identities, credentials, ...(people.length ? { people } : {}), notCovered, stats, status: notCovered.length ? 'partial' : 'ok' };
}

/**
 * Organisation members and outside collaborators as people (never identities), known by login. Being
 * listed means the account still has access: whether its holder is still employed is the people
 * directory's to say, and a directory that lists the login joins them.
 */
function peopleOfOrg(snapshot: GithubOrgSnapshot, source: string): Person[] {
  const users = [
    ...(Array.isArray(snapshot.members) ? snapshot.members : []),
    ...(Array.isArray(snapshot.outsideCollaborators) ? snapshot.outsideCollaborators : []),
  ];
  const seen = new Set<string>();
  const people: Person[] = [];
  for (const user of users) {
    const login = typeof user?.login === 'string' ? user.login.toLowerCase() : '';
    if (!login || user.type === 'Bot' || seen.has(login)) continue;
    seen.add(login);
    people.push({ id: personId(login), aliases: [login], status: 'active', sources: [source] });
  }
  return people;
}

/** What every repository-level item is built from. */
interface RepoContext {
  org: string;
  full: string;
  own: RepoOwnership;
  source: string;
}

/** An Actions, Dependabot or Codespaces secret: setting its value again is how it is rotated. */
function secretCredential(
  kind: string,
  raw: Raw,
  nativeId: string,
  scope: string,
  attributes: GithubSecretAttributes,
  owner: Owner | undefined,
  source: string,
): Credential {
  return {
    id: makeId(GITHUB_PROVIDER, kind, nativeId),
    provider: GITHUB_PROVIDER,
    kind,
    nativeId,
    name: attributes.environment ? `${scope} (${attributes.environment}) ${raw.name}` : `${scope} ${raw.name}`,
    scope,
    owner,
    tags: {},
    createdAt: toIsoDate(raw.created_at),
    // Setting a secret's value again is how it is rotated: `updated_at` is the last rotation.
    lastRotatedAt: toIsoDate(raw.updated_at) ?? toIsoDate(raw.created_at),
    status: 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}

function deployKeyCredential(key: Raw, { org, full, own, source }: RepoContext): Credential {
  const nativeId = `${full}/${key.id}`;
  const attributes: DeployKeyAttributes = {
    org,
    repository: full,
    keyId: Number(key.id),
    // Only an explicit `true` is read-only: anything else may be writable (the riskier reading).
    readOnly: key.read_only === true,
    verified: key.verified,
    enabled: key.enabled,
    addedBy: key.added_by ?? undefined,
    usageTracked: 'last_used' in key,
    supportsExpiry: false,
    codeowners: own.defaults.length ? own.defaults : undefined,
  };
  const owner: Owner | undefined = key.added_by ? { id: String(key.added_by), kind: 'user', source: 'added_by' } : codeownersOwner(own.defaults);
  return {
    id: makeId(GITHUB_PROVIDER, KINDS.deployKey, nativeId),
    provider: GITHUB_PROVIDER,
    kind: KINDS.deployKey,
    nativeId,
    name: `${full} ${key.title ?? key.id}`,
    scope: full,
    owner,
    tags: {},
    createdAt: toIsoDate(key.created_at),
    lastUsedAt: toIsoDate(key.last_used),
    status: key.enabled === false ? 'inactive' : 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}

/** Repository and environment Actions secrets, owned by whoever owns the workflows that consume them. */
function repoSecretCredentials(repoSnap: GithubRepoSnapshot, { org, full, own, source }: RepoContext): Credential[] {
  const workflowOwners = ownersForPath(own.entries, WORKFLOW_PATH);
  const owner = codeownersOwner(workflowOwners) ?? codeownersOwner(own.defaults);
  const codeowners = workflowOwners.length ? workflowOwners : own.defaults.length ? own.defaults : undefined;
  // Keys in this order: the attributes are written to reports as they are built.
  const attributes = (level: 'repository' | 'environment', environment?: string): GithubSecretAttributes => ({
    org,
    level,
    store: 'actions',
    repository: full,
    ...(environment === undefined ? {} : { environment }),
    usageTracked: false,
    supportsExpiry: false,
    codeowners,
  });
  const repoLevel = (repoSnap.actionsSecrets ?? []).map((raw) =>
    secretCredential(KINDS.actionsSecret, raw, `${full}/${raw.name}`, full, attributes('repository'), owner, source),
  );
  const environmentLevel = Object.entries(repoSnap.environmentSecrets ?? {}).flatMap(([environment, secrets]) =>
    secrets.map((raw) =>
      secretCredential(
        KINDS.actionsSecret,
        raw,
        `${full}/environments/${environment}/${raw.name}`,
        full,
        attributes('environment', environment),
        owner,
        source,
      ),
    ),
  );
  return [...repoLevel, ...environmentLevel];
}

function orgSecretCredentials(snapshot: GithubOrgSnapshot, source: string): Credential[] {
  const org = snapshot.org;
  const orgSecretSets: [string, GithubSecretAttributes['store'], Raw[] | undefined, Record<string, string[]> | undefined][] = [
    [KINDS.actionsSecret, 'actions', snapshot.orgActionsSecrets, snapshot.orgActionsSecretRepos],
    [KINDS.dependabotSecret, 'dependabot', snapshot.dependabotSecrets, snapshot.dependabotSecretRepos],
    [KINDS.codespacesSecret, 'codespaces', snapshot.codespacesSecrets, snapshot.codespacesSecretRepos],
  ];
  return orgSecretSets.flatMap(([kind, store, secrets, selected]) =>
    (secrets ?? []).map((raw) =>
      secretCredential(
        kind,
        raw,
        `${org}/${raw.name}`,
        org,
        {
          org,
          level: 'organization',
          store,
          visibility: raw.visibility,
          selectedRepositories: selected?.[raw.name],
          usageTracked: false,
          supportsExpiry: false,
        },
        undefined,
        source,
      ),
    ),
  );
}

/** Where a secret-scanning alert's secret was found: files, so CODEOWNERS can name who answers for it. */
function alertLocations(rawLocations: Raw[], full: string, source: string): Location[] {
  return rawLocations
    .filter((l) => typeof l.details?.path === 'string')
    .map((l) => ({
      source,
      repository: full,
      path: String(l.details.path).replace(/^\/+/, ''),
      line: typeof l.details.start_line === 'number' ? l.details.start_line : undefined,
      column: typeof l.details.start_column === 'number' ? l.details.start_column : undefined,
      commit: l.details.commit_sha,
    }));
}

function alertCredential(alert: Raw, snapshot: GithubOrgSnapshot, ownershipByRepo: Map<string, RepoOwnership>, source: string): Credential {
  const org = snapshot.org;
  const full = String(alert.repository?.full_name ?? `${org}/unknown`);
  const own = ownershipByRepo.get(full);
  const key = `${full}#${alert.number}`;
  const locations = alertLocations(snapshot.secretScanningLocations?.[key] ?? [], full, source);
  const fileOwners = own && locations[0] ? ownersForPath(own.entries, locations[0].path) : [];
  const owners = fileOwners.length ? fileOwners : (own?.defaults ?? []);
  const attributes: SecretScanningAlertAttributes = {
    org,
    repository: full,
    number: Number(alert.number),
    secretType: String(alert.secret_type ?? 'unknown'),
    secretTypeDisplayName: alert.secret_type_display_name ?? undefined,
    validity: alert.validity ?? undefined,
    publiclyLeaked: alert.publicly_leaked === true,
    pushProtectionBypassed: alert.push_protection_bypassed === true,
    pushProtectionBypassedBy: alert.push_protection_bypassed_by?.login ?? undefined,
    multiRepo: alert.multi_repo ?? undefined,
    alertCreatedAt: toIsoDate(alert.created_at),
    htmlUrl: alert.html_url ?? undefined,
    usageTracked: false,
    supportsExpiry: false,
    codeowners: owners.length ? owners : undefined,
  };
  return {
    id: makeId(GITHUB_PROVIDER, KINDS.secretScanningAlert, key),
    provider: GITHUB_PROVIDER,
    kind: KINDS.secretScanningAlert,
    nativeId: key,
    name: `${key} ${alert.secret_type_display_name ?? alert.secret_type ?? 'secret'}`,
    scope: full,
    owner: codeownersOwner(owners),
    tags: {},
    // The alert's own dates stay in attributes: a leak is judged as a leak, not by the rotation/usage rules.
    status: alert.validity === 'active' ? 'active' : alert.validity === 'inactive' ? 'inactive' : 'unknown',
    locations: locations.length ? locations : undefined,
    attributes: contractAttributes(attributes),
    source,
  };
}

function webhookIdentity(
  hook: Raw,
  org: string,
  level: WebhookAttributes['level'],
  repository: string | undefined,
  owner: Owner | undefined,
  codeowners: string[],
  source: string,
): Identity {
  const scope = repository ?? org;
  const nativeId = `${scope}/hooks/${hook.id}`;
  const config = (hook.config ?? {}) as Raw;
  const host = urlHost(config.url);
  const events: string[] = Array.isArray(hook.events) ? hook.events.map(String) : [];
  const attributes: WebhookAttributes = {
    org,
    level,
    repository,
    hookId: Number(hook.id),
    active: hook.active !== false,
    events,
    urlHost: host,
    // The collector replaces `config.secret` by `secret_set`; a raw object straight from the API has the mask.
    secretSet: config.secret_set === true || (typeof config.secret === 'string' && config.secret.length > 0),
    insecureSsl: insecureSsl(config.insecure_ssl),
    contentType: config.content_type,
    createdAt: toIsoDate(hook.created_at),
    updatedAt: toIsoDate(hook.updated_at),
    codeowners: codeowners.length ? codeowners : undefined,
  };
  return {
    id: makeId(GITHUB_PROVIDER, KINDS.webhook, nativeId),
    provider: GITHUB_PROVIDER,
    kind: KINDS.webhook,
    nativeId,
    name: `${scope} webhook → ${host ?? 'unknown host'}`,
    scope,
    owner,
    tags: {},
    grants: [{ resource: scope, actions: events.map((e) => `event:${e}`), level: 'read', via: `webhook ${hook.id}` }],
    createdAt: toIsoDate(hook.created_at),
    status: hook.active === false ? 'inactive' : 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}

function installationIdentity(inst: Raw, org: string, source: string): Identity {
  const nativeId = `${org}/installations/${inst.id}`;
  const permissions = (inst.permissions ?? {}) as Record<string, string>;
  const resource = inst.repository_selection === 'all' ? `${org}/*` : `${org}/(selected repositories)`;
  const attributes: AppInstallationAttributes = {
    org,
    installationId: Number(inst.id),
    appId: Number(inst.app_id),
    appSlug: String(inst.app_slug ?? inst.app_id),
    repositorySelection: String(inst.repository_selection ?? 'unknown'),
    permissions,
    events: Array.isArray(inst.events) ? inst.events.map(String) : [],
    suspendedAt: toIsoDate(inst.suspended_at),
    suspendedBy: inst.suspended_by?.login ?? undefined,
    targetType: inst.target_type ?? undefined,
  };
  return {
    id: makeId(GITHUB_PROVIDER, KINDS.appInstallation, nativeId),
    provider: GITHUB_PROVIDER,
    kind: KINDS.appInstallation,
    nativeId,
    name: `${attributes.appSlug} (installation ${inst.id})`,
    scope: org,
    tags: {},
    grants: Object.entries(permissions).map(([permission, level]) => ({
      resource,
      actions: [`${permission}:${level}`],
      effect: 'allow' as const,
      level: levelOf(level),
      via: `installation ${inst.id}`,
    })),
    createdAt: toIsoDate(inst.created_at),
    status: inst.suspended_at ? 'suspended' : 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}

function patCredential(raw: Raw, org: string, pending: boolean, repositories: string[] | undefined, source: string): Credential {
  const kind = pending ? KINDS.finegrainedPatRequest : KINDS.finegrainedPat;
  const nativeId = `${org}/${pending ? 'requests' : 'grants'}/${raw.id}`;
  const login = raw.owner?.login as string | undefined;
  const attributes: FinegrainedPatAttributes = {
    org,
    grantId: Number(raw.id),
    tokenId: Number(raw.token_id),
    tokenName: String(raw.token_name ?? ''),
    ownerLogin: login,
    repositorySelection: String(raw.repository_selection ?? 'unknown'),
    repositories,
    permissions: raw.permissions ?? {},
    grantedAt: toIsoDate(raw.access_granted_at ?? raw.created_at),
    tokenExpired: raw.token_expired === true,
    pending: pending || undefined,
    reason: pending ? (raw.reason ?? null) : undefined,
    usageTracked: true,
    supportsExpiry: true,
  };
  return {
    id: makeId(GITHUB_PROVIDER, kind, nativeId),
    provider: GITHUB_PROVIDER,
    kind,
    nativeId,
    name: `${raw.token_name || `token ${raw.token_id}`} (${login ?? 'unknown owner'})`,
    scope: org,
    owner: login ? { id: login, kind: 'user', source: 'token-owner' } : undefined,
    tags: {},
    // No `createdAt`: GitHub gives the grant date, not the token's, and a fine-grained token is judged by its
    // expiry (long-lived rule), not by the neutral rotation rule.
    lastUsedAt: toIsoDate(raw.token_last_used_at),
    expiresAt: toIsoDate(raw.token_expires_at),
    status: raw.token_expired === true ? 'expired' : pending ? 'inactive' : 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}

function sameWorkflowPermissions(repo: Raw, org: Raw | undefined): boolean {
  return (
    !!org &&
    repo.default_workflow_permissions === org.default_workflow_permissions &&
    repo.can_approve_pull_request_reviews === org.can_approve_pull_request_reviews
  );
}

/** The GITHUB_TOKEN every workflow run gets: a GitHub-managed identity whose default rights the org (or one repository) sets. */
function workflowTokenIdentity(raw: Raw, org: string, source: string, repository?: string): Identity {
  const attributes: WorkflowTokenAttributes = {
    org,
    ...(repository ? { repository } : {}),
    defaultWorkflowPermissions: String(raw.default_workflow_permissions ?? 'unknown'),
    canApprovePullRequestReviews: raw.can_approve_pull_request_reviews === true,
    providerManaged: true,
  };
  const write = attributes.defaultWorkflowPermissions === 'write';
  return {
    id: makeId(GITHUB_PROVIDER, KINDS.workflowToken, repository ?? org),
    provider: GITHUB_PROVIDER,
    kind: KINDS.workflowToken,
    nativeId: repository ?? org,
    name: `${repository ?? org} default GITHUB_TOKEN`,
    scope: repository ?? org,
    tags: {},
    grants: [
      {
        resource: repository ?? `${org}/*`,
        actions: write ? ['contents:write', 'packages:write', 'pull_requests:write', 'issues:write'] : ['contents:read', 'packages:read'],
        level: write ? 'write' : 'read',
        via: repository ? 'repository workflow permissions' : 'organization default workflow permissions',
      },
    ],
    status: 'active',
    attributes: contractAttributes(attributes),
    source,
  };
}
