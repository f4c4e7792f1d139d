/**
 * Builders for GitHub API objects in their full documented shape (every field the OpenAPI description
 * marks required), so the emulator's responses validate against @octokit/openapi. Compact inputs in,
 * complete API objects out.
 */
export type Raw = Record<string, any>;

export const API = 'https://api.github.com';
const WEB = 'https://github.com';

let nextId = 1000;
const id = () => nextId++;

export function simpleUser(login: string, type: 'User' | 'Organization' | 'Bot' = 'User'): Raw {
  const uid = Math.abs([...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
  const u = `${API}/users/${login}`;
  return {
    name: null,
    email: null,
    login,
    id: uid,
    node_id: `U_${uid}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${uid}?v=4`,
    gravatar_id: '',
    url: u,
    html_url: `${WEB}/${login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    site_admin: false,
  };
}

export function organization(login: string): Raw {
  const u = `${API}/orgs/${login}`;
  return {
    login,
    id: 4242,
    node_id: 'O_4242',
    url: u,
    repos_url: `${u}/repos`,
    events_url: `${u}/events`,
    hooks_url: `${u}/hooks`,
    issues_url: `${u}/issues`,
    members_url: `${u}/members{/member}`,
    public_members_url: `${u}/public_members{/member}`,
    avatar_url: 'https://avatars.githubusercontent.com/u/4242?v=4',
    description: `${login} (emulated)`,
    html_url: `${WEB}/${login}`,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    type: 'Organization',
    created_at: '2019-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    archived_at: null,
  };
}

export function minimalRepository(org: string, name: string, opts: { archived?: boolean; private?: boolean } = {}): Raw {
  const full = `${org}/${name}`;
  const r = `${API}/repos/${full}`;
  const rid = id();
  return {
    id: rid,
    node_id: `R_${rid}`,
    name,
    full_name: full,
    owner: simpleUser(org, 'Organization'),
    private: opts.private ?? true,
    html_url: `${WEB}/${full}`,
    description: null,
    fork: false,
    url: r,
    archive_url: `${r}/{archive_format}{/ref}`,
    assignees_url: `${r}/assignees{/user}`,
    blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`,
    commits_url: `${r}/commits{/sha}`,
    compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`,
    contributors_url: `${r}/contributors`,
    deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`,
    events_url: `${r}/events`,
    forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`,
    keys_url: `${r}/keys{/key_id}`,
    labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`,
    merges_url: `${r}/merges`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${r}/stargazers`,
    statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    tags_url: `${r}/tags`,
    teams_url: `${r}/teams`,
    trees_url: `${r}/git/trees{/sha}`,
    clone_url: `${WEB}/${full}.git`,
    hooks_url: `${r}/hooks`,
    default_branch: 'main',
    archived: opts.archived ?? false,
    disabled: false,
    visibility: opts.private === false ? 'public' : 'private',
    pushed_at: '2026-10-01T00:00:00Z',
    created_at: '2022-01-01T00:00:00Z',
    updated_at: '2026-10-01T00:00:00Z',
  };
}

export function deployKey(
  full: string,
  opts: { title: string; readOnly: boolean; createdAt: string; lastUsed?: string | null; addedBy?: string | null; enabled?: boolean },
): Raw {
  const kid = id();
  return {
    id: kid,
    // A public key: not secret, and built here rather than committed.
    key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'E'.repeat(43)}`,
    url: `${API}/repos/${full}/keys/${kid}`,
    title: opts.title,
    verified: true,
    created_at: opts.createdAt,
    read_only: opts.readOnly,
    added_by: opts.addedBy ?? null,
    last_used: opts.lastUsed ?? null,
    enabled: opts.enabled ?? true,
  };
}

export function repoSecret(name: string, createdAt: string, updatedAt = createdAt): Raw {
  return { name, created_at: createdAt, updated_at: updatedAt };
}

export function orgSecret(
  org: string,
  store: 'actions' | 'dependabot' | 'codespaces',
  name: string,
  visibility: 'all' | 'private' | 'selected',
  createdAt: string,
  updatedAt = createdAt,
): Raw {
  return {
    name,
    created_at: createdAt,
    updated_at: updatedAt,
    visibility,
    selected_repositories_url: `${API}/orgs/${org}/${store}/secrets/${name}/repositories`,
  };
}

export function environment(full: string, name: string): Raw {
  const eid = id();
  return {
    id: eid,
    node_id: `EN_${eid}`,
    name,
    url: `${API}/repos/${full}/environments/${name}`,
    html_url: `${WEB}/${full}/deployments/activity_log?environments_filter=${name}`,
    created_at: '2023-01-01T00:00:00Z',
    updated_at: '2023-01-01T00:00:00Z',
    protection_rules: [],
    deployment_branch_policy: null,
  };
}

export function hook(
  scope: { org: string } | { full: string },
  opts: { url: string; events: string[]; secret: boolean; insecureSsl?: boolean; active?: boolean },
): Raw {
  const hid = id();
  const base = 'full' in scope ? `${API}/repos/${scope.full}/hooks/${hid}` : `${API}/orgs/${scope.org}/hooks/${hid}`;
  const config: Raw = { url: opts.url, content_type: 'json', insecure_ssl: opts.insecureSsl ? '1' : '0' };
  if (opts.secret) config.secret = '********'; // GitHub masks a configured secret
  const common: Raw = {
    id: hid,
    url: base,
    ping_url: `${base}/pings`,
    deliveries_url: `${base}/deliveries`,
    name: 'web',
    events: opts.events,
    active: opts.active ?? true,
    config,
    updated_at: '2024-01-01T00:00:00Z',
    created_at: '2023-01-01T00:00:00Z',
    type: 'full' in scope ? 'Repository' : 'Organization',
  };
  if ('full' in scope) {
    common.test_url = `${base}/test`;
    common.last_response = { code: 200, status: 'active', message: 'OK' };
  }
  return common;
}

export function installation(
  org: string,
  opts: {
    slug: string;
    selection: 'all' | 'selected';
    permissions: Record<string, string>;
    createdAt?: string;
    suspendedAt?: string | null;
    suspendedBy?: string;
  },
): Raw {
  const iid = id();
  return {
    id: iid,
    account: simpleUser(org, 'Organization'),
    repository_selection: opts.selection,
    access_tokens_url: `${API}/app/installations/${iid}/access_tokens`,
    repositories_url: `${API}/installation/repositories`,
    html_url: `${WEB}/organizations/${org}/settings/installations/${iid}`,
    app_id: iid + 50_000,
    client_id: `Iv1.${iid}`,
    target_id: 4242,
    target_type: 'Organization',
    permissions: opts.permissions,
    events: ['push'],
    created_at: opts.createdAt ?? '2024-02-01T00:00:00Z',
    updated_at: opts.createdAt ?? '2024-02-01T00:00:00Z',
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    app_slug: opts.slug,
    suspended_by: opts.suspendedAt ? simpleUser(opts.suspendedBy ?? 'org-admin') : null,
    suspended_at: opts.suspendedAt ?? null,
    contact_email: null,
  };
}

export interface PatSpec {
  owner: string;
  name: string;
  selection: 'all' | 'subset' | 'none';
  permissions: { organization?: Record<string, string>; repository?: Record<string, string>; other?: Record<string, string> };
  grantedAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  expired?: boolean;
}

export function patGrant(org: string, spec: PatSpec): Raw {
  const gid = id();
  return {
    id: gid,
    owner: simpleUser(spec.owner),
    repository_selection: spec.selection,
    repositories_url: `${API}/orgs/${org}/personal-access-tokens/${gid}/repositories`,
    permissions: spec.permissions,
    access_granted_at: spec.grantedAt,
    token_id: gid + 90_000,
    token_name: spec.name,
    token_expired: spec.expired ?? false,
    token_expires_at: spec.expiresAt,
    token_last_used_at: spec.lastUsedAt,
  };
}

export function patRequest(org: string, spec: PatSpec & { reason: string | null }): Raw {
  const rid = id();
  return {
    id: rid,
    reason: spec.reason,
    owner: simpleUser(spec.owner),
    repository_selection: spec.selection,
    repositories_url: `${API}/orgs/${org}/personal-access-token-requests/${rid}/repositories`,
    permissions: spec.permissions,
    created_at: spec.grantedAt,
    token_id: rid + 90_000,
    token_name: spec.name,
    token_expired: spec.expired ?? false,
    token_expires_at: spec.expiresAt,
    token_last_used_at: spec.lastUsedAt,
  };
}

export function secretScanningAlert(
  repo: Raw,
  opts: {
    number: number;
    secretType: string;
    displayName: string;
    secret: string;
    validity: 'active' | 'inactive' | 'unknown';
    publiclyLeaked?: boolean;
    bypassedBy?: string;
  },
): Raw {
  const full = repo.full_name as string;
  return {
    number: opts.number,
    created_at: '2026-06-01T10:00:00Z',
    updated_at: '2026-06-01T10:00:00Z',
    url: `${API}/repos/${full}/secret-scanning/alerts/${opts.number}`,
    html_url: `${WEB}/${full}/security/secret-scanning/${opts.number}`,
    locations_url: `${API}/repos/${full}/secret-scanning/alerts/${opts.number}/locations`,
    state: 'open',
    resolution: null,
    resolved_at: null,
    resolved_by: null,
    secret_type: opts.secretType,
    secret_type_display_name: opts.displayName,
    provider: 'GitHub',
    provider_slug: 'github',
    secret: opts.secret,
    repository: repo,
    push_protection_bypassed: !!opts.bypassedBy,
    push_protection_bypassed_by: opts.bypassedBy ? simpleUser(opts.bypassedBy) : null,
    push_protection_bypassed_at: opts.bypassedBy ? '2026-06-01T09:59:00Z' : null,
    resolution_comment: null,
    validity: opts.validity,
    publicly_leaked: opts.publiclyLeaked ?? false,
    multi_repo: false,
    is_base64_encoded: false,
    has_more_locations: false,
  };
}

export function commitLocation(full: string, path: string, line: number): Raw {
  const sha = 'af5626b4a114abcb82d63db7c8082c3c4756e51b';
  return {
    type: 'commit',
    details: {
      path,
      start_line: line,
      end_line: line,
      start_column: 10,
      end_column: 50,
      blob_sha: sha,
      blob_url: `${API}/repos/${full}/git/blobs/${sha}`,
      commit_sha: sha,
      commit_url: `${API}/repos/${full}/git/commits/${sha}`,
    },
  };
}

export function contentFile(full: string, path: string, text: string): Raw {
  const sha = '3d21ec53a331a6f037a91c368710b99387d012c1';
  const u = `${API}/repos/${full}/contents/${path}?ref=main`;
  const html = `${WEB}/${full}/blob/main/${path}`;
  const git = `${API}/repos/${full}/git/blobs/${sha}`;
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(text),
    name: path.split('/').pop(),
    path,
    content: Buffer.from(text, 'utf8').toString('base64'),
    sha,
    url: u,
    git_url: git,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${full}/main/${path}`,
    _links: { git, html, self: u },
  };
}
