/**
 * The live collector: reads an organisation through the REST API into a GithubOrgSnapshot (raw objects).
 * Read-only (GET only; the App token exchange is the one POST, done by @octokit/auth-app), paginated
 * everywhere, bounded by p-limit. An endpoint that answers 403/404 marks its part as not covered with
 * the reason; one that keeps failing after its retries is an error and a not-covered part naming that
 * repository; neither aborts the source.
 */
import { shardOwns, type Shard } from '../../src/shard.js';
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
  /** One shard of a sharded scan: only the repositories it owns (organisation-wide parts are read by every shard; merge joins them). */
  shard?: Shard;
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
  'organization members': 'needs organization Members: read or read:org scope',
  'outside collaborators': 'needs organization Members: read or read:org scope, as an organization owner',
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
  const collector = new OrgCollector(octokit, options);
  await collector.readOrganization();
  const snapshot = await collector.listRepositories();
  await Promise.all([collector.readOrgParts(snapshot), collector.readRepoParts(snapshot)]);
  await collector.readAlertLocations(snapshot);
  await collector.readCodeowners(snapshot);
  return collector.outcome(snapshot);
}

/** One collection run: the shared request budget, and what could not be read, gathered as the phases go. */
class OrgCollector {
  private readonly org: string;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly progress: (message: string) => void;
  private readonly errors: SourceError[] = [];
  private readonly notCovered: NotCoveredPart[] = [];
  /** Per-repository parts that failed, grouped so 2,000 repositories give one line, not 2,000. */
  private readonly repoGaps = new Map<string, { repos: string[]; reason: string }>();
  /** Whether the repository list could be read (org-wide alerts are then kept only for the ones in scope). */
  private reposListed = false;
  private requests = 0;

  constructor(
    private readonly octokit: GithubClientInstance,
    private readonly options: CollectOptions,
  ) {
    this.org = options.org;
    this.limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
    this.progress = options.progress ?? (() => {});
    octokit.hook.before('request', () => {
      this.requests++;
    });
  }

  private hint(part: string, error: unknown): string {
    const authKind = this.options.authKind;
    const base = `${describe(error)}; ${PERMISSION_HINTS[part] ?? 'not visible with the credential given'}`;
    if (part.startsWith('fine-grained token') && authKind !== 'app')
      return `${base} (scanned with a ${authKind === 'none' ? 'missing' : 'personal access'} token)`;
    return base;
  }

  /** A per-repository part that the credential may not see: one notCovered line per part, at the end. */
  private repoGap(part: string, repo: string, error: unknown): void {
    const gap = this.repoGaps.get(part) ?? { repos: [], reason: this.hint(part, error) };
    gap.repos.push(repo);
    this.repoGaps.set(part, gap);
  }

  /**
   * A read that kept failing once its retries were spent (5xx, timeouts, bodies cut short): a source error,
   * and a notCovered entry naming exactly that part of that repository, since what it holds is missing.
   */
  private failed(part: string, repo: string | undefined, error: unknown): void {
    const named = repo ? `${part} (${repo})` : part;
    const message = describe(error);
    this.errors.push({ part: named, message });
    this.notCovered.push({ part: named, reason: `could not be read: ${message}` });
  }

