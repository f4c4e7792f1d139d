/**
 * Loopback Azure Resource Manager emulator (TLS, test CA) for the operations nhiscan reads, plus an
 * Entra-style token endpoint. See README.md.
 */
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { testTls } from './tls.js';
import type { Chaos, ChaosKind } from '../chaos.js';
import { EmulatedIdentityPlatform, listenTls, staticEmulatorCredential } from './identity-platform.js';
import {
  renderKey,
  renderKeyListItem,
  renderKeyVersions,
  renderRoleAssignment,
  renderRoleDefinition,
  renderSecret,
  roleDefinitionsOf,
  renderSubscription,
  renderVault,
  type EmuEstate,
  type EmuSubscription,
  type EmuVault,
} from './estate.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** `arm` for Resource Manager paths, `token` for the identity endpoints. */
  kind: 'arm' | 'token';
  authorized: boolean;
}

export interface Fault {
  /** Matched against `METHOD path?query` (path as sent). */
  match: RegExp;
  /** 429, 500, 503, 403...; `malformed` for a 200 with a truncated JSON body; `hang` for no answer at all. */
  status: number | 'malformed' | 'hang';
  /** Retry-After header value (seconds), for 429/503. */
  retryAfter?: string;
  /** How many matching requests fail; default 1. */
  times?: number;
}

export interface ArmEmulatorOptions {
  estate: EmuEstate;
  /** Items per list page (before `$top`); small by default so paging is exercised. */
  pageSize?: number;
  /** Delay before every answer, to make concurrency measurable in the bench. */
  latencyMs?: number;
  faults?: Fault[];
  /** Random faults on the requests no scripted fault takes (the fault soak, testkit/chaos.ts); never on the token endpoint. */
  chaos?: Chaos;
  /** Client secret the token endpoint accepts (for the spawned-CLI test). */
  clientSecret?: string;
  clientId?: string;
}

export interface ArmEmulator {
  url: string;
  caCert: string;
  requests: RecordedRequest[];
  faults: Fault[];
  /** A bearer token the emulator accepts, for in-process tests' static credential. */
  issueToken(): string;
  /** Scopes requested at the token endpoint. */
  tokenScopes: string[];
  /** TLS connections accepted so far (keep-alive reuse shows as few connections for many requests). */
  connections(): number;
  close(): Promise<void>;
}

const SUBS_API = '2022-12-01';
const KV_API = '2026-02-01';
const AUTHZ_API = '2022-04-01';

/** A chaos kind in Resource Manager's (and Graph's) wire form. */
export function chaosFault(chaos: Chaos | undefined, target: string): Fault | undefined {
  const kind: ChaosKind | undefined = chaos?.pick(target);
  if (!chaos || !kind) return undefined;
  const status = kind === 'throttle' ? 429 : kind === 'server-error' ? 503 : kind;
  return { match: /$^/, status, ...(kind === 'throttle' ? { retryAfter: String(chaos.retryAfterSeconds) } : {}) };
}

function armError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

