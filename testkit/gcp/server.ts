/**
 * A loopback emulator of the Google Cloud REST APIs nhiscan reads: the OAuth token endpoint (JWT
 * bearer grant, signature checked against the test key), Resource Manager v3 (projects, folders,
 * getIamPolicy), IAM v1 (service accounts, keys, their policies, workload identity pools and
 * providers) and Policy Analyzer v1 (activities:query). Paths and bodies follow Google's discovery
 * documents; list calls page through `nextPageToken`.
 *
 * It records every request (tests prove nhiscan only reads: GETs and getIamPolicy POSTs) and injects
 * faults per route: a status (429 with Retry-After, 5xx, 403), a hang, or a malformed body.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { EmuGcpEstate, EmuProject } from './estate.js';
import type { Chaos } from '../chaos.js';

export interface GcpRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorized: boolean;
}

export interface GcpFault {
  /** Matched against `METHOD path`, e.g. /GET \/v1\/projects\/[^/]+\/serviceAccounts$/. */
  match: RegExp;
  status?: number;
  retryAfterSeconds?: number;
  hang?: boolean;
  malformed?: boolean;
  /** How many matching requests get the fault (default: all). */
  times?: number;
}

export interface GcpEmulatorOptions {
  estate: EmuGcpEstate;
  /** The public key of the test service-account key; token requests signed by anything else are refused. */
  publicKeyPem: string;
  pageSize?: number;
  faults?: GcpFault[];
  /** Random faults on the requests no scripted fault takes (the fault soak, testkit/chaos.ts); never on /token. */
  chaos?: Chaos;
  /** Simulated latency per request, for benches. */
  latencyMs?: number;
}

export interface GcpEmulator {
  url: string;
  requests: GcpRecordedRequest[];
  tokenRequests: number;
  close(): Promise<void>;
}

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle(m: RegExpExecArray, query: URLSearchParams): unknown;
}

function paged<T>(items: T[], key: string, query: URLSearchParams, pageSize: number): Record<string, unknown> {
  const start = Number(query.get('pageToken') ? Buffer.from(query.get('pageToken')!, 'base64url').toString() : '0');
  const size = Math.min(Number(query.get('pageSize') ?? pageSize) || pageSize, pageSize);
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { [key]: page, ...(next ? { nextPageToken: next } : {}) };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function routes(estate: EmuGcpEstate, pageSize: number): Route[] {
  const projectBy = (idOrNumber: string): EmuProject => {
    const p = estate.projects.find((x) => x.project.projectId === idOrNumber || x.project.name === `projects/${idOrNumber}`);
    if (!p) throw new HttpError(403, `Permission denied on resource project ${idOrNumber} (or it may not exist).`);
    return p;
  };
  const accountBy = (projectId: string, email: string) => {
    const a = projectBy(projectId).serviceAccounts.find((s) => s.account.email === email || s.account.uniqueId === email);
    if (!a) throw new HttpError(404, `Service account projects/${projectId}/serviceAccounts/${email} not found.`);
    return a;
  };
  const poolsOf = (projectId: string) => projectBy(projectId).pools.map(({ providers: _providers, ...pool }) => pool);
  return [
    {
      method: 'GET',
      pattern: /^\/v3\/projects:search$/,
      handle: (_m, q) =>
        paged(
          estate.projects.map((p) => p.project),
          'projects',
          q,
          pageSize,
        ),
    },
    { method: 'GET', pattern: /^\/v3\/projects\/([^/:]+)$/, handle: (m) => projectBy(m[1]!).project },
    { method: 'POST', pattern: /^\/v3\/projects\/([^/:]+):getIamPolicy$/, handle: (m) => projectBy(m[1]!).policy },
    {
      method: 'POST',
      pattern: /^\/v3\/organizations\/(\d+):getIamPolicy$/,
      handle: (m) => {
        if (estate.organization?.name !== `organizations/${m[1]}`) throw new HttpError(403, 'The caller does not have permission');
        return estate.organization.policy;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v3\/folders$/,
      handle: (_m, q) =>
        paged(
          estate.folders.filter((f) => f.parent === q.get('parent')).map(({ policy: _p, ...f }) => ({ ...f, state: 'ACTIVE' })),
          'folders',
          q,
          pageSize,
        ),
    },
    {
      method: 'POST',
      pattern: /^\/v3\/folders\/(\d+):getIamPolicy$/,
      handle: (m) => {
        const f = estate.folders.find((x) => x.name === `folders/${m[1]}`);
        if (!f) throw new HttpError(403, 'The caller does not have permission');
        return f.policy;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/projects\/([^/]+)\/serviceAccounts$/,
      handle: (m, q) =>
        paged(
          projectBy(m[1]!).serviceAccounts.map((s) => s.account),
          'accounts',
          q,
          pageSize,
        ),
    },
    { method: 'GET', pattern: /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+)\/keys$/, handle: (m) => ({ keys: accountBy(m[1]!, m[2]!).keys }) },
    { method: 'POST', pattern: /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+):getIamPolicy$/, handle: (m) => accountBy(m[1]!, m[2]!).policy },
    {
      method: 'GET',
      pattern: /^\/v1\/projects\/([^/]+)\/locations\/global\/workloadIdentityPools$/,
      handle: (m, q) => paged(poolsOf(m[1]!), 'workloadIdentityPools', q, pageSize),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/(projects\/([^/]+)\/locations\/global\/workloadIdentityPools\/[^/]+)\/providers$/,
      handle: (m, q) => paged(projectBy(m[2]!).pools.find((p) => p.name === m[1])?.providers ?? [], 'workloadIdentityPoolProviders', q, pageSize),
    },
    {
      method: 'GET',
      pattern:
        /^\/v1\/projects\/([^/]+)\/locations\/global\/activityTypes\/(serviceAccountLastAuthentication|serviceAccountKeyLastAuthentication)\/activities:query$/,
      handle: (m, q) => {
        const p = projectBy(m[1]!);
        const all = m[2] === 'serviceAccountLastAuthentication' ? p.accountActivities : p.keyActivities;
        // The documented per-resource filter: activities.fullResourceName = "//iam.googleapis.com/…".
        const only = /activities\.fullResourceName\s*=\s*"([^"]+)"/.exec(q.get('filter') ?? '')?.[1];
        return paged(only ? all.filter((a) => a.fullResourceName === only) : all, 'activities', q, pageSize);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/projects\/([^/]+)\/locations\/global\/recommenders\/google\.iam\.policy\.Recommender\/recommendations$/,
      handle: (m, q) => paged(projectBy(m[1]!).recommendations, 'recommendations', q, pageSize),
    },
  ];
}

