/**
 * A loopback GitHub REST emulator: serves the read endpoints the GitHub connector uses from an in-memory
 * organisation, with Link-header pagination (per_page/page), primary and secondary rate-limit responses,
 * 5xx faults, requests never answered or answered half-way, malformed 200 bodies (truncated JSON, an HTML
 * page), forbidden/not-found parts, GitHub App installation tokens, and per-request latency. It
 * records every request so tests can assert the connector only reads, and (optionally) validates each
 * response body against GitHub's OpenAPI description.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createVerify, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { validateResponse, type ValidationIssue } from './openapi.js';
import { contentFile, organization, type Raw } from './fixtures.js';
import type { Chaos, ChaosKind } from '../chaos.js';

export interface EmulatedRepo {
  repo: Raw;
  deployKeys: Raw[];
  secrets: Raw[];
  environments: { env: Raw; secrets: Raw[] }[];
  hooks: Raw[];
  /** The repository's own workflow permissions; GitHub answers the organisation's when the repository keeps them. */
  workflowPermissions?: Raw;
  /** Path → text, served by the contents API. */
  files: Record<string, string>;
}

export interface EmulatedOrg {
  login: string;
  repos: EmulatedRepo[];
  actionsSecrets: { secret: Raw; repos: string[] }[];
  dependabotSecrets: { secret: Raw; repos: string[] }[];
  codespacesSecrets: { secret: Raw; repos: string[] }[];
  installations: Raw[];
  patGrants: { grant: Raw; repos: string[] }[];
  patRequests: { request: Raw; repos: string[] }[];
  hooks: Raw[];
  workflowPermissions: Raw;
  alerts: { alert: Raw; locations: Raw[] }[];
  /** Simple users (`login`, `id`, `type`…) of `GET /orgs/{org}/members` and `/outside_collaborators`. */
  members?: Raw[];
  outsideCollaborators?: Raw[];
}

export function emptyOrg(login: string): EmulatedOrg {
  return {
    login,
    repos: [],
    actionsSecrets: [],
    dependabotSecrets: [],
    codespacesSecrets: [],
    installations: [],
    patGrants: [],
    patRequests: [],
    hooks: [],
    workflowPermissions: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false },
    alerts: [],
  };
}

/**
 * - `hang`: the request is read and never answered (the socket stays open until the client gives up);
 * - `stall-body`: 200 with the headers and the first half of the real body, then nothing more;
 * - `truncated-json`: 200, `application/json`, the first half of the real body, and the response ends;
 * - `html-page`: 200 with a `text/html` page, as a captive proxy or a load balancer sends;
 * - `html-error`: 502 with a `text/html` page.
 */
export type FaultKind =
  | 'primary-rate-limit'
  | 'primary-rate-limit-429'
  | 'secondary-rate-limit'
  | 'server-error'
  | 'bad-gateway'
  | 'hang'
  | 'stall-body'
  | 'truncated-json'
  | 'html-page'
  | 'html-error';

export interface Fault {
  /** Matched against the request path (no query). */
  path: RegExp;
  kind: FaultKind;
  /** How many matching requests fail before the endpoint recovers. */
  times: number;
  /** Seconds in Retry-After / until x-ratelimit-reset. */
  retryAfter?: number;
}

const CHAOS_KINDS: Record<ChaosKind, FaultKind> = {
  throttle: 'secondary-rate-limit',
  'server-error': 'bad-gateway',
  hang: 'hang',
  malformed: 'truncated-json',
};

/** A chaos kind in GitHub's wire form: a secondary rate limit with Retry-After, a 502, no answer, or half a body. */
function chaosFault(chaos: Chaos | undefined, target: string): Fault | undefined {
  const kind = chaos?.pick(target);
  return chaos && kind ? { path: /$^/, kind: CHAOS_KINDS[kind], times: 1, retryAfter: chaos.retryAfterSeconds } : undefined;
}

export interface Denial {
  path: RegExp;
  status: 403 | 404;
  message?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The OpenAPI operation it matched (`GET /orgs/{org}/repos`), or undefined. */
  operation?: string;
  status: number;
  auth: 'none' | 'token' | 'installation' | 'jwt';
  at: number;
}

