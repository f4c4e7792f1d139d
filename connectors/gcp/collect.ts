/**
 * Live collection of a Google Cloud snapshot, one phase per function:
 *   projects → (organization and folder policies with --gcp-org) → per project: IAM policy, service
 *   accounts, their keys and policies, workload identity pools, Policy Analyzer activity.
 *
 * Every call reads (GET, or the read-only `getIamPolicy` POST). A part that cannot be read is always a
 * `notCovered` entry (the report must say what is missing), and also an error unless the API says it is
 * not allowed (403) or not enabled; the other parts and projects go on.
 */
import { shardOwns, type Shard } from '../../src/shard.js';
import type { SourceError } from '../../src/plugin.js';
import { GcpApiError, GcpClient, describeGcpError, statusOf, type GcpClientOptions, type GcpStats } from './client.js';
import type {
  GcpProjectSnapshot,
  GcpServiceAccountSnapshot,
  GcpSnapshot,
  WireActivity,
  WirePolicy,
  WireProject,
  WireRecommendation,
  WireServiceAccount,
  WireServiceAccountKey,
  WireWifPool,
  WireWifProvider,
} from './snapshot.js';

const CRM = 'https://cloudresourcemanager.googleapis.com/v3';
const POLICY_ANALYZER = 'https://policyanalyzer.googleapis.com/v1';
const RECOMMENDER = 'https://recommender.googleapis.com/v1';
const POLICY_VERSION = { options: { requestedPolicyVersion: 3 } };

export interface GcpCollectOptions extends GcpClientOptions {
  projectIds?: string[];
  organizationId?: string;
  /** One shard of a sharded scan: only the projects it owns (the organization's policies are read by every shard; merge joins them). */
  shard?: Shard;
  progress?: (message: string) => void;
}

export interface GcpCollected {
  snapshot: GcpSnapshot;
  errors: SourceError[];
  stats: GcpStats & { projects: number; serviceAccounts: number; keys: number };
}

/** What a failed part becomes: always not covered, and an error too unless it was denied or the API is off. */
interface PartOutcome {
  notCovered: { part: string; reason: string };
  error?: SourceError;
}

function outcomeOf(part: string, error: unknown): PartOutcome {
  const status = statusOf(error);
  const message = error instanceof GcpApiError ? error.message : describeGcpError(error);
  if (status === 403 || status === 401) return { notCovered: { part, reason: `not allowed: ${message}` } };
  if (status === 404 && /activit/i.test(part)) return { notCovered: { part, reason: `Policy Analyzer is not available: ${message}` } };
  // A part that kept failing (retries spent) is as missing from the inventory as a denied one.
  return { notCovered: { part, reason: `could not be read: ${message}` }, error: { part, message } };
}

class ProjectCollector {
  readonly notCovered: { part: string; reason: string }[] = [];
  readonly errors: SourceError[] = [];

  constructor(
    private readonly client: GcpClient,
    private readonly projectId: string,
  ) {}