export async function startArmEmulator(options: ArmEmulatorOptions): Promise<ArmEmulator> {
  const estate = options.estate;
  const pageSize = options.pageSize ?? 2;
  const requests: RecordedRequest[] = [];
  const faults = options.faults ?? [];
  const identity = new EmulatedIdentityPlatform({ tenantId: estate.tenantId, clientId: options.clientId, clientSecret: options.clientSecret });
  /** Opaque skip tokens → where the next page starts; nextLinks are never rebuilt client-side. */
  const skipTokens = new Map<string, { path: string; offset: number }>();
  let base = '';

  const subscriptions = new Map(estate.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s]));
  const findVault = (sub: EmuSubscription, rg: string, name: string): EmuVault | undefined =>
    sub.vaults.find((v) => v.resourceGroup.toLowerCase() === rg.toLowerCase() && v.name.toLowerCase() === name.toLowerCase());

  /** Renders only the requested slice: large emulated vaults stay cheap to page through. */
  function page(res: ServerResponse, url: URL, items: unknown[] | { length: number; at(i: number): unknown }, apiVersion: string) {
    const skip = url.searchParams.get('$skiptoken');
    let offset = 0;
    if (skip) {
      const state = skipTokens.get(skip);
      if (!state || state.path !== url.pathname) return armError(res, 400, 'InvalidSkipToken', 'The skip token is not valid.');
      offset = state.offset;
    }
    const top = Number(url.searchParams.get('$top')) || pageSize;
    const size = Math.min(top, pageSize);
    const value = Array.isArray(items)
      ? items.slice(offset, offset + size)
      : Array.from({ length: Math.max(0, Math.min(size, items.length - offset)) }, (_, i) => items.at(offset + i));
    const body: Record<string, unknown> = { value };
    if (offset + size < items.length) {
      const token = randomBytes(12).toString('base64url');
      skipTokens.set(token, { path: url.pathname, offset: offset + size });
      body.nextLink = `${base}${url.pathname}?api-version=${apiVersion}&$skiptoken=${token}`;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  function ok(res: ServerResponse, body: unknown) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  function handleArm(res: ServerResponse, url: URL): void {
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) return armError(res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const lower = parts.map((p) => p.toLowerCase());
    if (lower[0] !== 'subscriptions') return armError(res, 404, 'NotFound', 'Not found');
    if (parts.length === 1)
      return page(
        res,
        url,
        estate.subscriptions.map((s) => renderSubscription(estate, s)),
        SUBS_API,
      );
    const sub = subscriptions.get(lower[1]!);
    if (!sub) return armError(res, 404, 'SubscriptionNotFound', `The subscription '${parts[1]}' could not be found.`);
    if (parts.length === 2) return ok(res, renderSubscription(estate, sub));
    // /subscriptions/S/providers/Microsoft.Authorization/roleAssignments|roleDefinitions
    if (parts.length === 5 && lower[2] === 'providers' && lower[3] === 'microsoft.authorization') {
      const assignments = sub.roleAssignments ?? [];
      if (lower[4] === 'roleassignments')
        return page(res, url, { length: assignments.length, at: (i) => renderRoleAssignment(sub, assignments[i]!) }, AUTHZ_API);
      if (lower[4] === 'roledefinitions')
        return page(
          res,
          url,
          roleDefinitionsOf(sub).map((d) => renderRoleDefinition(sub, d)),
          AUTHZ_API,
        );
    }
    // /subscriptions/S/providers/Microsoft.KeyVault/vaults
    if (parts.length === 5 && lower[2] === 'providers' && lower[3] === 'microsoft.keyvault' && lower[4] === 'vaults') {
      return page(res, url, { length: sub.vaults.length, at: (i) => renderVault(estate, sub, sub.vaults[i]!) }, KV_API);
    }
    // /subscriptions/S/resourceGroups/RG/providers/Microsoft.KeyVault/vaults/V[/...]
    if (lower[2] !== 'resourcegroups' || lower[4] !== 'providers' || lower[5] !== 'microsoft.keyvault' || lower[6] !== 'vaults' || parts.length < 8) {
      return armError(res, 404, 'NotFound', 'Not found');
    }
    const vault = findVault(sub, parts[3]!, parts[7]!);
    if (!vault) return armError(res, 404, 'ResourceNotFound', `The Resource 'Microsoft.KeyVault/vaults/${parts[7]}' was not found.`);
    const rest = lower.slice(8);
    if (rest.length === 0) return ok(res, renderVault(estate, sub, vault));
    if (rest[0] === 'secrets') {
      if (rest.length === 1) return page(res, url, { length: vault.secrets.length, at: (i) => renderSecret(sub, vault, vault.secrets[i]!) }, KV_API);
      const secret = vault.secrets.find((s) => s.name.toLowerCase() === rest[1]);
      return secret ? ok(res, renderSecret(sub, vault, secret, true)) : armError(res, 404, 'SecretNotFound', 'Secret not found');
    }
    if (rest[0] === 'keys') {
      if (rest.length === 1)
        return page(
          res,
          url,
          vault.keys.map((k) => renderKeyListItem(sub, vault, k)),
          KV_API,
        );
      const key = vault.keys.find((k) => k.name.toLowerCase() === rest[1]);
      if (!key) return armError(res, 404, 'KeyNotFound', 'Key not found');
      if (rest.length === 2) return ok(res, renderKey(sub, vault, key));
      if (rest[2] === 'versions' && rest.length === 3) return page(res, url, renderKeyVersions(sub, vault, key), KV_API);
    }
    return armError(res, 404, 'NotFound', 'Not found');
  }

  const listening = await listenTls((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const isToken = identity.isIdentityPath(url.pathname);
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      kind: isToken ? 'token' : 'arm',
      authorized: identity.authorized(req),
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const respond = async () => {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (isToken) return identity.handle(req, res, url);
      if (!record.authorized) {
        return armError(res, 401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing or invalid.', {
          'www-authenticate': `Bearer authorization_uri="${base}/${estate.tenantId}", error="invalid_token"`,
        });
      }
      if (req.method !== 'GET') return armError(res, 405, 'MethodNotAllowed', 'The emulator serves read operations only.');
      const target = `${req.method} ${req.url}`;
      const scripted = faults.find((f) => (f.times ?? 1) > 0 && f.match.test(target));
      if (scripted) scripted.times = (scripted.times ?? 1) - 1;
      const fault = scripted ?? chaosFault(options.chaos, target);
      if (fault) {
        if (fault.status === 'hang') return; // never answers; the client must time out (close() ends the socket)
        if (fault.status === 'malformed') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"value": [{"id": ');
        }
        const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
        const code = fault.status === 429 ? 'TooManyRequests' : fault.status === 403 ? 'AuthorizationFailed' : 'InternalServerError';
        return armError(res, fault.status, code, `emulated fault ${fault.status}`, headers);
      }
      return handleArm(res, url);
    };
    respond().catch((error) => armError(res, 500, 'EmulatorError', String(error)));
  });
  let connections = 0;
  listening.server.on('secureConnection', () => (connections += 1));
  base = identity.base = listening.url;

  return {
    url: base,
    caCert: (await testTls()).caCert,
    requests,
    faults,
    issueToken: identity.issueToken,
    tokenScopes: identity.tokenScopes,
    connections: () => connections,
    close: listening.close,
  };
}

/** A credential for in-process tests: hands out a token the emulator issued. Never a real Azure credential. */
export const staticTestCredential = (emulator: ArmEmulator) => staticEmulatorCredential(emulator);
