/**
 * Google Cloud collection benchmark: an emulated organization (200 projects, 5,000 service accounts,
 * 20,000 keys) on the loopback emulator with a small per-request latency, collected by nhiscan's
 * collector (bounded concurrency; Policy Analyzer read once per project and activity type) and by a
 * per-account sequential collection in the same run (one request at a time; each account's and each
 * key's last authentication asked for with the documented per-resource filter, as a script following
 * the "view recent usage of an account" recipe would). Reports wall time, request counts and ratios.
 *
 *   npx tsx bench/gcp.ts [--quick]
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { GcpClient } from '../connectors/gcp/client.js';
import { collectGcpSnapshot } from '../connectors/gcp/collect.js';
import type { WireServiceAccount } from '../connectors/gcp/snapshot.js';
import { accountActivity, bind, key, keyActivity, project, sa, serviceAccount, testServiceAccountKey, type EmuGcpEstate } from '../testkit/gcp/estate.js';
import { startGcpEmulator } from '../testkit/gcp/server.js';

function benchEstate(projects: number, accountsPerProject: number, keysPerAccount: number): EmuGcpEstate {
  const estate: EmuGcpEstate = { folders: [], projects: [] };
  for (let p = 0; p < projects; p++) {
    const proj = project(`bench-project-${String(p).padStart(4, '0')}`, String(500000000000 + p));
    for (let a = 0; a < accountsPerProject; a++) {
      const account = serviceAccount(proj, `worker-${a}`);
      bind(proj.policy, a % 5 ? 'roles/viewer' : 'roles/editor', sa(account.account.email));
      if (a % 7 === 0) bind(account.policy, 'roles/iam.serviceAccountUser', sa(proj.serviceAccounts[0]!.account.email));
      accountActivity(proj, account, '2026-11-01T00:00:00Z');
      for (let k = 0; k < keysPerAccount; k++) keyActivity(proj, account, key(proj, account, `${p}-${a}-${k}`), '2026-11-02T00:00:00Z');
    }
    estate.projects.push(proj);
  }
  return estate;
}

const CRM = 'https://cloudresourcemanager.googleapis.com/v3';
const PA = 'https://policyanalyzer.googleapis.com/v1';

/** The per-account baseline: everything one request at a time, usage asked per account and per key. */
async function naiveCollect(client: GcpClient): Promise<number> {
  let keys = 0;
  const projects = await client.paged<{ projectId: string }>(
    'search',
    (t) => client.rest('search', `${CRM}/projects:search?pageSize=500${t ? `&pageToken=${t}` : ''}`),
    'projects',
  );
  for (const { projectId } of projects) {
    await client.rest('policy', `${CRM}/projects/${projectId}:getIamPolicy`, 'POST', {});
    const accounts = await client.paged<WireServiceAccount>(
      'sa',
      (t) => client.call('sa', (o) => client.iam.projects.serviceAccounts.list({ name: `projects/${projectId}`, pageSize: 100, pageToken: t }, o) as any),
      'accounts',
    );
    for (const account of accounts) {
      const name = `projects/${projectId}/serviceAccounts/${account.email}`;
      const list = await client.call<{ keys?: { name: string }[] }>('keys', (o) => client.iam.projects.serviceAccounts.keys.list({ name }, o) as any);
      await client.call('sa-policy', (o) => client.iam.projects.serviceAccounts.getIamPolicy({ resource: name }, o) as any);
      const filter = (resource: string) => encodeURIComponent(`activities.fullResourceName = "//iam.googleapis.com/${resource}"`);
      await client.rest(
        'act',
        `${PA}/projects/${projectId}/locations/global/activityTypes/serviceAccountLastAuthentication/activities:query?filter=${filter(name)}`,
      );
      for (const k of list.keys ?? []) {
        keys++;
        await client.rest(
          'key-act',
          `${PA}/projects/${projectId}/locations/global/activityTypes/serviceAccountKeyLastAuthentication/activities:query?filter=${filter(k.name)}`,
        );
      }
    }
    await client.call('pools', (o) => client.iam.projects.locations.workloadIdentityPools.list({ parent: `projects/${projectId}/locations/global` }, o) as any);
  }
  return keys;
}

export async function run({ quick }: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const [projects, perProject, perAccount] = quick ? [20, 25, 4] : [200, 25, 4];
  const testKey = testServiceAccountKey();
  const emulator = await startGcpEmulator({
    estate: benchEstate(projects, perProject, perAccount),
    publicKeyPem: testKey.publicKeyPem,
    pageSize: 1000,
    latencyMs: 2,
  });
  const common = { credentials: testKey.key, endpoint: emulator.url, maxRetries: 3, requestTimeoutMs: 60_000 };
  try {
    const load = loadavg()[0]!.toFixed(1);
    let started = Date.now();
    const collected = await collectGcpSnapshot({ ...common, concurrency: 16 });
    const ms = Date.now() - started;
    const requests = collected.stats.requests;

    started = Date.now();
    const naive = new GcpClient({ ...common, concurrency: 1 });
    const naiveKeys = await naiveCollect(naive);
    const naiveMs = Date.now() - started;
    if (collected.stats.keys !== projects * perProject * perAccount || naiveKeys !== collected.stats.keys)
      throw new Error(`collected ${collected.stats.keys} / ${naiveKeys} keys`);
    return {
      name: `gcp: ${projects} projects, ${projects * perProject} service accounts, ${collected.stats.keys} keys (2 ms latency per request; load ${load})`,
      lines: [
        `nhiscan (concurrency 16, activity per project):       ${(ms / 1000).toFixed(2)} s, ${requests} requests`,
        `per-account sequential (usage asked per account/key): ${(naiveMs / 1000).toFixed(2)} s, ${naive.stats.requests} requests`,
        `ratios: ${(naive.stats.requests / requests).toFixed(1)}× fewer requests, ${(naiveMs / ms).toFixed(1)}× faster`,
      ],
    };
  } finally {
    await emulator.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}`);
}