  /** Runs one part; a failure is recorded against the part and yields undefined. */
  async part<T>(part: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      const outcome = outcomeOf(part, error);
      this.notCovered.push(outcome.notCovered);
      if (outcome.error) this.errors.push({ part: `project:${this.projectId}/${outcome.error.part}`, message: outcome.error.message });
      return undefined;
    }
  }

  policy(): Promise<WirePolicy | undefined> {
    return this.part('iam-policy', () =>
      this.client.rest<WirePolicy>(`getIamPolicy ${this.projectId}`, `${CRM}/projects/${this.projectId}:getIamPolicy`, 'POST', POLICY_VERSION),
    );
  }

  serviceAccounts(): Promise<WireServiceAccount[] | undefined> {
    const { client, projectId } = this;
    return this.part('service-accounts', () =>
      client.paged<WireServiceAccount>(
        `serviceAccounts.list ${projectId}`,
        (pageToken) =>
          client.call(
            `serviceAccounts.list ${projectId}`,
            (o) => client.iam.projects.serviceAccounts.list({ name: `projects/${projectId}`, pageSize: 100, pageToken }, o) as any,
          ),
        'accounts',
      ),
    );
  }

  async account(account: WireServiceAccount): Promise<GcpServiceAccountSnapshot> {
    const { client, projectId } = this;
    const name = `projects/${projectId}/serviceAccounts/${account.email}`;
    const [keys, policy] = await Promise.all([
      this.part(`keys:${account.email}`, async () => {
        const data = await client.call<{ keys?: WireServiceAccountKey[] }>(
          `keys.list ${account.email}`,
          (o) => client.iam.projects.serviceAccounts.keys.list({ name }, o) as any,
        );
        return data.keys ?? [];
      }),
      this.part(`sa-policy:${account.email}`, () =>
        client.call<WirePolicy>(
          `getIamPolicy ${account.email}`,
          (o) => client.iam.projects.serviceAccounts.getIamPolicy({ resource: name, 'options.requestedPolicyVersion': 3 }, o) as any,
        ),
      ),
    ]);
    return { account, ...(keys ? { keys } : {}), ...(policy ? { policy } : {}) };
  }

  workloadIdentityPools(): Promise<WireWifPool[] | undefined> {
    const { client, projectId } = this;
    return this.part('workload-identity-pools', async () => {
      const pools = await client.paged<WireWifPool>(
        `workloadIdentityPools.list ${projectId}`,
        (pageToken) =>
          client.call(
            `workloadIdentityPools.list ${projectId}`,
            (o) => client.iam.projects.locations.workloadIdentityPools.list({ parent: `projects/${projectId}/locations/global`, pageToken }, o) as any,
          ),
        'workloadIdentityPools',
      );
      return Promise.all(
        pools.map(async (pool) => {
          const providers = await client.paged<WireWifProvider>(
            `providers.list ${pool.name}`,
            (pageToken) =>
              client.call(
                `providers.list ${pool.name}`,
                (o) => client.iam.projects.locations.workloadIdentityPools.providers.list({ parent: pool.name, pageToken }, o) as any,
              ),
            'workloadIdentityPoolProviders',
          );
          return { ...pool, providers };
        }),
      );
    });
  }

  activities(type: 'serviceAccountLastAuthentication' | 'serviceAccountKeyLastAuthentication'): Promise<WireActivity[] | undefined> {
    const { client, projectId } = this;
    const url = `${POLICY_ANALYZER}/projects/${projectId}/locations/global/activityTypes/${type}/activities:query`;
    return this.part(`activity:${type}`, () =>
      client.paged<WireActivity>(
        `${type} ${projectId}`,
        (pageToken) => client.rest(`${type} ${projectId}`, `${url}?pageSize=1000${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`),
        'activities',
      ),
    );
  }

  /** Active role recommendations of the IAM recommender (roles a principal did not use in 90 days). */
  roleRecommendations(): Promise<WireRecommendation[] | undefined> {
    const { client, projectId } = this;
    const url = `${RECOMMENDER}/projects/${projectId}/locations/global/recommenders/google.iam.policy.Recommender/recommendations`;
    return this.part('role-recommendations', async () => {
      const all = await client.paged<WireRecommendation>(
        `recommendations.list ${projectId}`,
        (pageToken) => client.rest(`recommendations.list ${projectId}`, `${url}?pageSize=500${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`),
        'recommendations',
      );
      return all.filter((r) => !r.stateInfo?.state || r.stateInfo.state === 'ACTIVE');
    });
  }

  async collect(project: WireProject): Promise<GcpProjectSnapshot> {
    const [policy, accounts, pools, accountActivities, keyActivities, roleRecommendations] = await Promise.all([
      this.policy(),
      this.serviceAccounts(),
      this.workloadIdentityPools(),
      this.activities('serviceAccountLastAuthentication'),
      this.activities('serviceAccountKeyLastAuthentication'),
      this.roleRecommendations(),
    ]);
    const serviceAccounts = accounts ? await Promise.all(accounts.map((a) => this.account(a))) : undefined;
    return {
      project,
      ...(policy ? { policy } : {}),
      ...(serviceAccounts ? { serviceAccounts } : {}),
      ...(pools ? { workloadIdentityPools: pools } : {}),
      ...(accountActivities ? { accountActivities } : {}),
      ...(keyActivities ? { keyActivities } : {}),
      ...(roleRecommendations ? { roleRecommendations } : {}),
      ...(this.notCovered.length ? { notCovered: this.notCovered } : {}),
    };
  }
}

