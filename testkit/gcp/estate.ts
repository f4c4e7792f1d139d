/**
 * An emulated Google Cloud estate, in the APIs' own wire shapes (IAM v1 ServiceAccount and
 * ServiceAccountKey, Resource Manager v3 Project and Folder, IAM Policy, Policy Analyzer Activity,
 * WorkloadIdentityPool/Provider), as Google's discovery documents describe them. The emulator serves
 * it; tests and benches build it with the helpers below.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import type {
  GcpSnapshot,
  WireActivity,
  WirePolicy,
  WireProject,
  WireRecommendation,
  WireServiceAccount,
  WireServiceAccountKey,
  WireWifPool,
} from '../../connectors/gcp/snapshot.js';

export interface EmuServiceAccount {
  account: WireServiceAccount;
  keys: WireServiceAccountKey[];
  policy: WirePolicy;
}

export interface EmuProject {
  project: WireProject & { name: string };
  policy: WirePolicy;
  serviceAccounts: EmuServiceAccount[];
  pools: WireWifPool[];
  accountActivities: WireActivity[];
  keyActivities: WireActivity[];
  recommendations: WireRecommendation[];
}

export interface EmuGcpEstate {
  organization?: { name: string; policy: WirePolicy };
  folders: { name: string; parent: string; policy: WirePolicy }[];
  projects: EmuProject[];
}

/** A 40-hex key id derived from a seed, like the private_key_id Google assigns. */
export function keyIdFor(seed: string): string {
  return createHash('sha1').update(`gcp-key:${seed}`).digest('hex');
}

/** A 21-digit unique id derived from a seed. */
export function uniqueIdFor(seed: string): string {
  return `1${BigInt(`0x${createHash('sha256').update(`uid:${seed}`).digest('hex').slice(0, 16)}`)
    .toString()
    .padStart(20, '0')
    .slice(0, 20)}`;
}

export function project(projectId: string, number: string, parent?: string, labels?: Record<string, string>): EmuProject {
  return {
    project: { name: `projects/${number}`, projectId, state: 'ACTIVE', displayName: projectId, ...(parent ? { parent } : {}), ...(labels ? { labels } : {}) },
    policy: { version: 1, etag: 'BwXhqDx=', bindings: [] },
    serviceAccounts: [],
    pools: [],
    accountActivities: [],
    keyActivities: [],
    recommendations: [],
  };
}

/**
 * An IAM recommender recommendation for `member`'s `role` on the project, shaped as Google documents
 * it: a REMOVE_ROLE (one remove operation) or, with `replacement`, a REPLACE_ROLE (an add, then a remove).
 */
export function recommend(p: EmuProject, member: string, role: string, replacement?: string): void {
  const resource = `//cloudresourcemanager.googleapis.com/projects/${p.project.projectId}`;
  const base = { resourceType: 'cloudresourcemanager.googleapis.com/Project', resource };
  const operations: object[] = [];
  if (replacement) {
    operations.push({
      ...base,
      action: 'add',
      path: '/iamPolicy/bindings/*/members/-',
      value: member,
      pathFilters: { '/iamPolicy/bindings/*/condition/expression': '', '/iamPolicy/bindings/*/role': replacement },
    });
  }
  operations.push({
    ...base,
    action: 'remove',
    path: '/iamPolicy/bindings/*/members/*',
    pathFilters: { '/iamPolicy/bindings/*/condition/expression': '', '/iamPolicy/bindings/*/members/*': member, '/iamPolicy/bindings/*/role': role },
  });
  p.recommendations.push({
    name: `projects/${p.project.name.split('/')[1]}/locations/global/recommenders/google.iam.policy.Recommender/recommendations/${p.recommendations.length + 1}`,
    description: replacement
      ? 'Replace the current role with a smaller role to cover the permissions needed.'
      : 'This role has not been used during the observation window.',
    recommenderSubtype: replacement ? 'REPLACE_ROLE' : 'REMOVE_ROLE',
    stateInfo: { state: 'ACTIVE' },
    content: { operationGroups: [{ operations: operations as never }] },
  });
}

export function serviceAccount(p: EmuProject, localPart: string, extra: Partial<WireServiceAccount> = {}): EmuServiceAccount {
  const email = localPart.includes('@') ? localPart : `${localPart}@${p.project.projectId}.iam.gserviceaccount.com`;
  const uniqueId = uniqueIdFor(email);
  const sa: EmuServiceAccount = {
    account: {
      name: `projects/${p.project.projectId}/serviceAccounts/${email}`,
      projectId: p.project.projectId,
      uniqueId,
      email,
      displayName: localPart,
      etag: 'MDEwMjE5MjA=',
      oauth2ClientId: uniqueId,
      ...extra,
    } as WireServiceAccount,
    keys: [],
    policy: { version: 1, etag: 'ACAB' },
  };
  p.serviceAccounts.push(sa);
  return sa;
}

