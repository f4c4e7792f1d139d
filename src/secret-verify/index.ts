/**
 * Runs `--verify`: each candidate credential goes to its provider's identity endpoint (providers.ts),
 * one call at a time per provider with a pause between calls, each with a timeout, at most `maxCalls`
 * in all. Off by default; endpoints are overridable so tests only ever call loopback emulators.
 */
import type { z } from 'zod';
import { lazySchema } from '../zod-lazy.js';
import { PROVIDERS, providerFor, type Candidate, type ProviderId, type Verification } from './providers.js';

export type { Candidate, Verification, VerificationState } from './providers.js';
export { PROVIDERS } from './providers.js';

export const verifySettingsSchema = lazySchema((z) =>
  z
    .object({
      /** Replaces a provider's endpoint (tests, proxies, sovereign clouds): `{ "github": "http://127.0.0.1:8080" }`. */
      endpoints: z.record(z.string(), z.string().url()).optional(),
      timeoutMs: z.number().int().positive().optional(),
      minIntervalMs: z.number().int().min(0).optional(),
      maxCalls: z.number().int().positive().optional(),
    })
    .strict(),
);

export type VerifySettings = z.infer<typeof verifySettingsSchema>;

export const VERIFY_DEFAULTS = { timeoutMs: 10_000, minIntervalMs: 500, maxCalls: 200 } as const;

/** The endpoint used for a provider: config, then NHISCAN_VERIFY_<ID>_URL, then the provider's own. */
export function endpointOf(id: ProviderId, settings: VerifySettings, env: NodeJS.ProcessEnv = process.env): string {
  return settings.endpoints?.[id] ?? env[`NHISCAN_VERIFY_${id.toUpperCase()}_URL`] ?? PROVIDERS.find((p) => p.id === id)!.defaultEndpoint;
}

export function isVerifiable(detector: string): boolean {
  return providerFor(detector) !== undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Verifies every candidate (keyed by its secret hash); the values stay in this process's memory. */
export async function verifyCandidates(candidates: Map<string, Candidate>, settings: VerifySettings = {}): Promise<Map<string, Verification>> {
  const timeoutMs = settings.timeoutMs ?? VERIFY_DEFAULTS.timeoutMs;
  const minIntervalMs = settings.minIntervalMs ?? VERIFY_DEFAULTS.minIntervalMs;
  let budget = settings.maxCalls ?? VERIFY_DEFAULTS.maxCalls;
  const byProvider = new Map<ProviderId, Array<[string, Candidate]>>();
  for (const [hash, candidate] of candidates) {
    const provider = providerFor(candidate.detector);
    if (provider) byProvider.set(provider.id, [...(byProvider.get(provider.id) ?? []), [hash, candidate]]);
  }
  const results = new Map<string, Verification>();
  await Promise.all(
    [...byProvider].map(async ([id, items]) => {
      const provider = PROVIDERS.find((p) => p.id === id)!;
      const endpoint = endpointOf(id, settings);
      for (let i = 0; i < items.length; i++) {
        const [hash, candidate] = items[i]!;
        if (budget <= 0) {
          results.set(hash, { state: 'unknown', detail: `not verified: more than ${settings.maxCalls ?? VERIFY_DEFAULTS.maxCalls} credentials to verify` });
          continue;
        }
        budget--;
        if (i > 0) await sleep(minIntervalMs);
        try {
          results.set(hash, await provider.verify(candidate, { endpoint, signal: AbortSignal.timeout(timeoutMs) }));
        } catch (error) {
          const name = (error as Error).name;
          results.set(hash, {
            state: 'unknown',
            detail: name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs} ms` : `call failed (${name})`,
          });
        }
      }
    }),
  );
  return results;
}
