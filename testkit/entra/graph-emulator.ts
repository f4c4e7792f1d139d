/**
 * Loopback Microsoft Graph emulator (TLS with the test CA of testkit/azure/tls.ts) for the reads the
 * entra source makes, plus an Entra-style token endpoint so a spawned CLI can authenticate with
 * EnvironmentCredential → ClientSecretCredential through AZURE_AUTHORITY_HOST. See README.md.
 *
 * Behaviour: `$select` projection, `$top` (capped at 999) and opaque `@odata.nextLink` skip tokens,
 * `$filter=servicePrincipalType eq 'ManagedIdentity'` (managed identities appear only when asked for),
 * JSON batching (`POST /v1.0/$batch`, at most 20 requests, each routed like a direct GET; a non-GET
 * inside a batch is refused and recorded as a write attempt), programmable faults on direct requests
 * and on batch items (429 with Retry-After, 5xx, 403, hang, malformed body), 401 without a token it
 * issued. Every request and every batch item is recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { testTls } from '../azure/tls.js';
import { EmulatedIdentityPlatform, listenTls, readBody, staticEmulatorCredential } from '../azure/identity-platform.js';
import type { EmuTenant } from './tenant.js';
import { routeGraph, type GraphAnswer } from './routes.js';
import { chaosFault } from '../azure/arm-emulator.js';
import type { Chaos } from '../chaos.js';

export interface GraphRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** `graph` for direct requests, `batch-item` for a request inside a `$batch`, `token` for the identity endpoints. */
  kind: 'graph' | 'batch-item' | 'token';
  authorized: boolean;
}

export interface GraphFault {
  /** Matched against `METHOD path?query` (as sent; batch items as `GET /v1.0/url`). */
  match: RegExp;
  status: number | 'malformed' | 'hang';
  retryAfter?: string;
  times?: number;
}

export interface GraphEmulatorOptions {
  tenant: EmuTenant;
  /** Items per page when the client asks for no `$top` (Graph's default is 100). */
  defaultPageSize?: number;
  /** Largest page served whatever `$top` asks (999 for directory objects). */
  maxPageSize?: number;
  latencyMs?: number;
  faults?: GraphFault[];
  /** Random faults on requests and batch items no scripted fault takes (the fault soak, testkit/chaos.ts); never on the token endpoint. */
  chaos?: Chaos;
  /** Paths (regex on `/beta/reports/...`) answered 403, as without AuditLog.Read.All or a P1 licence. */
  forbidden?: RegExp[];
  clientId?: string;
  clientSecret?: string;
}

export interface GraphEmulator {
  url: string;
  caCert: string;
  requests: GraphRecordedRequest[];
  /** Non-GET requests or batch items received (a read-only scanner sends none). */
  writeAttempts: string[];
  faults: GraphFault[];
  issueToken(): string;
  tokenScopes: string[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function graphError(status: number, code: string, message: string): GraphAnswer {
  return { status, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomBytes(8).toString('hex') } } } };
}