  /** Runs one read; 403/404 → not covered (grouped per part for repositories) and undefined; anything else → failed part and undefined. */
  private async read<T>(part: string, fn: () => Promise<T>, repo?: string): Promise<T | undefined> {
    try {
      return await this.limit(fn);
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404 || status === 401 || status === 410) {
        if (repo) this.repoGap(part, repo, error);
        else this.notCovered.push({ part, reason: this.hint(part, error) });
      } else {
        this.failed(part, repo, error);
      }
      return undefined;
    }
  }

  private list<T = Raw>(route: string, params: Record<string, unknown>): () => Promise<T[]> {
    return () => this.octokit.paginate(route, { per_page: 100, ...params }) as Promise<T[]>;
  }

  /** The organisation itself: if it cannot be seen, nothing else can; that is the one failure that throws. */
  async readOrganization(): Promise<void> {
    const org = this.org;
    this.progress(`github:${org}: reading organization`);
    try {
      await this.limit(() => this.octokit.request('GET /orgs/{org}', { org }));
    } catch (error) {
      throw new Error(`github:${org}: cannot read the organization (${describe(error)})`);
    }
  }

  /** The repositories in scope (filters, archived) and the snapshot that the other phases fill. */
  async listRepositories(): Promise<GithubOrgSnapshot> {
    const { org, options } = this;
    const reposRaw = await this.read('repositories', this.list('GET /orgs/{org}/repos', { org, type: 'all' }));
    this.reposListed = reposRaw !== undefined;
    const filters = (options.repoFilters ?? []).filter(Boolean);
    const isMatch = filters.length ? picomatch(filters, { nocase: true }) : () => true;
    const skippedRepos: { name: string; reason: string }[] = [];
    const repos: GithubRepoSnapshot[] = [];
    for (const repo of (reposRaw ?? []).filter((r) => shardOwns(options.shard, String(r.full_name)))) {
      if (repo.archived && !options.includeArchived) skippedRepos.push({ name: repo.full_name, reason: 'archived' });
      else if (!isMatch(repo.name) && !isMatch(repo.full_name)) skippedRepos.push({ name: repo.full_name, reason: 'repo-filter' });
      else repos.push({ repo });
    }
    this.progress(`github:${org}: ${repos.length} repositories (${skippedRepos.length} skipped)`);
    return {
      nhiscanSnapshot: SNAPSHOT_MARKER,
      version: SNAPSHOT_VERSION,
      org,
      collectedAt: (options.now ?? new Date()).toISOString(),
      apiUrl: options.apiUrl,
      auth: options.authKind,
      repos,
      skippedRepos,
      notCovered: this.notCovered,
    };
  }

  /** For org secrets with visibility `selected`: which repositories see them. */
  private async selectedRepos(part: string, route: string, secrets: Raw[] | undefined): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    await Promise.all(
      (secrets ?? [])
        .filter((s) => s.visibility === 'selected')
        .map(async (s) => {
          const repos = await this.read(part, this.list(route, { org: this.org, secret_name: s.name }));
          if (repos) out[s.name] = repos.map((r: Raw) => String(r.full_name));
        }),
    );
    return out;
  }

  /** For fine-grained tokens (or requests) limited to a subset: which repositories they reach. */
  private async patRepos(part: string, grants: Raw[] | undefined, route: string, idParam: string): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    await Promise.all(
      (grants ?? [])
        .filter((g) => g.repository_selection === 'subset')
        .map(async (g) => {
          const repos = await this.read(part, this.list(route, { org: this.org, [idParam]: g.id }));
          if (repos) out[String(g.id)] = repos.map((r: Raw) => String(r.full_name));
        }),
    );
    return out;
  }

  /** Organisation secrets of one store, with the repositories that see the `selected` ones. */
  private async orgSecrets(part: string, store: 'actions' | 'dependabot' | 'codespaces'): Promise<[Raw[] | undefined, Record<string, string[]>]> {
    const secrets = await this.read(part, this.list(`GET /orgs/{org}/${store}/secrets`, { org: this.org }));
    return [secrets, await this.selectedRepos(part, `GET /orgs/{org}/${store}/secrets/{secret_name}/repositories`, secrets)];
  }

  /** Everything read once per organisation, in parallel. */
  async readOrgParts(snapshot: GithubOrgSnapshot): Promise<void> {
    const org = this.org;
    await Promise.all([
      (async () => {
        [snapshot.orgActionsSecrets, snapshot.orgActionsSecretRepos] = await this.orgSecrets('organization Actions secrets', 'actions');
      })(),
      (async () => {
        [snapshot.dependabotSecrets, snapshot.dependabotSecretRepos] = await this.orgSecrets('Dependabot organization secrets', 'dependabot');
      })(),
      (async () => {
        [snapshot.codespacesSecrets, snapshot.codespacesSecretRepos] = await this.orgSecrets('Codespaces organization secrets', 'codespaces');
      })(),
      (async () => {
        snapshot.installations = await this.read('App installations', this.list('GET /orgs/{org}/installations', { org }));
      })(),
      (async () => {
        snapshot.patGrants = await this.read('fine-grained token grants', this.list('GET /orgs/{org}/personal-access-tokens', { org }));
        snapshot.patGrantRepos = await this.patRepos(
          'fine-grained token grants',
          snapshot.patGrants,
          'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories',
          'pat_id',
        );
      })(),
      (async () => {
        snapshot.patRequests = await this.read('fine-grained token requests', this.list('GET /orgs/{org}/personal-access-token-requests', { org }));
        snapshot.patRequestRepos = await this.patRepos(
          'fine-grained token requests',
          snapshot.patRequests,
          'GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories',
          'pat_request_id',
        );
      })(),
      (async () => {
        const hooks = await this.read('organization webhooks', this.list('GET /orgs/{org}/hooks', { org }));
        snapshot.orgHooks = hooks?.map(stripHookSecret);
      })(),
      (async () => {
        const response = await this.read('default workflow permissions', () => this.octokit.request('GET /orgs/{org}/actions/permissions/workflow', { org }));
        snapshot.workflowPermissions = response?.data as Raw | undefined;
      })(),
      this.readSecretScanningAlerts(snapshot),
      this.readPeople(snapshot),
    ]);
  }

  /** Members and outside collaborators: the people owners (CODEOWNERS, `added_by`, committers) are joined against. */
  private async readPeople(snapshot: GithubOrgSnapshot): Promise<void> {
    const org = this.org;
    const login = (users: Raw[] | undefined) => users?.map((u) => ({ login: u.login, id: u.id, type: u.type }));
    snapshot.members = login(await this.read('organization members', this.list('GET /orgs/{org}/members', { org })));
    snapshot.outsideCollaborators = login(await this.read('outside collaborators', this.list('GET /orgs/{org}/outside_collaborators', { org })));
  }

  private async readSecretScanningAlerts(snapshot: GithubOrgSnapshot): Promise<void> {
    // hide_secret asks GitHub not to send the plaintext; stripAlertSecret guarantees it for servers that ignore it.
    const alerts = await this.read(
      'secret-scanning alerts',
      this.list('GET /orgs/{org}/secret-scanning/alerts', { org: this.org, state: 'open', hide_secret: true }),
    );
    // Org-wide alerts, kept only for the repositories in scope (filters, archived).
    const inScope = this.reposListed ? new Set(snapshot.repos.map((r) => String(r.repo.full_name))) : undefined;
    snapshot.secretScanningAlerts = alerts?.map(stripAlertSecret).filter((a) => !inScope || inScope.has(String(a.repository?.full_name)));
  }

  /** Everything read once per repository: all repositories in parallel, within the request budget. */
  async readRepoParts(snapshot: GithubOrgSnapshot): Promise<void> {
    let done = 0;
    await Promise.all(
      snapshot.repos.map(async (r) => {
        await this.readRepo(r);
        done++;
        if (done % 100 === 0) this.progress(`github:${this.org}: ${done}/${snapshot.repos.length} repositories`);
      }),
    );
  }

  private async readRepo(r: GithubRepoSnapshot): Promise<void> {
    const full = String(r.repo.full_name);
    const base = { owner: String(r.repo.owner?.login ?? this.org), repo: String(r.repo.name) };
    await Promise.all([
      (async () => {
        r.deployKeys = await this.read('deploy keys', this.list('GET /repos/{owner}/{repo}/keys', base), full);
      })(),
      (async () => {
        r.actionsSecrets = await this.read('repository Actions secrets', this.list('GET /repos/{owner}/{repo}/actions/secrets', base), full);
      })(),
      this.readEnvironmentSecrets(r, base, full),
      (async () => {
        const hooks = await this.read('repository webhooks', this.list('GET /repos/{owner}/{repo}/hooks', base), full);
        r.hooks = hooks?.map(stripHookSecret);
      })(),
      (async () => {
        const response = await this.read(
          'repository workflow permissions',
          () => this.octokit.request('GET /repos/{owner}/{repo}/actions/permissions/workflow', base),
          full,
        );
        r.workflowPermissions = response?.data as Raw | undefined;
      })(),
    ]);
  }

  private async readEnvironmentSecrets(r: GithubRepoSnapshot, base: { owner: string; repo: string }, full: string): Promise<void> {
    const environments = await this.read('environments', this.list('GET /repos/{owner}/{repo}/environments', base), full);
    if (!environments?.length) return;
    const bySecret: Record<string, Raw[]> = {};
    await Promise.all(
      environments.map(async (env: Raw) => {
        const secrets = await this.read(
          'environment secrets',
          this.list('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', { ...base, environment_name: env.name }),
          `${full} (${env.name})`,
        );
        if (secrets?.length) bySecret[env.name] = secrets;
      }),
    );
    r.environmentSecrets = bySecret;
  }

  /** Alert locations: which file leaked, so CODEOWNERS can name who answers for it. */
  async readAlertLocations(snapshot: GithubOrgSnapshot): Promise<void> {
    const byAlert: Record<string, Raw[]> = {};
    snapshot.secretScanningLocations = byAlert;
    await Promise.all(
      (snapshot.secretScanningAlerts ?? []).map(async (alert) => {
        const full = String(alert.repository?.full_name ?? '');
        const [owner, repo] = full.split('/');
        if (!owner || !repo) return;
        const locations = await this.read(
          'secret-scanning alert locations',
          this.list('GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations', { owner, repo, alert_number: alert.number }),
          full,
        );
        if (locations) byAlert[`${full}#${alert.number}`] = locations;
      }),
    );
  }

  /** CODEOWNERS only for the repositories concerned: those holding something the inventory will list. */
  async readCodeowners(snapshot: GithubOrgSnapshot): Promise<void> {
    const alertRepos = new Set((snapshot.secretScanningAlerts ?? []).map((a) => String(a.repository?.full_name)));
    const concerned = snapshot.repos.filter(
      (r) =>
        r.deployKeys?.length ||
        r.actionsSecrets?.length ||
        Object.keys(r.environmentSecrets ?? {}).length ||
        r.hooks?.length ||
        alertRepos.has(String(r.repo.full_name)),
    );
    await Promise.all(concerned.map((r) => this.fetchCodeowners(r)));
  }

  private async fetchCodeowners(r: GithubRepoSnapshot): Promise<void> {
    const owner = String(r.repo.owner?.login ?? this.org);
    const full = String(r.repo.full_name);
    for (const path of CODEOWNERS_PATHS) {
      try {
        const response = await this.limit(() => this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo: String(r.repo.name), path }));
        const data = response.data as Raw;
        if (data && data.type === 'file' && typeof data.content === 'string') {
          r.codeowners = { path, text: Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8') };
          return;
        }
      } catch (error) {
        const status = statusOf(error);
        if (status === 404) continue; // not at this path (or an empty repository): try the next one
        if (status === 403 || status === 401) this.repoGap('CODEOWNERS', full, error);
        else this.failed('CODEOWNERS', full, error);
        return;
      }
    }
  }

  /** The snapshot with the grouped per-repository gaps added, the errors and the request count. */
  outcome(snapshot: GithubOrgSnapshot): CollectOutcome {
    for (const [part, gap] of this.repoGaps) {
      const sample = gap.repos.slice(0, 5).join(', ') + (gap.repos.length > 5 ? ', …' : '');
      this.notCovered.push({ part: `${part} in ${gap.repos.length} repositor${gap.repos.length === 1 ? 'y' : 'ies'} (${sample})`, reason: gap.reason });
    }
    return { snapshot, errors: this.errors, requests: this.requests };
  }
}