async function listProjects(client: GcpClient, projectIds: string[] | undefined): Promise<WireProject[]> {
  if (projectIds) {
    return Promise.all(projectIds.map((id) => client.rest<WireProject>(`projects.get ${id}`, `${CRM}/projects/${encodeURIComponent(id)}`)));
  }
  const projects = await client.paged<WireProject>(
    'projects.search',
    (pageToken) =>
      client.rest(
        'projects.search',
        `${CRM}/projects:search?query=${encodeURIComponent('state:ACTIVE')}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`,
      ),
    'projects',
  );
  return projects.filter((p) => !p.state || p.state === 'ACTIVE');
}

/** The organization's policy and every folder under it (recursively) with its policy. */
async function collectOrganization(client: GcpClient, organizationId: string): Promise<Pick<GcpSnapshot, 'organization' | 'folders'>> {
  const org = `organizations/${organizationId}`;
  const policy = await client.rest<WirePolicy>(`getIamPolicy ${org}`, `${CRM}/${org}:getIamPolicy`, 'POST', POLICY_VERSION);
  const folders: NonNullable<GcpSnapshot['folders']> = [];
  let parents = [org];
  while (parents.length) {
    const children = (
      await Promise.all(
        parents.map((parent) =>
          client.paged<{ name: string; parent?: string }>(
            `folders.list ${parent}`,
            (pageToken) =>
              client.rest(
                'folders.list',
                `${CRM}/folders?parent=${encodeURIComponent(parent)}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`,
              ),
            'folders',
          ),
        ),
      )
    ).flat();
    for (const folder of children) {
      const folderPolicy = await client.rest<WirePolicy>(`getIamPolicy ${folder.name}`, `${CRM}/${folder.name}:getIamPolicy`, 'POST', POLICY_VERSION);
      folders.push({ name: folder.name, ...(folder.parent ? { parent: folder.parent } : {}), policy: folderPolicy });
    }
    parents = children.map((f) => f.name);
  }
  return { organization: { name: org, policy }, folders };
}

export async function collectGcpSnapshot(options: GcpCollectOptions): Promise<GcpCollected> {
  const client = new GcpClient(options);
  const snapshot: GcpSnapshot = { nhiscanSnapshot: 'gcp', version: 1, projects: [], notCovered: [] };
  const errors: SourceError[] = [];
  const projects = (await listProjects(client, options.projectIds)).filter((p) => shardOwns(options.shard, p.projectId));
  options.progress?.(`gcp: ${projects.length} projects`);
  if (options.organizationId) {
    try {
      Object.assign(snapshot, await collectOrganization(client, options.organizationId));
    } catch (error) {
      const outcome = outcomeOf(`organization:${options.organizationId}`, error);
      snapshot.notCovered!.push(outcome.notCovered);
      if (outcome.error) errors.push(outcome.error);
    }
  } else {
    snapshot.notCovered!.push({ part: 'organization', reason: 'organization and folder bindings were not read (pass --gcp-org ORG_ID)' });
  }
  let done = 0;
  snapshot.projects = await Promise.all(
    projects.map(async (project) => {
      const collector = new ProjectCollector(client, project.projectId);
      const result = await collector.collect(project);
      errors.push(...collector.errors);
      if (++done % 25 === 0) options.progress?.(`gcp: ${done}/${projects.length} projects`);
      return result;
    }),
  );
  const accounts = snapshot.projects.flatMap((p) => p.serviceAccounts ?? []);
  return {
    snapshot,
    errors,
    stats: { ...client.stats, projects: projects.length, serviceAccounts: accounts.length, keys: accounts.reduce((n, a) => n + (a.keys?.length ?? 0), 0) },
  };
}
