/**
 * GitHub inventory builders for rule tests: each item has its kind's attribute contract (src/model/github.ts) with
 * plausible defaults; a test overrides the model fields and the attributes its rule reads.
 */
import { contractAttributes, type Credential, type Identity } from '../../src/model/index.js';
import { GITHUB_PROVIDER, KINDS, type GithubAttributesByKind, type GithubKind } from '../../src/model/github.js';
import { credential, identity } from './core.js';

export const TEST_ORG = 'acme';

/** Model fields to override, and the attributes the test cares about (merged over the kind's defaults). */
export type GithubSpec<T, K extends GithubKind> = Partial<Omit<T, 'attributes' | 'kind' | 'provider'>> & { attributes?: Partial<GithubAttributesByKind[K]> };

function githubCredential<K extends GithubKind>(kind: K, name: string, defaults: GithubAttributesByKind[K], spec: GithubSpec<Credential, K>): Credential {
  const { attributes, ...fields } = spec;
  return credential({
    provider: GITHUB_PROVIDER,
    kind,
    nativeId: name,
    name,
    scope: TEST_ORG,
    ...fields,
    attributes: contractAttributes({ ...defaults, ...attributes }),
  });
}

function githubIdentity<K extends GithubKind>(kind: K, name: string, defaults: GithubAttributesByKind[K], spec: GithubSpec<Identity, K>): Identity {
  const { attributes, ...fields } = spec;
  return identity({
    provider: GITHUB_PROVIDER,
    kind,
    nativeId: name,
    name,
    scope: TEST_ORG,
    status: 'active',
    ...fields,
    attributes: contractAttributes({ ...defaults, ...attributes }),
  });
}

/** A read-only deploy key of `acme/api` whose use GitHub tracks. */
export function deployKey(name: string, spec: GithubSpec<Credential, 'deploy-key'> = {}): Credential {
  const repository = `${TEST_ORG}/api`;
  return githubCredential(
    KINDS.deployKey,
    name,
    { org: TEST_ORG, repository, keyId: 1, readOnly: true, usageTracked: true, supportsExpiry: false },
    { scope: repository, ...spec },
  );
}

/** A repository Actions secret (pass `kind` and `attributes.store` for Dependabot or Codespaces). */
export function githubSecret(
  name: string,
  spec: GithubSpec<Credential, 'actions-secret'> & { kind?: (typeof KINDS)['actionsSecret' | 'dependabotSecret' | 'codespacesSecret'] } = {},
): Credential {
  const { kind = KINDS.actionsSecret, ...rest } = spec;
  return githubCredential(
    kind,
    name,
    { org: TEST_ORG, level: 'repository', store: 'actions', repository: `${TEST_ORG}/api`, usageTracked: false, supportsExpiry: false },
    rest,
  );
}

/** An Actions secret `name` of `repository` (of its `environment` when given) whose value was set at `setAt`. */
export function repositorySecret(
  repository: string,
  name: string,
  setAt: string,
  spec: { environment?: string; fields?: Partial<Omit<Credential, 'kind' | 'provider' | 'attributes'>> } = {},
): Credential {
  const nativeId = spec.environment ? `${repository}/environments/${spec.environment}/${name}` : `${repository}/${name}`;
  return githubSecret(name, {
    nativeId,
    name: spec.environment ? `${repository} (${spec.environment}) ${name}` : `${repository} ${name}`,
    scope: repository,
    createdAt: setAt,
    lastRotatedAt: setAt,
    ...spec.fields,
    attributes: { repository, level: spec.environment ? 'environment' : 'repository', ...(spec.environment ? { environment: spec.environment } : {}) },
  });
}

/** An organisation secret visible to `visibility` repositories. */
export function orgSecret(name: string, visibility: string, spec: GithubSpec<Credential, 'actions-secret'> = {}): Credential {
  return githubSecret(name, { ...spec, attributes: { level: 'organization', repository: undefined, visibility, ...spec.attributes } });
}

/** An approved fine-grained token on a subset of repositories, with no permissions unless given. */
export function finegrainedPat(name: string, spec: GithubSpec<Credential, 'fine-grained-pat'> & { pending?: boolean } = {}): Credential {
  const { pending = false, ...rest } = spec;
  const kind = pending ? KINDS.finegrainedPatRequest : KINDS.finegrainedPat;
  const defaults = {
    org: TEST_ORG,
    grantId: 1,
    tokenId: 1,
    tokenName: name,
    repositorySelection: 'subset',
    permissions: {},
    tokenExpired: false,
    usageTracked: true as const,
    supportsExpiry: true as const,
    ...(pending ? { pending } : {}),
  };
  return githubCredential(kind, name, defaults, { status: pending ? 'inactive' : 'active', ...rest });
}

/** A GitHub App installation on selected repositories, with no permissions unless given. */
export function appInstallation(appSlug: string, spec: GithubSpec<Identity, 'github-app-installation'> = {}): Identity {
  return githubIdentity(
    KINDS.appInstallation,
    `${appSlug} (installation 1)`,
    { org: TEST_ORG, installationId: 1, appId: 1, appSlug, repositorySelection: 'selected', permissions: {}, events: [] },
    spec,
  );
}

/** An active repository webhook with a secret and TLS verification on. */
export function webhook(name: string, spec: GithubSpec<Identity, 'webhook'> = {}): Identity {
  return githubIdentity(
    KINDS.webhook,
    name,
    {
      org: TEST_ORG,
      level: 'repository',
      repository: `${TEST_ORG}/web`,
      hookId: 1,
      active: true,
      events: ['push'],
      urlHost: 'hooks.example',
      secretSet: true,
      insecureSsl: false,
    },
    spec,
  );
}

/** The organisation's default GITHUB_TOKEN, read-only and unable to approve pull requests unless told otherwise. */
export function workflowToken(spec: GithubSpec<Identity, 'actions-workflow-token'> = {}): Identity {
  return githubIdentity(
    KINDS.workflowToken,
    `${TEST_ORG} default GITHUB_TOKEN`,
    { org: TEST_ORG, defaultWorkflowPermissions: 'read', canApprovePullRequestReviews: false, providerManaged: true },
    spec,
  );
}

/** An open secret-scanning alert in `acme/web`, validity unknown, not public, no bypass. */
export function secretScanningAlert(name: string, spec: GithubSpec<Credential, 'secret-scanning-alert'> = {}): Credential {
  const repository = `${TEST_ORG}/web`;
  const defaults = {
    org: TEST_ORG,
    repository,
    number: 1,
    secretType: 'github_personal_access_token',
    secretTypeDisplayName: 'GitHub Personal Access Token',
    publiclyLeaked: false,
    pushProtectionBypassed: false,
    usageTracked: false as const,
    supportsExpiry: false as const,
  };
  return githubCredential(KINDS.secretScanningAlert, name, defaults, { scope: repository, status: 'unknown', ...spec });
}
