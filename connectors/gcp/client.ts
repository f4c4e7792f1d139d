/**
 * The Google Cloud transport: Application Default Credentials through google-auth-library, the IAM API
 * through @googleapis/iam, and Resource Manager / Policy Analyzer as REST calls on the same auth client.
 *
 * Every call goes through `call()`: bounded concurrency, a per-request timeout, retries with backoff on
 * 429/5xx and network errors (honouring Retry-After), and counters for the source's stats. The
 * libraries' own retries are switched off so one policy governs all calls.
 *
 * `endpoint` (`--gcp-endpoint`) sends every Google API host, the OAuth token endpoint included, to one
 * root: private endpoints in production, the loopback emulator in tests. It is applied as a request
 * interceptor on the auth client's transporter, which both the IAM client and the REST calls use.
 */
// gaxios as google-auth-library exports it: the same copy its clients use for their transporter.
import { setMaxListeners } from 'node:events';
import { GoogleAuth, gaxios, type AuthClient } from 'google-auth-library';
import { iam_v1, iam as iamApi } from '@googleapis/iam';
import pLimit from 'p-limit';

export interface GcpClientOptions {
  /** A service-account key (parsed JSON) instead of Application Default Credentials. */
  credentials?: Record<string, unknown>;
  endpoint?: string;
  maxRetries: number;
  requestTimeoutMs: number;
  concurrency: number;
  /** Backoff base; tests shorten it. */
  retryBaseMs?: number;
  signal?: AbortSignal;
}

export interface GcpStats {
  requests: number;
  retries: number;
  throttled: number;
}

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform.read-only'];
const GOOGLE_HOST = /^https:\/\/([a-z0-9-]+)\.googleapis\.com(?=\/|$)/;

export class GcpApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Status code of a gaxios error, a GcpApiError or anything else (undefined: network-level). */
export function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; response?: { status?: unknown }; code?: unknown };
  const status = e?.response?.status ?? e?.status ?? (typeof e?.code === 'number' ? e.code : undefined);
  return typeof status === 'number' ? status : undefined;
}

/** A short, credential-free description of an API error: status and Google's own message. */
export function describeGcpError(error: unknown): string {
  const e = error as { response?: { data?: any; status?: number }; message?: string };
  const googleMessage = e?.response?.data?.error?.message;
  const status = statusOf(error);
  const base = typeof googleMessage === 'string' ? googleMessage : String(e?.message ?? error).split('\n')[0];
  return status ? `HTTP ${status}: ${base}` : (base ?? 'unknown error');
}

function retryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return true; // timeouts, resets, malformed bodies
  return status === 429 || status >= 500;
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: unknown } })?.response?.headers;
  const value = headers instanceof Headers ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  const seconds = value ? Number(value) : NaN;
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 60_000) : undefined;
}

function redirectingTransporter(endpoint: string | undefined): gaxios.Gaxios {
  const transporter = new gaxios.Gaxios();
  if (!endpoint) return transporter;
  const root = endpoint.replace(/\/+$/, '');
  transporter.interceptors.request.add({
    resolved: async (options: gaxios.GaxiosOptionsPrepared) => {
      const url = options.url.toString();
      const m = GOOGLE_HOST.exec(url);
      if (m) options.url = new URL(root + url.slice(m[0].length));
      return options;
    },
  });
  return transporter;
}

/** What every attempt passes to gaxios: no retries of its own, and the attempt's deadline as a signal. */
interface AttemptOptions {
  retry: false;
  signal: AbortSignal;
}

export class GcpClient {
  readonly stats: GcpStats = { requests: 0, retries: 0, throttled: 0 };
  readonly iam: iam_v1.Iam;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly authClient: Promise<AuthClient>;
  private readonly scanSignal: AbortSignal;