export interface EmulatorOptions {
  latencyMs?: number;
  faults?: Fault[];
  /** Random faults on the requests no scripted fault takes (the fault soak, testkit/chaos.ts); never on the App token exchange. */
  chaos?: Chaos;
  denials?: Denial[];
  /** Validate every 2xx JSON body against the OpenAPI description (issues collected in `issues`). */
  validate?: boolean;
  /** Tokens accepted as `Authorization: token X` (a PAT); installation tokens are minted by the App flow. */
  tokens?: string[];
  /** App id and PEM public key for `POST /app/installations/{id}/access_tokens` (JWT signature checked). */
  app?: { appId: string; publicKeyPem: string; installationId: string };
  /** Send the alert `secret` field even when `hide_secret=true` (an older server). */
  ignoreHideSecret?: boolean;
}

export interface GithubEmulator {
  url: string;
  requests: RecordedRequest[];
  issues: ValidationIssue[];
  /** Whether `token` is a credential this GitHub accepts (a configured PAT or a minted installation token): the git server's check. */
  acceptsToken(token: string): boolean;
  close(): Promise<void>;
}

type Handler = (m: string[], q: URLSearchParams, ctx: { installation: boolean }) => { status?: number; body: unknown; paginate?: boolean } | undefined;

interface Route {
  operation: string;
  pattern: RegExp;
  handler: Handler;
}

const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Unicorn!</title></head><body><h1>No server is currently available to service your request.</h1></body></html>\n';

const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';

