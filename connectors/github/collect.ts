/**
 * The live collector: reads an organisation through the REST API into a GithubOrgSnapshot (raw objects).
 * Read-only (GET only; the App token exchange is the one POST, done by @octokit/auth-app), paginated
 * everywhere, bounded by p-limit. An endpoint that answers 403/404 marks its part as not covered with
 * the reason; it never aborts the source.
 */
import pLimit from 'p-limit';
import picomatch from 'picomatch';
import type { SourceError } from '../../src/plugin.js';
import { redactText } from '../../src/redact.js';
import type { GithubClientInstance } from './client.js';
import { CODEOWNERS_PATHS } from './codeowners.js';
import { isTransportError } from './transport.js';
import {
  SNAPSHOT_MARKER,
  SNAPSHOT_VERSION,
  stripAlertSecret,
  stripHookSecret,
  type GithubOrgSnapshot,
  type GithubRepoSnapshot,
  type NotCoveredPart,
  type Raw,
} from './snapshot.js';

/** The throttling plugin lets one client run 10 requests at once; more would only queue there. */
export const DEFAULT_CONCURRENCY = 10;

export interface CollectOptions {
  org: string;
  /** Requests in flight at once (the throttling plugin caps a client at 10). */
  concurrency?: number;
  /** Globs on the repository name or full name; none = every repository. */
  repoFilters?: string[];
  includeArchived?: boolean;
  authKind?: 'token' | 'app' | 'none';
  apiUrl?: string;
  progress?: (message: string) => void;
  now?: Date;
}

export interface CollectOutcome {
  snapshot: GithubOrgSnapshot;
  errors: SourceError[];
  requests: number;
}

/** Why a part could not be read, with the permission that would open it. */
const PERMISSION_HINTS: Record<string, string> = {
  'deploy keys': 'needs repository Administration: read (App / fine-grained token) or a classic token with repo scope and admin rights',
  'repository Actions secrets': 'needs repository Secrets: read (App / fine-grained token) or repo scope',
  environments: 'needs repository Actions: read or Environments: read',
  'environment secrets': 'needs repository Environments: read / Secrets: read',
  'repository webhooks': 'needs repository Webhooks: read or admin:repo_hook scope',
  CODEOWNERS: 'needs repository Contents: read',
  'organization Actions secrets': 'needs organization Secrets: read or admin:org scope',
  'Dependabot organization secrets': 'needs organization Dependabot secrets: read or admin:org scope',
  'Codespaces organization secrets': 'needs organization Codespaces secrets: read or admin:org scope',
  'App installations': 'needs organization Administration: read or read:org scope as an owner',
  'fine-grained token grants': 'answers only to a GitHub App installation token with organization Personal access tokens: read',
  'fine-grained token requests': 'answers only to a GitHub App installation token with organization Personal access token requests: read',
  'organization webhooks': 'needs organization Webhooks: read or admin:org_hook scope',
  'default workflow permissions': 'needs organization Administration: read or admin:org scope',
  'secret-scanning alerts': 'needs organization Secret scanning alerts: read, and secret scanning enabled (GitHub Advanced Security on private repositories)',
};

interface HttpError {
  status?: number;
  message?: string;
  cause?: unknown;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as HttpError)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A short, secret-free explanation of an HTTP error. */
function describe(error: unknown): string {
  // A timeout or malformed body: Octokit wraps it as an HTTP 500 it never received; say what happened.
  const cause = (error as HttpError)?.cause;
  if (isTransportError(cause)) return redactText(cause.message);
  const status = statusOf(error);
  const message = redactText(String((error as HttpError)?.message ?? error))
    .split('\n')[0]!
    .replace(/ - https?:\/\/\S*docs\S*$/, '') // Octokit appends the documentation URL
    .replace(/^\s*<.*/s, 'an HTML error page instead of JSON') // a proxy's or load balancer's page
    .slice(0, 200);
  return status ? `HTTP ${status}: ${message}` : message;
}

