/**
 * The two middlewares nhiscan adds to the Microsoft Graph client's chain, after the SDK's own
 * AuthenticationHandler:
 *
 * - `RetryMiddleware` retries 429 (honouring Retry-After), every 5xx and network errors or stalled
 *   attempts, with exponential backoff. The SDK's RetryHandler retries only 429/503/504 and knows
 *   no timeout, so one stalled connection would stall the scan.
 * - `HttpsTransport` sends over node:https with a keep-alive agent (connection reuse across thousands
 *   of batches), a per-attempt timeout, a check that a JSON answer is whole, the caller's TLS options (a test CA) and a request counter.
 *   It refuses every method but GET, and POST only to `$batch` (whose body the collector builds
 *   from GETs): nhiscan never writes to a tenant, even by mistake.
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

export interface TransportStats {
  /** HTTP attempts sent, retries included. */
  requests: number;
  retries: number;
  throttled: number;
}

export interface RetryOptions {
  maxRetries?: number;
  /** First backoff delay; doubles per attempt. */
  retryDelayInMs?: number;
  maxRetryDelayInMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

function retryAfterMs(response: Response | undefined): number | undefined {
  const value = response?.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

export class RetryMiddleware implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly stats: TransportStats,
    private readonly options: RetryOptions,
    private readonly signal?: AbortSignal,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  /** Backoff for attempt n (0-based), or the server's Retry-After when it gave one, capped. */
  delayFor(attempt: number, response?: Response): number {
    const base = this.options.retryDelayInMs ?? 1000;
    const cap = this.options.maxRetryDelayInMs ?? 30_000;
    const server = retryAfterMs(response);
    return Math.min(cap, server ?? base * 2 ** attempt * (0.8 + Math.random() * 0.4));
  }

  async execute(context: Context): Promise<void> {
    const maxRetries = this.options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        await this.next!.execute(context);
      } catch (error) {
        if (this.signal?.aborted) throw error;
        failure = error;
      }
      const status = context.response?.status ?? 0;
      const retryable = failure !== undefined || isRetryableStatus(status);
      if (!retryable || attempt >= maxRetries) {
        if (failure !== undefined) throw failure;
        return;
      }
      this.stats.retries += 1;
      if (status === 429) this.stats.throttled += 1;
      await sleep(this.delayFor(attempt, failure ? undefined : context.response), this.signal);
    }
  }
}

export interface HttpsTransportOptions {
  /** Per-attempt timeout; a stalled attempt fails with ETIMEDOUT and is retried. */
  timeoutMs: number;
  /** Extra CA certificates to trust (the emulator's test CA). */
  ca?: string | string[];
  maxSockets?: number;
  signal?: AbortSignal;
}

function headersOf(init: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init as ConstructorParameters<typeof Headers>[0]).forEach((v, k) => (out[k] = v));
  return out;
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

export class HttpsTransport implements Middleware {
  private readonly agent: Agent;
  constructor(
    private readonly stats: TransportStats,
    private readonly options: HttpsTransportOptions,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16, ...(options.ca ? { ca: options.ca } : {}) });
  }

  close(): void {
    this.agent.destroy();
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const method = (context.options?.method ?? 'GET').toUpperCase();
    if (!(method === 'GET' || (method === 'POST' && /\/\$batch(\?|$)/.test(new URL(url).pathname)))) {
      throw new Error(`refusing ${method} ${new URL(url).pathname}: nhiscan only reads`);
    }
    const body = context.options?.body;
    this.stats.requests += 1;
    context.response = await this.send(url, method, headersOf(context.options?.headers), typeof body === 'string' ? body : undefined);
  }

  private send(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<Response> {
    const { timeoutMs, signal } = this.options;
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(url, { method, headers, agent: this.agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const responseHeaders = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks);
          // A truncated JSON answer (a proxy cut, a dropped connection) is a transient failure: retried, not parsed.
          if (status >= 200 && status < 300 && /json/i.test(responseHeaders.get('content-type') ?? '') && !isJson(body)) {
            return reject(Object.assign(new Error('malformed JSON in the response body'), { code: 'EMALFORMED' }));
          }
          resolve(new Response(status === 204 ? null : body, { status, headers: responseHeaders }));
        });
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
  }
}