export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  const requests: GraphRecordedRequest[] = [];
  const writeAttempts: string[] = [];
  const faults = options.faults ?? [];
  const identity = new EmulatedIdentityPlatform({ tenantId: options.tenant.tenantId, clientId: options.clientId, clientSecret: options.clientSecret });
  const skipTokens = new Map<string, number>();
  let base = '';

  const takeFault = (target: string): GraphFault | undefined => {
    const fault = faults.find((f) => (f.times ?? 1) > 0 && f.match.test(target));
    if (fault) fault.times = (fault.times ?? 1) - 1;
    return fault ?? chaosFault(options.chaos, target);
  };

  const paging = {
    defaultPageSize: options.defaultPageSize ?? 100,
    maxPageSize: options.maxPageSize ?? 999,
    nextLink(url: URL, offset: number): string {
      const token = randomBytes(12).toString('base64url');
      skipTokens.set(token, offset);
      const next = new URL(url.href);
      next.searchParams.set('$skiptoken', token);
      return `${base}${next.pathname}?${next.searchParams.toString().replace(/%24/g, '$').replace(/%2C/g, ',')}`;
    },
    offsetOf(token: string | null): number | undefined {
      if (!token) return 0;
      return skipTokens.get(token);
    },
  };

  const answer = (method: string, url: URL): GraphAnswer => {
    if (options.forbidden?.some((r) => r.test(url.pathname)))
      return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    return routeGraph(options.tenant, method, url, paging) ?? graphError(404, 'Request_ResourceNotFound', `Resource '${url.pathname}' does not exist.`);
  };

  const faultAnswer = (fault: GraphFault): GraphAnswer | 'hang' | 'malformed' => {
    if (fault.status === 'hang' || fault.status === 'malformed') return fault.status;
    const code = fault.status === 429 ? 'TooManyRequests' : fault.status === 403 ? 'Authorization_RequestDenied' : 'ServiceUnavailable';
    return { ...graphError(fault.status, code, `emulated fault ${fault.status}`), headers: fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {} };
  };

  async function handleBatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let parsed: { requests?: { id: string; method: string; url: string }[] };
    try {
      parsed = JSON.parse(await readBody(req));
    } catch {
      return send(res, 400, graphError(400, 'BadRequest', 'Invalid batch payload.').body);
    }
    const items = parsed.requests ?? [];
    if (items.length === 0 || items.length > 20) return send(res, 400, graphError(400, 'BadRequest', 'A batch must hold between 1 and 20 requests.').body);
    const responses = items.map((item) => {
      const url = new URL(`${base}/v1.0${item.url.startsWith('/') ? '' : '/'}${item.url}`);
      const record: GraphRecordedRequest = {
        method: item.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: 0,
        kind: 'batch-item',
        authorized: true,
      };
      requests.push(record);
      let result: GraphAnswer;
      if (item.method.toUpperCase() !== 'GET') {
        writeAttempts.push(`${item.method} ${url.pathname} (in $batch)`);
        result = graphError(405, 'Request_BadRequest', 'The emulator serves read operations only.');
      } else {
        const fault = takeFault(`GET ${url.pathname}${url.search}`);
        const faulted = fault ? faultAnswer(fault) : undefined;
        result = faulted && typeof faulted === 'object' ? faulted : faulted ? graphError(500, 'InternalServerError', 'emulated fault') : answer('GET', url);
      }
      record.status = result.status;
      return { id: item.id, status: result.status, headers: { 'Content-Type': 'application/json', ...result.headers }, body: result.body };
    });
    send(res, 200, { responses });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, record: GraphRecordedRequest): Promise<void> {
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (record.kind === 'token') return identity.handle(req, res, url);
    if (!record.authorized) return send(res, 401, graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.').body);
    const isBatch = req.method === 'POST' && url.pathname === '/v1.0/$batch';
    if (req.method !== 'GET' && !isBatch) {
      writeAttempts.push(`${req.method} ${url.pathname}`);
      return send(res, 405, graphError(405, 'Request_BadRequest', 'The emulator serves read operations only.').body);
    }
    const fault = takeFault(`${req.method} ${url.pathname}${url.search}`);
    if (fault) {
      const faulted = faultAnswer(fault);
      if (faulted === 'hang') return; // never answers; the client must time out
      if (faulted === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"value": [{"id": ');
      }
      return send(res, faulted.status, faulted.body, faulted.headers);
    }
    if (isBatch) return handleBatch(req, res);
    const result = answer('GET', url);
    send(res, result.status, result.body, result.headers);
  }

  const listening = await listenTls((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const record: GraphRecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      kind: identity.isIdentityPath(url.pathname) ? 'token' : 'graph',
      authorized: identity.authorized(req),
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    handle(req, res, url, record).catch((error) => send(res, 500, graphError(500, 'EmulatorError', String(error)).body));
  });
  base = identity.base = listening.url;
  return {
    url: base,
    caCert: (await testTls()).caCert,
    requests,
    writeAttempts,
    faults,
    issueToken: identity.issueToken,
    tokenScopes: identity.tokenScopes,
    close: listening.close,
  };
}

/** A credential for in-process tests: hands out a token the emulator issued. Never a real Azure credential. */
export const staticGraphCredential = (emulator: GraphEmulator) => staticEmulatorCredential(emulator);