export function key(p: EmuProject, sa: EmuServiceAccount, seed: string, extra: Partial<WireServiceAccountKey> = {}): WireServiceAccountKey {
  const k: WireServiceAccountKey = {
    name: `projects/${p.project.projectId}/serviceAccounts/${sa.account.email}/keys/${keyIdFor(seed)}`,
    validAfterTime: '2025-01-10T09:00:00Z',
    validBeforeTime: '9999-12-31T23:59:59Z',
    keyAlgorithm: 'KEY_ALG_RSA_2048',
    keyOrigin: 'GOOGLE_PROVIDED',
    keyType: 'USER_MANAGED',
    ...extra,
  };
  sa.keys.push(k);
  return k;
}

export function bind(policy: WirePolicy, role: string, ...members: string[]): void {
  policy.bindings ??= [];
  const existing = policy.bindings.find((b) => b.role === role && !b.condition);
  if (existing) existing.members = [...(existing.members ?? []), ...members];
  else policy.bindings.push({ role, members });
}

export function accountActivity(p: EmuProject, sa: EmuServiceAccount, lastAuthenticatedTime: string): void {
  const fullResourceName = `//iam.googleapis.com/projects/${p.project.projectId}/serviceAccounts/${sa.account.email}`;
  p.accountActivities.push({
    fullResourceName,
    activityType: 'serviceAccountLastAuthentication',
    observationPeriod: { startTime: '2026-09-01T07:00:00Z', endTime: '2026-12-01T07:00:00Z' },
    activity: {
      lastAuthenticatedTime,
      serviceAccount: { fullResourceName, projectNumber: p.project.name.split('/')[1], serviceAccountId: sa.account.uniqueId },
    },
  });
}

export function keyActivity(p: EmuProject, sa: EmuServiceAccount, k: WireServiceAccountKey, lastAuthenticatedTime: string): void {
  const fullResourceName = `//iam.googleapis.com/${k.name}`;
  p.keyActivities.push({
    fullResourceName,
    activityType: 'serviceAccountKeyLastAuthentication',
    observationPeriod: { startTime: '2026-09-01T07:00:00Z', endTime: '2026-12-01T07:00:00Z' },
    activity: {
      lastAuthenticatedTime,
      serviceAccountKey: { fullResourceName, projectNumber: p.project.name.split('/')[1], serviceAccountId: sa.account.uniqueId },
    },
  });
}

export const sa = (email: string) => `serviceAccount:${email}`;

/**
 * The fixture estate most tests use: an organization with one folder, two projects.
 * - prod-payments: `deployer` (editor, a 400-day-old key used yesterday), `ci-runner` (can act as
 *   `deployer`: a one-hop chain to admin), `reporting` (viewer, idle key), `legacy-batch` (disabled with an
 *   enabled key), the default compute account with Editor, a GitHub Actions provider without condition
 *   bound to `ci-runner`, Token Creator for a group at project level.
 * - dev-sandbox: `sandbox-bot` (no activity, so "no authentication recorded").
 */