export async function collectSnapshot(octokit: GithubClientInstance, options: CollectOptions): Promise<CollectOutcome> {
  const { org } = options;
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const progress = options.progress ?? (() => {});
  const errors: SourceError[] = [];
  const notCovered: NotCoveredPart[] = [];
  /** Per-repository parts that failed, grouped so 2,000 repositories give one line, not 2,000. */
  const repoGaps = new Map<string, { repos: string[]; reason: string }>();
  let requests = 0;
  octokit.hook.before('request', () => {
    requests++;
  });

  const hint = (part: string, error: unknown, authKind = options.authKind) => {
    const base = `${describe(error)}; ${PERMISSION_HINTS[part] ?? 'not visible with the credential given'}`;
    if (part.startsWith('fine-grained token') && authKind !== 'app')
      return `${base} (scanned with a ${authKind === 'none' ? 'missing' : 'personal access'} token)`;
    return base;
  };

  /** Runs one read; 403/404 → not covered (org part) and undefined; anything else → source error and undefined. */
  async function read<T>(part: string, fn: () => Promise<T>, repo?: string): Promise<T | undefined> {
    try {
      return await limit(fn);
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404 || status === 401 || status === 410) {
        if (repo) {
          const gap = repoGaps.get(part) ?? { repos: [], reason: hint(part, error) };
          gap.repos.push(repo);
          repoGaps.set(part, gap);
        } else notCovered.push({ part, reason: hint(part, error) });
      } else {
        errors.push({ part: repo ? `${part} (${repo})` : part, message: describe(error) });
      }
      return undefined;
    }
  }

  const list =
    <T = Raw>(route: string, params: Record<string, unknown>) =>
    () =>
      octokit.paginate(route, { per_page: 100, ...params }) as Promise<T[]>;

  // The organisation itself: if it cannot be seen, nothing else can; that is the one failure that throws.
  progress(`github:${org}: reading organization`);
  try {
    await limit(() => octokit.request('GET /orgs/{org}', { org }));
  } catch (error) {
    throw new Error(`github:${org}: cannot read the organization (${describe(error)})`);
  }

  const reposRaw = await read('repositories', list('GET /orgs/{org}/repos', { org, type: 'all' }));
  const filters = (options.repoFilters ?? []).filter(Boolean);
  const isMatch = filters.length ? picomatch(filters, { nocase: true }) : () => true;
  const skippedRepos: { name: string; reason: string }[] = [];
  const repos: GithubRepoSnapshot[] = [];
  for (const repo of reposRaw ?? []) {
    if (repo.archived && !options.includeArchived) skippedRepos.push({ name: repo.full_name, reason: 'archived' });
    else if (!isMatch(repo.name) && !isMatch(repo.full_name)) skippedRepos.push({ name: repo.full_name, reason: 'repo-filter' });
    else repos.push({ repo });
  }
  progress(`github:${org}: ${repos.length} repositories (${skippedRepos.length} skipped)`);

  const snapshot: GithubOrgSnapshot = {
    nhiscanSnapshot: SNAPSHOT_MARKER,
    version: SNAPSHOT_VERSION,
    org,
    collectedAt: (options.now ?? new Date()).toISOString(),
    apiUrl: options.apiUrl,
    auth: options.authKind,
    repos,
    skippedRepos,
    notCovered,
  };

  /** For org secrets with visibility `selected`: which repositories see them. */
  async function selectedRepos(part: string, route: string, secrets: Raw[] | undefined): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    await Promise.all(
      (secrets ?? [])
        .filter((s) => s.visibility === 'selected')
        .map(async (s) => {
          const repos = await read(part, list(route, { org, secret_name: s.name }));
          if (repos) out[s.name] = repos.map((r: Raw) => String(r.full_name));
        }),
    );
    return out;
  }

  async function patRepos(part: string, grants: Raw[] | undefined, route: string, idParam: string): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    await Promise.all(
      (grants ?? [])
        .filter((g) => g.repository_selection === 'subset')
        .map(async (g) => {
          const repos = await read(part, list(route, { org, [idParam]: g.id }));
          if (repos) out[String(g.id)] = repos.map((r: Raw) => String(r.full_name));
        }),
    );
    return out;
  }

  const orgParts = (async () => {
    await Promise.all([
      (async () => {
        snapshot.orgActionsSecrets = await read('organization Actions secrets', list('GET /orgs/{org}/actions/secrets', { org }));
        snapshot.orgActionsSecretRepos = await selectedRepos(
          'organization Actions secrets',
          'GET /orgs/{org}/actions/secrets/{secret_name}/repositories',
          snapshot.orgActionsSecrets,
        );
      })(),
      (async () => {
        snapshot.dependabotSecrets = await read('Dependabot organization secrets', list('GET /orgs/{org}/dependabot/secrets', { org }));
        snapshot.dependabotSecretRepos = await selectedRepos(
          'Dependabot organization secrets',
          'GET /orgs/{org}/dependabot/secrets/{secret_name}/repositories',
          snapshot.dependabotSecrets,
        );
      })(),
      (async () => {
        snapshot.codespacesSecrets = await read('Codespaces organization secrets', list('GET /orgs/{org}/codespaces/secrets', { org }));
        snapshot.codespacesSecretRepos = await selectedRepos(
          'Codespaces organization secrets',
          'GET /orgs/{org}/codespaces/secrets/{secret_name}/repositories',
          snapshot.codespacesSecrets,
        );
      })(),
      (async () => {
        snapshot.installations = await read('App installations', list('GET /orgs/{org}/installations', { org }));
      })(),
      (async () => {
        snapshot.patGrants = await read('fine-grained token grants', list('GET /orgs/{org}/personal-access-tokens', { org }));
        snapshot.patGrantRepos = await patRepos(
          'fine-grained token grants',
          snapshot.patGrants,
          'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories',
          'pat_id',
        );
      })(),
      (async () => {
        snapshot.patRequests = await read('fine-grained token requests', list('GET /orgs/{org}/personal-access-token-requests', { org }));
        snapshot.patRequestRepos = await patRepos(
          'fine-grained token requests',
          snapshot.patRequests,
          'GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories',
          'pat_request_id',
        );
      })(),
      (async () => {
        const hooks = await read('organization webhooks', list('GET /orgs/{org}/hooks', { org }));
        snapshot.orgHooks = hooks?.map(stripHookSecret);
      })(),
      (async () => {
        const response = await read('default workflow permissions', () => octokit.request('GET /orgs/{org}/actions/permissions/workflow', { org }));
        snapshot.workflowPermissions = response?.data as Raw | undefined;
      })(),
      (async () => {
        // hide_secret asks GitHub not to send the plaintext; stripAlertSecret guarantees it for servers that ignore it.
        const alerts = await read('secret-scanning alerts', list('GET /orgs/{org}/secret-scanning/alerts', { org, state: 'open', hide_secret: true }));
        // Org-wide alerts, kept only for the repositories in scope (filters, archived).
        const inScope = reposRaw ? new Set(repos.map((r) => String(r.repo.full_name))) : undefined;
        snapshot.secretScanningAlerts = alerts?.map(stripAlertSecret).filter((a) => !inScope || inScope.has(String(a.repository?.full_name)));
      })(),
    ]);
  })();

  let done = 0;
  const repoParts = Promise.all(
    repos.map(async (r) => {
      const owner = String(r.repo.owner?.login ?? org);
      const name = String(r.repo.name);
      const full = String(r.repo.full_name);
      const base = { owner, repo: name };
      await Promise.all([
        (async () => {
          r.deployKeys = await read('deploy keys', list('GET /repos/{owner}/{repo}/keys', base), full);
        })(),
        (async () => {
          r.actionsSecrets = await read('repository Actions secrets', list('GET /repos/{owner}/{repo}/actions/secrets', base), full);
        })(),
        (async () => {
          const environments = await read('environments', list('GET /repos/{owner}/{repo}/environments', base), full);
          if (!environments?.length) return;
          const bySecret: Record<string, Raw[]> = {};
          await Promise.all(
            environments.map(async (env: Raw) => {
              const secrets = await read(
                'environment secrets',
                list('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', { ...base, environment_name: env.name }),
                `${full} (${env.name})`,
              );
              if (secrets?.length) bySecret[env.name] = secrets;
            }),
          );
          r.environmentSecrets = bySecret;
        })(),
        (async () => {
          const hooks = await read('repository webhooks', list('GET /repos/{owner}/{repo}/hooks', base), full);
          r.hooks = hooks?.map(stripHookSecret);
        })(),
      ]);
      done++;
      if (done % 100 === 0) progress(`github:${org}: ${done}/${repos.length} repositories`);
    }),
  );

  await Promise.all([orgParts, repoParts]);

  // Alert locations: which file leaked, so CODEOWNERS can name who answers for it.
  snapshot.secretScanningLocations = {};
  await Promise.all(
    (snapshot.secretScanningAlerts ?? []).map(async (alert) => {
      const full = String(alert.repository?.full_name ?? '');
      const [owner, repo] = full.split('/');
      if (!owner || !repo) return;
      const locations = await read(
        'secret-scanning alert locations',
        list('GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations', { owner, repo, alert_number: alert.number }),
        full,
      );
      if (locations) snapshot.secretScanningLocations![`${full}#${alert.number}`] = locations;
    }),
  );

  // CODEOWNERS only for the repositories concerned: those holding something the inventory will list.
  const alertRepos = new Set((snapshot.secretScanningAlerts ?? []).map((a) => String(a.repository?.full_name)));
  const concerned = repos.filter(
    (r) =>
      r.deployKeys?.length ||
      r.actionsSecrets?.length ||
      Object.keys(r.environmentSecrets ?? {}).length ||
      r.hooks?.length ||
      alertRepos.has(String(r.repo.full_name)),
  );
  await Promise.all(concerned.map((r) => fetchCodeowners(r)));

  async function fetchCodeowners(r: GithubRepoSnapshot): Promise<void> {
    const owner = String(r.repo.owner?.login ?? org);
    const full = String(r.repo.full_name);
    for (const path of CODEOWNERS_PATHS) {
      try {
        const response = await limit(() => octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo: String(r.repo.name), path }));
        const data = response.data as Raw;
        if (data && data.type === 'file' && typeof data.content === 'string') {
          r.codeowners = { path, text: Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8') };
          return;
        }
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) continue; // not at this path (or an empty repository): try the next one
        if (status === 403 || status === 401) {
          const gap = repoGaps.get('CODEOWNERS') ?? { repos: [], reason: hint('CODEOWNERS', error) };
          gap.repos.push(full);
          repoGaps.set('CODEOWNERS', gap);
        } else errors.push({ part: `CODEOWNERS (${full})`, message: describe(error) });
        return;
      }
    }
  }

  for (const [part, gap] of repoGaps) {
    const sample = gap.repos.slice(0, 5).join(', ') + (gap.repos.length > 5 ? ', …' : '');
    notCovered.push({ part: `${part} in ${gap.repos.length} repositor${gap.repos.length === 1 ? 'y' : 'ies'} (${sample})`, reason: gap.reason });
  }
  return { snapshot, errors, requests };
}
