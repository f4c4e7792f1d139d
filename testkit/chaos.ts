/**
 * Random faults for the fault soak (bench/soak.ts): every emulator accepts a `chaos` option and asks it,
 * for each request its scripted faults leave alone, whether to fault it and how. The decision is a hash of
 * the seed, the request (`METHOD path?query` or the action name) and how many times that same request was
 * seen before, so a run is reproducible whatever order concurrent requests arrive in, and a retried
 * request draws afresh (a fault is transient, as a real one is).
 *
 * Each emulator maps the four kinds onto its provider's own wire form: `throttle` is the provider's
 * throttling answer with Retry-After (429, AWS's 400 Throttling, GitHub's secondary rate limit),
 * `server-error` a 5xx, `hang` a request never answered, `malformed` a 200 whose body is cut short.
 */
import { createHash } from 'node:crypto';

export const CHAOS_KINDS = ['throttle', 'server-error', 'hang', 'malformed'] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];

export interface ChaosOptions {
  /** Share of requests faulted, 0..1. */
  rate: number;
  seed: number;
  /** Relative weight of each kind (default: throttle 3, server-error 3, malformed 2, hang 1). */
  weights?: Partial<Record<ChaosKind, number>>;
  /** Seconds sent as Retry-After with `throttle`. Default 1. */
  retryAfterSeconds?: number;
}

export class Chaos {
  readonly injected: Record<ChaosKind, number> = { throttle: 0, 'server-error': 0, hang: 0, malformed: 0 };
  /** Requests the chaos was asked about (the emulator's faultable requests). */
  seen = 0;
  readonly retryAfterSeconds: number;
  private readonly repeats = new Map<string, number>();
  private readonly cumulative: [ChaosKind, number][];

  constructor(private readonly options: ChaosOptions) {
    const weights = { throttle: 3, 'server-error': 3, malformed: 2, hang: 1, ...options.weights };
    const total = CHAOS_KINDS.reduce((n, k) => n + (weights[k] ?? 0), 0);
    let sum = 0;
    this.cumulative = CHAOS_KINDS.map((k) => [k, (sum += (weights[k] ?? 0) / total)]);
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }

  /** The fault for this request, if any. */
  pick(request: string): ChaosKind | undefined {
    this.seen++;
    const n = this.repeats.get(request) ?? 0;
    this.repeats.set(request, n + 1);
    const digest = createHash('sha256').update(`${this.options.seed}\0${request}\0${n}`).digest();
    if (digest.readUInt32LE(0) / 2 ** 32 >= this.options.rate) return undefined;
    const u = digest.readUInt32LE(4) / 2 ** 32;
    const kind = this.cumulative.find(([, edge]) => u < edge)?.[0] ?? 'throttle';
    this.injected[kind]++;
    return kind;
  }

  total(): number {
    return CHAOS_KINDS.reduce((n, k) => n + this.injected[k], 0);
  }
}