/** A chaos kind in Google's wire form. */
function chaosFault(chaos: Chaos | undefined, target: string): GcpFault | undefined {
  const kind = chaos?.pick(target);
  if (!chaos || !kind) return undefined;
  if (kind === 'throttle') return { match: /$^/, status: 429, retryAfterSeconds: chaos.retryAfterSeconds };
  return { match: /$^/, status: 503, hang: kind === 'hang', malformed: kind === 'malformed' };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Checks a JWT bearer assertion's RS256 signature against the test key, as Google's token endpoint does. */
function validAssertion(assertion: string | null, publicKeyPem: string): boolean {
  const parts = assertion?.split('.') ?? [];
  if (parts.length !== 3) return false;
  return verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey(publicKeyPem), Buffer.from(parts[2]!, 'base64url'));
}

export async function startGcpEmulator(options: GcpEmulatorOptions): Promise<GcpEmulator> {
  const table = routes(options.estate, options.pageSize ?? 2);
  const tokens = new Set<string>();
  const requests: GcpRecordedRequest[] = [];
  const faults = (options.faults ?? []).map((f) => ({ ...f, left: f.times ?? Infinity }));
  const hanging = new Set<ServerResponse>();
  const state = { tokenRequests: 0 };

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const googleError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
    json(
      res,
      status,
      {
        error: {
          code: status,
          message,
          status: status === 429 ? 'RESOURCE_EXHAUSTED' : status === 403 ? 'PERMISSION_DENIED' : status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE',
        },
      },
      headers,
    );

  const server = createServer(async (req, res) => {
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = decodeURIComponent(url.pathname);
    if (req.method === 'POST' && path === '/token') {
      state.tokenRequests++;
      const form = new URLSearchParams(await readBody(req));
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !validAssertion(form.get('assertion'), options.publicKeyPem)) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      }
      const token = `ya29.emulator-${randomBytes(12).toString('hex')}`;
      tokens.add(token);
      return json(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    await readBody(req);
    const authorized = tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    requests.push({ method: req.method ?? '', path, query: Object.fromEntries(url.searchParams), authorized });
    const scripted = faults.find((f) => f.left > 0 && f.match.test(`${req.method} ${path}`));
    if (scripted) scripted.left--;
    const fault = scripted ?? chaosFault(options.chaos, `${req.method} ${path}${url.search}`);
    if (fault) {
      if (fault.hang) return void hanging.add(res);
      if (fault.malformed) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"accounts": [ {"email": ');
      }
      return googleError(
        res,
        fault.status ?? 503,
        'injected fault',
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
    }
    if (!authorized) return googleError(res, 401, 'Request had invalid authentication credentials.');
    const route = table.find((r) => r.method === req.method && r.pattern.test(path));
    if (!route) return googleError(res, 404, `no emulated route for ${req.method} ${path}`);
    try {
      json(res, 200, route.handle(route.pattern.exec(path)!, url.searchParams));
    } catch (error) {
      googleError(res, error instanceof HttpError ? error.status : 500, (error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get tokenRequests() {
      return state.tokenRequests;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