  constructor(private readonly options: GcpClientOptions) {
    const transporter = redirectingTransporter(options.endpoint);
    const auth = new GoogleAuth({
      scopes: SCOPES,
      ...(options.credentials ? { credentials: options.credentials as any } : {}),
      clientOptions: { transporter },
    });
    this.authClient = auth.getClient() as Promise<AuthClient>;
    this.iam = iamApi({ version: 'v1', auth });
    this.limit = pLimit(options.concurrency);
    // One listener on the caller's signal; each attempt listens on this one (as many as run at once).
    const scan = new AbortController();
    setMaxListeners(0, scan.signal);
    options.signal?.addEventListener('abort', () => scan.abort(options.signal?.reason), { once: true });
    this.scanSignal = scan.signal;
  }

  /** Runs one API call under the concurrency limit, with timeout and retries. */
  async call<T>(what: string, fn: (requestOptions: AttemptOptions) => Promise<{ data: T }>): Promise<T> {
    return this.limit(async () => {
      const base = this.options.retryBaseMs ?? 500;
      for (let attempt = 0; ; attempt++) {
        this.options.signal?.throwIfAborted();
        this.stats.requests++;
        try {
          const res = await this.attempt(fn);
          if (res.data === null || typeof res.data !== 'object') throw new GcpApiError(`${what}: malformed response (not a JSON object)`);
          return res.data;
        } catch (error) {
          if (statusOf(error) === 429) this.stats.throttled++;
          if (attempt >= this.options.maxRetries || !retryable(error) || this.options.signal?.aborted) {
            throw new GcpApiError(`${what}: ${describeGcpError(error)}`, statusOf(error));
          }
          this.stats.retries++;
          const delay = retryAfterMs(error) ?? Math.min(base * 2 ** attempt, 30_000) * (0.5 + Math.random() / 2);
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    });
  }

  /**
   * One attempt under a deadline of our own. Given a `timeout`, gaxios joins an AbortSignal.timeout to the
   * caller's signal with AbortSignal.any and keeps no reference to it; Node 20 may then collect the timeout
   * signal, and a request never answered hangs for good (the fault soak's 10,000-entity run stalled on it).
   * A timer that holds its controller cannot be collected.
   */
  private async attempt<T>(fn: (requestOptions: AttemptOptions) => Promise<T>): Promise<T> {
    const timeoutMs = this.options.requestTimeoutMs;
    const scan = this.scanSignal;
    const controller = new AbortController();
    const forward = () => controller.abort(scan.reason);
    if (scan.aborted) forward();
    scan.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      return await fn({ retry: false, signal: controller.signal });
    } catch (error) {
      // No status: retried like a reset connection.
      if (timedOut) throw Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' });
      throw error;
    } finally {
      clearTimeout(timer);
      scan.removeEventListener('abort', forward);
    }
  }

  /** A REST call on the auth client (Resource Manager, Policy Analyzer). Reads only: GET, or a `:getIamPolicy` POST. */
  async rest<T>(what: string, url: string, method: 'GET' | 'POST' = 'GET', data?: unknown): Promise<T> {
    if (method === 'POST' && !/:getIamPolicy$/.test(new URL(url).pathname)) throw new Error(`refusing a non-read call: POST ${url}`);
    const client = await this.authClient;
    return this.call<T>(what, (o) => client.request<T>({ url, method, ...(data !== undefined ? { data } : {}), responseType: 'json', ...o }));
  }

  /** Follows `nextPageToken` and concatenates the `itemsKey` arrays of every page. */
  async paged<T>(what: string, fetchPage: (pageToken?: string) => Promise<Record<string, unknown>>, itemsKey: string): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      const page = await fetchPage(token);
      const items = page[itemsKey];
      if (items !== undefined && !Array.isArray(items)) throw new GcpApiError(`${what}: malformed response (${itemsKey} is not a list)`);
      out.push(...((items as T[] | undefined) ?? []));
      token = typeof page.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined;
      if (token && seen.has(token)) throw new GcpApiError(`${what}: the API repeated a page token`);
      if (token) seen.add(token);
    } while (token);
    return out;
  }
}
