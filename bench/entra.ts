/**
 * Entra collection benchmark: an emulated tenant (20,000 applications, 30,000 service principals,
 * 100,000 app role assignments) on the loopback TLS Graph emulator, collected by nhiscan's collector
 * (`$select`, `$top=999`, per-object relations in `$batch`es of 20, 4 batches in flight) and by the naive
 * way in the same run (default page size, full objects, one GET per relation, 4 in flight). Reports
 * requests, wall time and their ratios, and checks both runs saw the same tenant.
 *
 *   npx tsx bench/entra.ts [--quick]          NHISCAN_BENCH_ENTRA_SCALE=0.25 for a reduced tenant
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { collectEntraSnapshot, type EntraCollectOptions } from '../connectors/entra/collect.js';
import { normaliseEntraSnapshot } from '../connectors/entra/normalise.js';
import { startGraphEmulator, staticGraphCredential } from '../testkit/entra/graph-emulator.js';
import { benchTenant } from '../testkit/entra/bench-tenant.js';

async function timeCollect(options: EntraCollectOptions) {
  const started = process.hrtime.bigint();
  const result = await collectEntraSnapshot(options);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

function assignmentCount(result: Awaited<ReturnType<typeof collectEntraSnapshot>>): number {
  return result.snapshot.servicePrincipals.reduce((n, sp) => n + (sp.appRoleAssignments?.length ?? 0), 0);
}

export async function run({ quick }: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const scale = quick ? 0.02 : Number(process.env.NHISCAN_BENCH_ENTRA_SCALE ?? 1);
  const [apps, sps, assignments] = [20_000, 30_000, 100_000].map((n) => Math.max(10, Math.round(n * scale))) as [number, number, number];
  const latencyMs = 2;
  const tenant = benchTenant(apps, sps, assignments);
  const emulator = await startGraphEmulator({ tenant, latencyMs });
  try {
    const base: EntraCollectOptions = {
      credential: staticGraphCredential(emulator),
      endpoint: emulator.url,
      ca: emulator.caCert,
      tenantId: tenant.tenantId,
      concurrency: 4,
      retry: { maxRetries: 3, retryDelayInMs: 50 },
    };
    const memoryBefore = process.memoryUsage().rss;
    let mark = emulator.requests.length;
    const batched = await timeCollect(base);
    const batchedRequests = emulator.requests.filter((r, i) => i >= mark && r.kind === 'graph').length;
    const batchItems = emulator.requests.filter((r, i) => i >= mark && r.kind === 'batch-item').length;
    mark = emulator.requests.length;
    const naive = await timeCollect({ ...base, mode: 'per-object' });
    const naiveRequests = emulator.requests.filter((r, i) => i >= mark && r.kind === 'graph').length;
    const same =
      batched.result.snapshot.applications.length === naive.result.snapshot.applications.length &&
      batched.result.snapshot.servicePrincipals.length === naive.result.snapshot.servicePrincipals.length &&
      assignmentCount(batched.result) === assignmentCount(naive.result) &&
      assignmentCount(batched.result) === assignments;
    if (!same)
      throw new Error(
        `the two runs saw different tenants (assignments ${assignmentCount(batched.result)} vs ${assignmentCount(naive.result)}, expected ${assignments})`,
      );
    const normaliseStart = process.hrtime.bigint();
    const inventory = normaliseEntraSnapshot(batched.result.snapshot, { now: new Date(), source: 'entra' });
    const normaliseMs = Number(process.hrtime.bigint() - normaliseStart) / 1e6;
    return {
      name: `entra: ${apps} applications, ${sps} service principals, ${assignments} app role assignments (scale ${scale}), ${latencyMs} ms emulated latency per request`,
      lines: [
        `nhiscan collector ($select, $top=999, $batch of 20, 4 in flight): ${(batched.ms / 1000).toFixed(2)} s, ${batchedRequests} requests (${batchItems} GETs inside batches), ${batched.result.stats.retries} retries`,
        `naive per-object collection (page 100, full objects, 1 GET each, 4 in flight): ${(naive.ms / 1000).toFixed(2)} s, ${naiveRequests} requests`,
        `ratios: ${(naiveRequests / batchedRequests).toFixed(1)}× fewer requests, ${(naive.ms / batched.ms).toFixed(1)}× faster`,
        `normalise ${inventory.identities.length} identities + ${inventory.credentials.length} credentials: ${normaliseMs.toFixed(0)} ms; RSS grew ${((process.memoryUsage().rss - memoryBefore) / 1e6).toFixed(0)} MB over both runs`,
        `write attempts seen by the emulator: ${emulator.writeAttempts.length}; machine load average: ${loadavg()[0]!.toFixed(1)}`,
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
