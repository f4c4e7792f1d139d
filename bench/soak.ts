/**
 * Fault soak: each emulator (AWS, Azure Resource Manager, Microsoft Graph, Google Cloud, GitHub) serves an
 * estate of about 10,000 entities, first fault-free, then with 30% of its requests faulted (throttling with
 * Retry-After, 5xx, hangs, bodies cut short; seeded, so a run is reproducible). The real connector collects
 * both; every entity of the fault-free inventory must come through equal, or the faulted run must be
 * `partial` with a `notCovered` entry covering it (testkit/soak/compare.ts). Anything else fails the bench.
 *
 *   npm run bench -- soak [--quick]          NHISCAN_SOAK_SIZE=2000 NHISCAN_SOAK_RATE=0.3 NHISCAN_SOAK_SEED=1
 *   NHISCAN_SOAK_ONLY=gcp,github             only those targets
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Chaos, CHAOS_KINDS } from '../testkit/chaos.js';
import { compareRuns, WHOLE_SOURCE, type SoakVerdict } from '../testkit/soak/compare.js';
import { SOAK_TARGETS, type SoakRun, type SoakTarget, type SoakTuning } from '../testkit/soak/targets.js';

/**
 * Emulators and connectors share one process, and at 10,000 entities its event loop is busy: a healthy
 * request must not time out behind the others on a loaded machine (750 ms did, fault-free), while a hung one
 * must still be abandoned soon.
 */
const TUNING: SoakTuning = { requestTimeoutMs: 3_000, retryBaseMs: 50 };

export interface SoakReport {
  target: string;
  requestTimeoutMs: number;
  clean: { requests: number; ms: number; status: string };
  faulted: { requests: number; ms: number; status: string; retries?: number };
  seen: number;
  injected: Record<string, number>;
  verdict: SoakVerdict;
}

export async function soakOne(target: SoakTarget, size: number, rate: number, seed: number): Promise<SoakReport> {
  const prepared = target.prepare(size);
  const tuning = { ...TUNING, ...target.tuning };
  let started = Date.now();
  const clean = await prepared.run(undefined, tuning);
  const cleanMs = Date.now() - started;
  if (clean.result.errors?.length)
    throw new Error(`${target.name}: the fault-free run ended ${clean.result.status}: ${JSON.stringify(clean.result.errors).slice(0, 500)}`);
  const chaos = new Chaos({ rate, seed });
  started = Date.now();
  // A source that fails outright (its first listing never answered) is `failed`: nothing of it is covered.
  const faulted: SoakRun = await prepared.run(chaos, tuning).catch((error: Error) => ({
    requests: 0,
    result: { identities: [], credentials: [], status: 'failed' as const, notCovered: [{ part: WHOLE_SOURCE, reason: error.message }] },
  }));
  const faultedMs = Date.now() - started;
  // The connector's own count: Azure, Entra and Google Cloud keep one; AWS counts SDK attempts beyond the calls.
  const stats = faulted.result.stats ?? {};
  const retries = stats.retries ?? (stats.apiAttempts !== undefined && stats.apiCalls !== undefined ? stats.apiAttempts - stats.apiCalls : undefined);
  return {
    target: target.name,
    requestTimeoutMs: tuning.requestTimeoutMs,
    clean: { requests: clean.requests, ms: cleanMs, status: clean.result.status ?? 'ok' },
    faulted: { requests: faulted.requests, ms: faultedMs, status: faulted.result.status ?? 'ok', ...(retries !== undefined ? { retries } : {}) },
    seen: chaos.seen,
    injected: { ...chaos.injected },
    verdict: compareRuns(clean.result, faulted.result, (part, entity) => part === WHOLE_SOURCE || target.covers(part, entity)),
  };
}

/** Whether the faulted inventory equals the fault-free one or says exactly what it misses. */
export function soakHolds(r: SoakReport): boolean {
  return r.verdict.unexplained.length === 0 && r.verdict.unbacked.length === 0 && r.verdict.statusConsistent;
}

function describe(r: SoakReport): string[] {
  const v = r.verdict;
  const faults = CHAOS_KINDS.map((k) => `${k} ${r.injected[k]}`).join(', ');
  const lines = [
    `${r.target}: ${v.entities.toLocaleString('en')} entities, request timeout ${r.requestTimeoutMs} ms`,
    `  fault-free: ${r.clean.requests.toLocaleString('en')} requests, ${(r.clean.ms / 1000).toFixed(1)} s`,
    `  faulted:    ${r.faulted.requests.toLocaleString('en')} requests (${r.faulted.requests - r.clean.requests} more; ${r.faulted.retries ?? '-'} retries by the connector's count), ${(r.faulted.ms / 1000).toFixed(1)} s, status ${r.faulted.status}`,
    `  faults injected: ${(r.seen ? (100 * (r.injected.throttle! + r.injected['server-error']! + r.injected.hang! + r.injected.malformed!)) / r.seen : 0).toFixed(1)}% of ${r.seen.toLocaleString('en')} (${faults})`,
    `  equal ${v.equal.toLocaleString('en')}, explained by notCovered ${v.explained}, unexplained ${v.unexplained.length}; notCovered entries ${v.notCovered} (without a matching error ${v.unbacked.length}; covering only unchanged entities ${v.unchanged.length}, none ${v.empty.length})${v.statusConsistent ? '' : '; INCONSISTENT: ok with notCovered'}`,
    `  verdict: ${soakHolds(r) ? 'holds' : 'FAILS'}`,
  ];
  for (const u of v.unexplained.slice(0, 5)) lines.push(`    unexplained ${u.why}: ${u.id}${u.detail ? ` (${u.detail})` : ''}`);
  for (const p of v.unbacked.slice(0, 3)) lines.push(`    without a matching error: ${p}`);
  for (const p of v.unchanged.slice(0, 2)) lines.push(`    covers only unchanged entities: ${p}`);
  for (const p of v.empty.slice(0, 2)) lines.push(`    covers no entity: ${p}`);
  return lines;
}

export async function run({ quick }: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const size = Number(process.env.NHISCAN_SOAK_SIZE ?? (quick ? 300 : 10_000));
  const rate = Number(process.env.NHISCAN_SOAK_RATE ?? 0.3);
  const seed = Number(process.env.NHISCAN_SOAK_SEED ?? 1);
  const only = process.env.NHISCAN_SOAK_ONLY?.split(',');
  const targets = SOAK_TARGETS.filter((t) => !only || only.some((o) => t.name.startsWith(o)));
  const lines: string[] = [];
  let failures = 0;
  for (const target of targets) {
    const report = await soakOne(target, size, rate, seed);
    if (!soakHolds(report)) failures++;
    lines.push(...describe(report), `  load average ${loadavg()[0]!.toFixed(1)}`);
    process.stderr.write(`${lines.slice(-8).join('\n')}\n`);
  }
  if (failures) throw new Error(`${failures} target(s) lost entities without saying so:\n${lines.join('\n')}`);
  return {
    name: `fault soak: ${Math.round(rate * 100)}% of requests faulted (seed ${seed}), about ${size.toLocaleString('en')} entities per emulator, retry backoff base ${TUNING.retryBaseMs} ms`,
    lines,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}\n`);
}
