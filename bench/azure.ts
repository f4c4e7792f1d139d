/**
 * Azure collection benchmark: an emulated tenant (3 subscriptions, 500 vaults, 50,000 secrets) on the
 * loopback TLS ARM emulator with a small per-request latency, collected by nhiscan's collector
 * (bounded concurrency across subscriptions and vaults) and by the same collector run sequentially
 * (one subscription, one vault at a time) in the same run. Reports wall time, request counts and the
 * ratio. Page size is 25, Resource Manager's own page size for secrets.
 *
 *   npx tsx bench/azure.ts [--quick]
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { collectAzureSnapshot, type AzureCollectOptions } from '../connectors/azure/collect.js';
import { normaliseAzureSnapshot } from '../connectors/azure/normalise.js';
import { startArmEmulator, staticTestCredential } from '../testkit/azure/arm-emulator.js';
import { guid, type EmuEstate, type EmuVault } from '../testkit/azure/estate.js';

function benchEstate(subscriptions: number, vaults: number, secretsPerVault: number): EmuEstate {
  const tenantId = guid('bench-tenant');
  const now = Math.floor(Date.now() / 1000);
  const subs = Array.from({ length: subscriptions }, (_, s) => ({
    subscriptionId: guid(`bench-sub-${s}`),
    displayName: `bench ${s}`,
    vaults: [] as EmuVault[],
  }));
  for (let v = 0; v < vaults; v++) {
    subs[v % subscriptions]!.vaults.push({
      name: `kv-bench-${v}`,
      resourceGroup: `rg-${v % 20}`,
      tags: v % 3 ? { owner: `team-${v % 7}@example.test` } : {},
      properties: {
        enableRbacAuthorization: v % 2 === 0,
        enablePurgeProtection: v % 4 === 0,
        accessPolicies: Array.from({ length: 3 }, (_, p) => ({
          tenantId,
          objectId: guid(`bench-principal-${(v + p) % 200}`),
          permissions: { secrets: ['get', 'list'] },
        })),
      },
      secrets: Array.from({ length: secretsPerVault }, (_, i) => ({
        name: `secret-${i}`,
        attributes: {
          enabled: true,
          created: now - (i % 700) * 86_400,
          updated: now - (i % 700) * 86_400,
          ...(i % 2 ? { exp: now + (i % 900) * 86_400 } : {}),
        },
      })),
      keys: [],
    });
  }
  return { tenantId, subscriptions: subs };
}

async function timeCollect(options: AzureCollectOptions) {
  const started = process.hrtime.bigint();
  const result = await collectAzureSnapshot(options);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

export async function run({ quick }: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const [subscriptions, vaults, secretsPerVault] = quick ? [3, 30, 50] : [3, 500, 100];
  const latencyMs = 5;
  // Warm-up on a tiny tenant first, so neither measured run pays for module loading and JIT.
  const warm = await startArmEmulator({ estate: benchEstate(1, 4, 30), pageSize: 25 });
  await collectAzureSnapshot({ credential: staticTestCredential(warm), endpoint: warm.url, clientOptions: { tlsOptions: { ca: warm.caCert } } });
  await warm.close();

  const estate = benchEstate(subscriptions, vaults, secretsPerVault);
  const emulator = await startArmEmulator({ estate, pageSize: 25, latencyMs });
  try {
    const base: AzureCollectOptions = {
      credential: staticTestCredential(emulator),
      endpoint: emulator.url,
      clientOptions: { tlsOptions: { ca: emulator.caCert } },
    };
    const before = emulator.requests.length;
    const sequential = await timeCollect({ ...base, subscriptionConcurrency: 1, vaultConcurrency: 1 });
    const sequentialRequests = emulator.requests.length - before;
    const mid = emulator.requests.length;
    const concurrent = await timeCollect(base); // defaults: 4 subscriptions, 16 vaults at once
    const concurrentRequests = emulator.requests.length - mid;

    const normaliseStart = process.hrtime.bigint();
    const inventory = normaliseAzureSnapshot(concurrent.result.snapshot, { now: new Date(), source: 'azure' });
    const normaliseMs = Number(process.hrtime.bigint() - normaliseStart) / 1e6;
    const secrets = concurrent.result.stats.secrets;
    if (secrets !== vaults * secretsPerVault || sequential.result.stats.secrets !== secrets)
      throw new Error(`collected ${secrets} secrets, expected ${vaults * secretsPerVault}`);
    const nonGet = emulator.requests.filter((r) => r.kind === 'arm' && r.method !== 'GET').length;

    return {
      name: `azure: ${subscriptions} subscriptions, ${vaults} vaults, ${secrets} secrets, ${latencyMs} ms emulated latency per request, page size 25`,
      lines: [
        `nhiscan collector (4 subscriptions × 16 vaults at once): ${(concurrent.ms / 1000).toFixed(2)} s, ${concurrentRequests} requests`,
        `sequential baseline (same client, one at a time):        ${(sequential.ms / 1000).toFixed(2)} s, ${sequentialRequests} requests`,
        `speed-up: ${(sequential.ms / concurrent.ms).toFixed(1)}× faster at the same request count (${concurrentRequests === sequentialRequests ? 'equal' : 'DIFFERENT'})`,
        `normalise ${inventory.credentials.length} credentials + ${inventory.identities.length} identities: ${normaliseMs.toFixed(0)} ms`,
        `non-GET requests: ${nonGet}; TLS connections opened: ${emulator.connections()}`,
        `machine load average during the run: ${loadavg()[0]!.toFixed(1)} (emulator and collector share one process; on a busy machine the concurrent run becomes CPU-bound)`,
      ],
    };
  } finally {
    await emulator.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}\n`);
}