function routeTable(org: EmulatedOrg): Route[] {
  const repoOf = (owner: string, name: string) => (owner === org.login ? org.repos.find((r) => r.repo.name === name) : undefined);
  const withRepo =
    (fn: (r: EmulatedRepo, m: string[], q: URLSearchParams) => ReturnType<Handler>): Handler =>
    (m, q) => {
      const r = repoOf(m[1]!, m[2]!);
      return r ? fn(r, m, q) : undefined;
    };
  const orgOnly =
    (fn: (m: string[], q: URLSearchParams, ctx: { installation: boolean }) => ReturnType<Handler>): Handler =>
    (m, q, ctx) =>
      m[1] === org.login ? fn(m, q, ctx) : undefined;
  const named = (items: { secret: Raw; repos: string[] }[]) =>
    orgOnly((m) => {
      const found = items.find((s) => s.secret.name === m[2]);
      if (!found) return undefined;
      const repos = org.repos.filter((r) => found.repos.includes(r.repo.full_name)).map((r) => r.repo);
      return { body: { total_count: repos.length, repositories: repos }, paginate: true };
    });
  const patOnly =
    (fn: Handler): Handler =>
    (m, q, ctx) => {
      if (!ctx.installation)
        return {
          status: 403,
          body: { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest', status: '403' },
        };
      return fn(m, q, ctx);
    };
  const R = (operation: string, pattern: RegExp, handler: Handler): Route => ({ operation, pattern, handler });
  return [
    R(
      'GET /orgs/{org}',
      /^\/orgs\/([^/]+)$/,
      orgOnly(() => ({ body: organization(org.login) })),
    ),
    R(
      'GET /orgs/{org}/repos',
      /^\/orgs\/([^/]+)\/repos$/,
      orgOnly(() => ({ body: org.repos.map((r) => r.repo), paginate: true })),
    ),
    R(
      'GET /orgs/{org}/actions/secrets',
      /^\/orgs\/([^/]+)\/actions\/secrets$/,
      orgOnly(() => ({ body: { total_count: org.actionsSecrets.length, secrets: org.actionsSecrets.map((s) => s.secret) }, paginate: true })),
    ),
    R('GET /orgs/{org}/actions/secrets/{secret_name}/repositories', /^\/orgs\/([^/]+)\/actions\/secrets\/([^/]+)\/repositories$/, named(org.actionsSecrets)),
    R(
      'GET /orgs/{org}/dependabot/secrets',
      /^\/orgs\/([^/]+)\/dependabot\/secrets$/,
      orgOnly(() => ({ body: { total_count: org.dependabotSecrets.length, secrets: org.dependabotSecrets.map((s) => s.secret) }, paginate: true })),
    ),
    R(
      'GET /orgs/{org}/dependabot/secrets/{secret_name}/repositories',
      /^\/orgs\/([^/]+)\/dependabot\/secrets\/([^/]+)\/repositories$/,
      named(org.dependabotSecrets),
    ),
    R(
      'GET /orgs/{org}/codespaces/secrets',
      /^\/orgs\/([^/]+)\/codespaces\/secrets$/,
      orgOnly(() => ({ body: { total_count: org.codespacesSecrets.length, secrets: org.codespacesSecrets.map((s) => s.secret) }, paginate: true })),
    ),
    R(
      'GET /orgs/{org}/codespaces/secrets/{secret_name}/repositories',
      /^\/orgs\/([^/]+)\/codespaces\/secrets\/([^/]+)\/repositories$/,
      named(org.codespacesSecrets),
    ),
    R(
      'GET /orgs/{org}/installations',
      /^\/orgs\/([^/]+)\/installations$/,
      orgOnly(() => ({ body: { total_count: org.installations.length, installations: org.installations }, paginate: true })),
    ),
    R(
      'GET /orgs/{org}/personal-access-tokens',
      /^\/orgs\/([^/]+)\/personal-access-tokens$/,
      orgOnly(patOnly(() => ({ body: org.patGrants.map((g) => g.grant), paginate: true }))),
    ),
    R(
      'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories',
      /^\/orgs\/([^/]+)\/personal-access-tokens\/(\d+)\/repositories$/,
      orgOnly(
        patOnly((m) => {
          const g = org.patGrants.find((x) => String(x.grant.id) === m[2]);
          return g ? { body: org.repos.filter((r) => g.repos.includes(r.repo.full_name)).map((r) => r.repo), paginate: true } : undefined;
        }),
      ),
    ),
    R(
      'GET /orgs/{org}/personal-access-token-requests',
      /^\/orgs\/([^/]+)\/personal-access-token-requests$/,
      orgOnly(patOnly(() => ({ body: org.patRequests.map((g) => g.request), paginate: true }))),
    ),
    R(
      'GET /orgs/{org}/personal-access-token-requests/{pat_request_id}/repositories',
      /^\/orgs\/([^/]+)\/personal-access-token-requests\/(\d+)\/repositories$/,
      orgOnly(
        patOnly((m) => {
          const g = org.patRequests.find((x) => String(x.request.id) === m[2]);
          return g ? { body: org.repos.filter((r) => g.repos.includes(r.repo.full_name)).map((r) => r.repo), paginate: true } : undefined;
        }),
      ),
    ),
    R(
      'GET /orgs/{org}/members',
      /^\/orgs\/([^/]+)\/members$/,
      orgOnly(() => ({ body: org.members ?? [], paginate: true })),
    ),
    R(
      'GET /orgs/{org}/outside_collaborators',
      /^\/orgs\/([^/]+)\/outside_collaborators$/,
      orgOnly(() => ({ body: org.outsideCollaborators ?? [], paginate: true })),
    ),
    R(
      'GET /orgs/{org}/hooks',
      /^\/orgs\/([^/]+)\/hooks$/,
      orgOnly(() => ({ body: org.hooks, paginate: true })),
    ),
    R(
      'GET /orgs/{org}/actions/permissions/workflow',
      /^\/orgs\/([^/]+)\/actions\/permissions\/workflow$/,
      orgOnly(() => ({ body: org.workflowPermissions })),
    ),
    R(
      'GET /orgs/{org}/secret-scanning/alerts',
      /^\/orgs\/([^/]+)\/secret-scanning\/alerts$/,
      orgOnly((_m, q) => {
        const state = q.get('state');
        const hide = q.get('hide_secret') === 'true';
        const alerts = org.alerts.filter((a) => !state || a.alert.state === state).map((a) => (hide ? (({ secret: _s, ...rest }) => rest)(a.alert) : a.alert));
        return { body: alerts, paginate: true };
      }),
    ),
    R(
      'GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations',
      /^\/repos\/([^/]+)\/([^/]+)\/secret-scanning\/alerts\/(\d+)\/locations$/,
      (m) => {
        const a = org.alerts.find((x) => x.alert.repository.full_name === `${m[1]}/${m[2]}` && String(x.alert.number) === m[3]);
        return a ? { body: a.locations, paginate: true } : undefined;
      },
    ),
    R(
      'GET /repos/{owner}/{repo}/keys',
      /^\/repos\/([^/]+)\/([^/]+)\/keys$/,
      withRepo((r) => ({ body: r.deployKeys, paginate: true })),
    ),
    R(
      'GET /repos/{owner}/{repo}/actions/secrets',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/secrets$/,
      withRepo((r) => ({ body: { total_count: r.secrets.length, secrets: r.secrets }, paginate: true })),
    ),
    R(
      'GET /repos/{owner}/{repo}/environments',
      /^\/repos\/([^/]+)\/([^/]+)\/environments$/,
      withRepo((r) => ({ body: { total_count: r.environments.length, environments: r.environments.map((e) => e.env) }, paginate: true })),
    ),
    R(
      'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets',
      /^\/repos\/([^/]+)\/([^/]+)\/environments\/([^/]+)\/secrets$/,
      withRepo((r, m) => {
        const e = r.environments.find((x) => x.env.name === m[3]);
        return e ? { body: { total_count: e.secrets.length, secrets: e.secrets }, paginate: true } : undefined;
      }),
    ),
    R(
      'GET /repos/{owner}/{repo}/actions/permissions/workflow',
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/permissions\/workflow$/,
      withRepo((r) => ({ body: r.workflowPermissions ?? org.workflowPermissions })),
    ),
    R(
      'GET /repos/{owner}/{repo}/hooks',
      /^\/repos\/([^/]+)\/([^/]+)\/hooks$/,
      withRepo((r) => ({ body: r.hooks, paginate: true })),
    ),
    R(
      'GET /repos/{owner}/{repo}/contents/{path}',
      /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      withRepo((r, m) => {
        const text = r.files[m[3]!];
        return text === undefined ? undefined : { body: contentFile(r.repo.full_name, m[3]!, text) };
      }),
    ),
  ];
}

/** Every operation the emulator serves (for the OpenAPI schema cache). */
export const EMULATED_OPERATIONS: string[] = routeTable(emptyOrg('x')).map((r) => r.operation);

function decodeJwt(token: string): { header: Raw; payload: Raw; signed: string; signature: Buffer } | undefined {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(h, 'base64url').toString()),
      payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
      signed: `${h}.${p}`,
      signature: Buffer.from(s, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

export async function startGithubEmulator(org: EmulatedOrg, options: EmulatorOptions = {}): Promise<GithubEmulator> {
  const requests: RecordedRequest[] = [];
  const issues: ValidationIssue[] = [];
  const routes = routeTable(org);
  const faults = (options.faults ?? []).map((f) => ({ ...f, left: f.times }));
  const installationTokens = new Set<string>();
  let baseUrl = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      ...headers,
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: req.method ?? 'GET', path, query, status: 0, auth: 'none', at: Date.now() };
    requests.push(record);
    /** Set by a body fault: the real response is routed, then cut. */
    let cut: 'stall-body' | 'truncated-json' | undefined;
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      record.status = status;
      if (!cut) return send(res, status, body, headers);
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      if (cut === 'truncated-json') res.end();
      // stall-body: the rest never comes; close() drops the socket if the client has not.
    };
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));

    // Authentication.
    const authz = req.headers.authorization ?? '';
    const [scheme, credential] = authz.split(' ');
    let installation = false;
    if (/^bearer$/i.test(scheme ?? '') && credential?.split('.').length === 3) record.auth = 'jwt';
    else if (credential && installationTokens.has(credential)) {
      record.auth = 'installation';
      installation = true;
    } else if (credential && (options.tokens ?? []).includes(credential)) record.auth = 'token';
    else if (credential) return reply(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });

    // The GitHub App token exchange: the only POST a scan may make.
    const exchange = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (exchange && req.method === 'POST') {
      const jwt = record.auth === 'jwt' ? decodeJwt(credential!) : undefined;
      const app = options.app;
      const valid =
        !!jwt &&
        !!app &&
        String(jwt.payload.iss) === app.appId &&
        exchange[1] === app.installationId &&
        createVerify('RSA-SHA256').update(jwt.signed).verify(app.publicKeyPem, jwt.signature);
      if (!valid) return reply(401, { message: 'A JSON web token could not be decoded', documentation_url: 'https://docs.github.com/rest', status: '401' });
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      installationTokens.add(token);
      return reply(201, {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: { administration: 'read' },
        repository_selection: 'all',
      });
    }
    if (record.auth === 'none' || record.auth === 'jwt')
      return reply(401, { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' });
    if (req.method !== 'GET') return reply(405, { message: 'emulator: read-only endpoints only' });

    const scripted = faults.find((f) => f.left > 0 && f.path.test(path));
    if (scripted) scripted.left--;
    const fault = scripted ?? chaosFault(options.chaos, `${path}${url.search}`);
    if (fault) {
      const after = fault.retryAfter ?? 1;
      if (fault.kind === 'hang') return; // never answered: record.status stays 0
      if (fault.kind === 'html-page' || fault.kind === 'html-error') {
        record.status = fault.kind === 'html-page' ? 200 : 502;
        res.writeHead(record.status, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end(HTML_PAGE);
      }
      if (fault.kind === 'secondary-rate-limit')
        return reply(
          403,
          { message: SECONDARY_MESSAGE, documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
          { 'retry-after': String(after) },
        );
      if (fault.kind === 'primary-rate-limit' || fault.kind === 'primary-rate-limit-429') {
        return reply(
          fault.kind === 'primary-rate-limit' ? 403 : 429,
          {
            message: 'API rate limit exceeded for installation ID 1.',
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
          },
          {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + after),
          },
        );
      }
      if (fault.kind === 'stall-body' || fault.kind === 'truncated-json') cut = fault.kind;
      else return reply(fault.kind === 'bad-gateway' ? 502 : 500, { message: 'Server Error' });
    }
    const denial = (options.denials ?? []).find((d) => d.path.test(path));
    if (denial)
      return reply(denial.status, {
        message: denial.message ?? (denial.status === 403 ? 'Resource not accessible by integration' : 'Not Found'),
        documentation_url: 'https://docs.github.com/rest',
        status: String(denial.status),
      });

    for (const route of routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      record.operation = route.operation;
      const decoded = m.map((x) => (x === undefined ? x : decodeURIComponent(x)));
      const result = route.handler(decoded, url.searchParams, { installation });
      if (!result) return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      const status = result.status ?? 200;
      let body = result.body;
      const headers: Record<string, string> = {};
      if (result.paginate && status === 200) {
        const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
        const paginateArray = (items: unknown[]) => items.slice((page - 1) * perPage, page * perPage);
        let total: number;
        if (Array.isArray(body)) {
          total = body.length;
          body = paginateArray(body);
        } else {
          const obj = body as Raw;
          const key = Object.keys(obj).find((k) => Array.isArray(obj[k]))!;
          total = obj[key].length;
          body = { ...obj, [key]: paginateArray(obj[key]) };
        }
        const last = Math.max(1, Math.ceil(total / perPage));
        const link = (p: number) => {
          const u = new URL(url.href);
          u.searchParams.set('page', String(p));
          u.searchParams.set('per_page', String(perPage));
          return u.href;
        };
        const links: string[] = [];
        if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
        if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
        if (links.length) headers.link = links.join(', ');
      }
      if (options.validate && status >= 200 && status < 300) {
        const issue = validateResponse(EMULATED_OPERATIONS, route.operation, status, body);
        if (issue) issues.push(issue);
      }
      return reply(status, body, headers);
    }
    return reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, { message: `emulator error: ${(error as Error).message}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    issues,
    acceptsToken: (token) => installationTokens.has(token) || (options.tokens ?? []).includes(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