export function fixtureGcpEstate(): EmuGcpEstate {
  const prod = project('prod-payments', '412345678901', 'folders/300000000001', { owner: 'payments-team' });
  const dev = project('dev-sandbox', '498765432109', 'organizations/200000000001');
  const deployer = serviceAccount(prod, 'deployer', { description: 'Deploys payments. owner=alice.martin@acme.example' });
  const ciRunner = serviceAccount(prod, 'ci-runner', { description: 'CI jobs. team: platform' });
  const reporting = serviceAccount(prod, 'reporting');
  const legacy = serviceAccount(prod, 'legacy-batch', { disabled: true });
  const compute = serviceAccount(prod, `${prod.project.name.split('/')[1]}-compute@developer.gserviceaccount.com`, {
    displayName: 'Compute Engine default service account',
  });
  const sandbox = serviceAccount(dev, 'sandbox-bot');

  const deployerKey = key(prod, deployer, 'deployer-1', { validAfterTime: '2025-10-27T09:00:00Z' });
  key(prod, deployer, 'deployer-system', {
    keyType: 'SYSTEM_MANAGED',
    keyOrigin: 'GOOGLE_PROVIDED',
    validAfterTime: '2026-11-20T00:00:00Z',
    validBeforeTime: '2028-11-20T00:00:00Z',
  });
  const reportingKey = key(prod, reporting, 'reporting-1', { validAfterTime: '2026-10-01T00:00:00Z', validBeforeTime: '2027-10-01T00:00:00Z' });
  key(prod, legacy, 'legacy-1', { validAfterTime: '2024-03-01T00:00:00Z' });
  key(prod, ciRunner, 'ci-exposed', {
    validAfterTime: '2026-06-01T00:00:00Z',
    disabled: true,
    disableReason: 'SERVICE_ACCOUNT_KEY_DISABLE_REASON_EXPOSED',
    extendedStatus: [{ key: 'SERVICE_ACCOUNT_KEY_EXPOSED', value: 'https://github.com/acme/app/blob/main/key.json' }],
  });

  bind(prod.policy, 'roles/editor', sa(deployer.account.email), sa(compute.account.email));
  bind(prod.policy, 'roles/viewer', sa(reporting.account.email), sa(ciRunner.account.email));
  bind(prod.policy, 'roles/iam.serviceAccountTokenCreator', 'group:sre@acme.example');
  bind(deployer.policy, 'roles/iam.serviceAccountUser', sa(ciRunner.account.email));
  bind(deployer.policy, 'roles/iam.serviceAccountKeyAdmin', 'user:bob.okafor@acme.example');
  bind(dev.policy, 'roles/owner', 'user:alice.martin@acme.example');
  bind(dev.policy, 'roles/storage.objectAdmin', sa(sandbox.account.email));

  const poolName = `projects/${prod.project.name.split('/')[1]}/locations/global/workloadIdentityPools/github`;
  prod.pools.push({
    name: poolName,
    displayName: 'GitHub Actions',
    state: 'ACTIVE',
    providers: [
      {
        name: `${poolName}/providers/github-actions`,
        displayName: 'GitHub Actions',
        state: 'ACTIVE',
        attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
        oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
      },
    ],
  });
  bind(ciRunner.policy, 'roles/iam.workloadIdentityUser', `principalSet://iam.googleapis.com/${poolName}/attribute.repository/acme/payments-api`);

  accountActivity(prod, deployer, '2026-12-04T10:00:00Z');
  accountActivity(prod, ciRunner, '2026-12-05T10:00:00Z');
  accountActivity(prod, reporting, '2026-07-01T10:00:00Z');
  keyActivity(prod, deployer, deployerKey, '2026-12-04T10:00:00Z');
  keyActivity(prod, reporting, reportingKey, '2026-10-02T10:00:00Z');
  recommend(prod, sa(compute.account.email), 'roles/editor');
  recommend(prod, sa(deployer.account.email), 'roles/editor', 'roles/run.developer');

  return {
    organization: {
      name: 'organizations/200000000001',
      policy: { version: 1, bindings: [{ role: 'roles/resourcemanager.organizationAdmin', members: ['user:alice.martin@acme.example'] }] },
    },
    folders: [
      {
        name: 'folders/300000000001',
        parent: 'organizations/200000000001',
        policy: { version: 1, bindings: [{ role: 'roles/iam.serviceAccountUser', members: ['group:release@acme.example'] }] },
      },
    ],
    projects: [prod, dev],
  };
}

/** A test service-account key for the emulator's token endpoint (random: tests never compare its hash). */
export function testServiceAccountKey(projectId = 'nhiscan-test'): { key: Record<string, string>; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const email = `scanner@${projectId}.iam.gserviceaccount.com`;
  return {
    key: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: keyIdFor(`scanner:${email}`),
      private_key: privateKey,
      client_email: email,
      client_id: uniqueIdFor(email),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    publicKeyPem: publicKey,
  };
}

/** The estate as the snapshot the live collector would produce (for importer and rule tests). */
export function estateAsSnapshot(estate: EmuGcpEstate): GcpSnapshot {
  return {
    nhiscanSnapshot: 'gcp',
    version: 1,
    ...(estate.organization ? { organization: estate.organization } : {}),
    folders: estate.folders,
    projects: estate.projects.map((p) => ({
      project: p.project,
      policy: p.policy,
      serviceAccounts: p.serviceAccounts.map((s) => ({ account: s.account, keys: s.keys, policy: s.policy })),
      workloadIdentityPools: p.pools,
      accountActivities: p.accountActivities,
      keyActivities: p.keyActivities,
      roleRecommendations: p.recommendations,
    })),
  };
}
