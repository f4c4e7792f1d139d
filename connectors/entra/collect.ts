/**
 * The live collector: reads applications, service principals (managed identities asked for by filter),
 * their owners, federated credentials and app role assignments, delegated grants, directory role
 * members, the sign-in activity reports, and every user and deleted user (people, not NHIs) from
 * Microsoft Graph with the official client, and returns them as a snapshot (Graph wire shapes, see
 * snapshot.ts).
 *
 * - Read-only: GETs, and POSTs to `$batch` whose every request is a GET (the transport refuses the rest).
 * - Lists: `$select` and `$top=999` (the largest page the directory serves), then `@odata.nextLink` as is.
 * - Per-object relations go through JSON batching, 20 GETs per `$batch`, under a concurrency bound;
 *   an item answered 429/5xx inside a batch is sent again in a later batch after the backoff.
 * - `mode: 'per-object'` is the naive way (no `$select`, default page size, one GET per relation):
 *   the bench's baseline, never used by the CLI.
 * - Failures are contained: a relation or report that cannot be read becomes `null` plus a
 *   `notCovered` entry with the reason (a missing permission is never reported as "none" or "unused").
 */
import { Client, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { AuthenticationHandler } from '@microsoft/microsoft-graph-client';
import type { TokenCredential } from '@azure/identity';
import pLimit from 'p-limit';
import type { SourceError } from '../../src/plugin.js';
import { redactText } from '../../src/redact.js';
import { HttpsTransport, isRetryableStatus, RetryMiddleware, type RetryOptions, type TransportStats } from './transport.js';
import {
  APPLICATION_SELECT,
  DELETED_USER_SELECT,
  emptyEntraSnapshot,
  OWNER_SELECT,
  SERVICE_PRINCIPAL_SELECT,
  USER_SELECT,
  type EntraSnapshot,
  type GraphApplication,
  type GraphDirectoryRole,
  type GraphServicePrincipal,
  type GraphUser,
} from './snapshot.js';

export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com';
const BATCH_SIZE = 20;

export interface EntraCollectOptions {
  credential: TokenCredential;
  /** Graph endpoint (national cloud or test); the token scope follows it. */
  endpoint?: string;
  /** The tenant scanned, when known (entra:TENANT_ID); otherwise read from /organization. */
  tenantId?: string;
  mode?: 'batched' | 'per-object';
  /** Concurrent `$batch` (or per-object) requests. */
  concurrency?: number;
  /** Read the beta sign-in activity reports (needs AuditLog.Read.All and an Entra ID P1/P2 licence). */
  signInActivity?: boolean;
  retry?: RetryOptions;
  requestTimeoutMs?: number;
  /** TLS CA to trust (tests: the emulator's test CA). */
  ca?: string;
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

export interface EntraCollectStats extends TransportStats {
  applications: number;
  servicePrincipals: number;
  managedIdentities: number;
  users: number;
  deletedUsers: number;
  batches: number;
}

export interface EntraCollectResult {
  snapshot: EntraSnapshot;
  errors: SourceError[];
  stats: EntraCollectStats;
}

/** A one-line reason with the HTTP status when there is one; never a response body. */
export function describeGraphError(error: unknown): string {
  const e = error as { statusCode?: number; code?: string; message?: string };
  const status = e?.statusCode && e.statusCode > 0 ? `HTTP ${e.statusCode}` : undefined;
  const code = e?.code && e.code !== String(e.statusCode) ? e.code : undefined;
  const message = (e?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
  return redactText([status, code, message].filter(Boolean).join(' '));
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}

interface Session {
  client: Client;
  transport: HttpsTransport;
  retry: RetryMiddleware;
  options: EntraCollectOptions;
  stats: EntraCollectStats;
  limit: ReturnType<typeof pLimit>;
  snapshot: EntraSnapshot;
  errors: SourceError[];
}

function notCovered(s: Session, part: string, reason: string): void {
  s.snapshot.notCovered.push({ part, reason });
  s.errors.push({ part, message: reason });
}

function openSession(options: EntraCollectOptions, endpoint: string): Session {
  const stats: EntraCollectStats = {
    requests: 0,
    retries: 0,
    throttled: 0,
    applications: 0,
    servicePrincipals: 0,
    managedIdentities: 0,
    users: 0,
    deletedUsers: 0,
    batches: 0,
  };
  const auth = new TokenCredentialAuthenticationProvider(options.credential, { scopes: [`${endpoint}/.default`] });
  const retry = new RetryMiddleware(stats, { maxRetries: 5, retryDelayInMs: 1000, maxRetryDelayInMs: 30_000, ...options.retry }, options.signal);
  const transport = new HttpsTransport(stats, { timeoutMs: options.requestTimeoutMs ?? 60_000, ca: options.ca, signal: options.signal });
  const authHandler = new AuthenticationHandler(auth);
  const chain: Middleware[] = [authHandler, retry, transport];
  const client = Client.initWithMiddleware({
    middleware: chain,
    baseUrl: endpoint,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(endpoint).hostname]),
  });
  return {
    client,
    transport,
    retry,
    options,
    stats,
    limit: pLimit(Math.max(1, options.concurrency ?? 4)),
    snapshot: emptyEntraSnapshot(options.tenantId, endpoint),
    errors: [],
  };
}

/** Every page of a list: the first request built by the client, then each `@odata.nextLink` followed as is. */
async function listAll<T>(s: Session, path: string, query: { select?: string[]; filter?: string; version?: 'v1.0' | 'beta' }): Promise<T[]> {
  const naive = s.options.mode === 'per-object';
  let request = s.client.api(path).version(query.version ?? 'v1.0');
  if (query.select && !naive) request = request.select(query.select);
  if (!naive) request = request.top(999);
  if (query.filter) request = request.filter(query.filter);
  let page = (await request.get()) as { value?: T[]; '@odata.nextLink'?: string };
  const items: T[] = [...(page.value ?? [])];
  while (page['@odata.nextLink']) {
    page = (await s.client.api(page['@odata.nextLink']).get()) as typeof page;
    items.push(...(page.value ?? []));
  }
  return items;
}

/** A per-object GET: the relation's URL relative to the version root, e.g. `/applications/ID/owners`. */
interface RelationRequest {
  url: string;
  apply(value: unknown[] | null, error?: string): void;
}

interface BatchItemResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { value?: unknown[]; '@odata.nextLink'?: string; error?: { code?: string; message?: string } };
}

/** Follows a relation's further pages (more than one page of owners is rare) with plain GETs. */
async function restOfPages(s: Session, first: BatchItemResponse['body']): Promise<unknown[]> {
  const items = [...(first?.value ?? [])];
  let next = first?.['@odata.nextLink'];
  while (next) {
    const page = (await s.client.api(next).get()) as { value?: unknown[]; '@odata.nextLink'?: string };
    items.push(...(page.value ?? []));
    next = page['@odata.nextLink'];
  }
  return items;
}

/** One `$batch` of up to 20 GETs; returns the requests to send again (throttled or failed transiently). */
async function sendBatch(s: Session, requests: RelationRequest[]): Promise<RelationRequest[]> {
  const body = { requests: requests.map((r, i) => ({ id: String(i), method: 'GET', url: r.url })) };
  s.stats.batches += 1;
  const answer = (await s.client.api('/$batch').post(body)) as { responses?: BatchItemResponse[] };
  const again: RelationRequest[] = [];
  const byId = new Map((answer.responses ?? []).map((r) => [r.id, r]));
  for (const [i, request] of requests.entries()) {
    const item = byId.get(String(i));
    if (!item || isRetryableStatus(item.status)) {
      again.push(request);
      continue;
    }
    if (item.status >= 200 && item.status < 300) request.apply(await restOfPages(s, item.body));
    else request.apply(null, `HTTP ${item.status} ${item.body?.error?.code ?? ''}`.trim());
  }
  return again;
}

/** Runs relation GETs: batched 20 at a time (default) or one request each (`per-object`). */
async function fetchRelations(s: Session, requests: RelationRequest[]): Promise<void> {
  if (s.options.mode === 'per-object') {
    await Promise.all(
      requests.map((r) =>
        s.limit(async () => {
          try {
            r.apply(await restOfPages(s, (await s.client.api(r.url).get()) as BatchItemResponse['body']));
          } catch (error) {
            if (s.options.signal?.aborted) throw error;
            r.apply(null, describeGraphError(error));
          }
        }),
      ),
    );
    return;
  }
  let pending = requests;
  for (let round = 0; pending.length > 0; round++) {
    const chunks: RelationRequest[][] = [];
    for (let i = 0; i < pending.length; i += BATCH_SIZE) chunks.push(pending.slice(i, i + BATCH_SIZE));
    const retried = await Promise.all(chunks.map((chunk) => s.limit(() => sendBatch(s, chunk).catch((error) => failBatch(s, chunk, error)))));
    pending = retried.flat();
    if (pending.length === 0) break;
    if (round >= (s.options.retry?.maxRetries ?? 5)) {
      for (const r of pending) r.apply(null, 'still throttled or failing after every retry');
      break;
    }
    s.stats.retries += pending.length;
    await new Promise((resolve) => setTimeout(resolve, s.retry.delayFor(round)));
  }
}

function failBatch(s: Session, chunk: RelationRequest[], error: unknown): RelationRequest[] {
  if (s.options.signal?.aborted) throw error;
  const reason = describeGraphError(error);
  for (const r of chunk) r.apply(null, reason);
  return [];
}

function relation(s: Session, url: string, part: string, set: (value: unknown[] | null) => void): RelationRequest {
  return {
    url,
    apply(value, error) {
      set(value);
      if (value === null) notCovered(s, part, `cannot read ${url.split('?')[0]} (${error ?? 'unknown error'})`);
    },
  };
}

/** Graph returns `secretText` only when a secret is created; should one ever appear, it is not kept. */
function dropSecretText(obj: { passwordCredentials?: unknown[] }): void {
  for (const c of obj.passwordCredentials ?? []) delete (c as { secretText?: unknown }).secretText;
}

const ownersUrl = (s: Session, collection: string, id: string) =>
  `/${collection}/${id}/owners${s.options.mode === 'per-object' ? '' : `?$select=${OWNER_SELECT.join(',')}`}`;

async function collectApplications(s: Session): Promise<void> {
  const apps = await listAll<GraphApplication>(s, '/applications', { select: APPLICATION_SELECT });
  for (const app of apps) dropSecretText(app);
  s.snapshot.applications = apps;
  s.stats.applications = apps.length;
  s.options.progress?.(`entra: ${apps.length} applications`);
  const requests = apps.flatMap((app) => [
    relation(s, ownersUrl(s, 'applications', app.id), `application:${app.appId}/owners`, (v) => (app.owners = v as GraphApplication['owners'])),
    relation(
      s,
      `/applications/${app.id}/federatedIdentityCredentials`,
      `application:${app.appId}/federatedIdentityCredentials`,
      (v) => (app.federatedIdentityCredentials = v as GraphApplication['federatedIdentityCredentials']),
    ),
  ]);
  await fetchRelations(s, requests);
}

async function collectServicePrincipals(s: Session): Promise<void> {
  const listed = await listAll<GraphServicePrincipal>(s, '/servicePrincipals', { select: SERVICE_PRINCIPAL_SELECT });
  // Managed identities are asked for by name: the plain list is not documented to include them.
  const managed = await listAll<GraphServicePrincipal>(s, '/servicePrincipals', {
    select: SERVICE_PRINCIPAL_SELECT,
    filter: "servicePrincipalType eq 'ManagedIdentity'",
  });
  const byId = new Map(listed.map((sp) => [sp.id, sp]));
  for (const sp of managed) if (!byId.has(sp.id)) byId.set(sp.id, sp);
  const sps = [...byId.values()];
  for (const sp of sps) dropSecretText(sp);
  s.snapshot.servicePrincipals = sps;
  s.stats.servicePrincipals = sps.length;
  s.stats.managedIdentities = sps.filter((sp) => sp.servicePrincipalType === 'ManagedIdentity').length;
  s.options.progress?.(`entra: ${sps.length} service principals (${s.stats.managedIdentities} managed identities)`);
  const requests = sps.flatMap((sp) => [
    // Managed identities cannot have owners: no request for them.
    ...(sp.servicePrincipalType === 'ManagedIdentity'
      ? ((sp.owners = []), [])
      : [
          relation(
            s,
            ownersUrl(s, 'servicePrincipals', sp.id),
            `servicePrincipal:${sp.appId}/owners`,
            (v) => (sp.owners = v as GraphServicePrincipal['owners']),
          ),
        ]),
    relation(
      s,
      `/servicePrincipals/${sp.id}/appRoleAssignments`,
      `servicePrincipal:${sp.appId}/appRoleAssignments`,
      (v) => (sp.appRoleAssignments = v as GraphServicePrincipal['appRoleAssignments']),
    ),
  ]);
  await fetchRelations(s, requests);
}

async function collectDirectoryRoles(s: Session): Promise<void> {
  try {
    const roles = await listAll<GraphDirectoryRole>(s, '/directoryRoles', { select: ['id', 'displayName', 'roleTemplateId'] });
    const requests = roles.map((role) =>
      relation(
        s,
        `/directoryRoles/${role.id}/members?$select=id,displayName`,
        `directoryRole:${role.displayName}/members`,
        (v) => (role.members = v as GraphDirectoryRole['members']),
      ),
    );
    await fetchRelations(s, requests);
    s.snapshot.directoryRoles = roles;
  } catch (error) {
    if (s.options.signal?.aborted) throw error;
    notCovered(s, 'directoryRoles', `cannot list directory roles (${describeGraphError(error)}); directory role memberships unknown`);
  }
}

async function collectGrants(s: Session): Promise<void> {
  try {
    s.snapshot.oauth2PermissionGrants = await listAll(s, '/oauth2PermissionGrants', {});
  } catch (error) {
    if (s.options.signal?.aborted) throw error;
    notCovered(s, 'oauth2PermissionGrants', `cannot list delegated permission grants (${describeGraphError(error)})`);
  }
}

/** The beta usage reports. Without them "last used" is unknown, so a missing report is said, never hidden. */
async function collectSignInActivity(s: Session): Promise<void> {
  if (s.options.signInActivity === false) {
    notCovered(
      s,
      'signInActivity',
      'sign-in activity reports not read (settings.entra.signInActivity is false): unused service principals and credentials are not judged',
    );
    return;
  }
  const why = (error: unknown) =>
    statusOf(error) === 403
      ? `${describeGraphError(error)}: needs the AuditLog.Read.All application permission and a Microsoft Entra ID P1/P2 licence`
      : describeGraphError(error);
  try {
    s.snapshot.servicePrincipalSignInActivities = await listAll(s, '/reports/servicePrincipalSignInActivities', { version: 'beta' });
  } catch (error) {
    if (s.options.signal?.aborted) throw error;
    notCovered(
      s,
      'reports/servicePrincipalSignInActivities',
      `cannot read service principal sign-in activity (${why(error)}); unused service principals are not judged`,
    );
  }
  try {
    s.snapshot.appCredentialSignInActivities = await listAll(s, '/reports/appCredentialSignInActivities', { version: 'beta' });
  } catch (error) {
    if (s.options.signal?.aborted) throw error;
    notCovered(s, 'reports/appCredentialSignInActivities', `cannot read credential sign-in activity (${why(error)}); unused credentials are not judged`);
  }
}

/**
 * Every user (enabled or not) and every deleted user: the people owners are joined against. A tenant
 * that does not grant User.Read.All says so in `notCovered`; who has left is then known only from the
 * owners' own `accountEnabled`, never guessed.
 */
async function collectUsers(s: Session): Promise<void> {
  const lists = [
    { key: 'users', path: '/users', select: USER_SELECT, what: 'users' },
    { key: 'deletedUsers', path: '/directory/deletedItems/microsoft.graph.user', select: DELETED_USER_SELECT, what: 'deleted users' },
  ] as const;
  for (const { key, path, select, what } of lists) {
    try {
      const users = await listAll<GraphUser>(s, path, { select });
      s.snapshot[key] = users;
      s.stats[key] = users.length;
    } catch (error) {
      if (s.options.signal?.aborted) throw error;
      s.snapshot[key] = null;
      const reason = statusOf(error) === 403 ? `${describeGraphError(error)}: needs the User.Read.All application permission` : describeGraphError(error);
      notCovered(s, path.slice(1), `cannot list ${what} (${reason}); owners are judged departed only from their own account state`);
    }
  }
  s.options.progress?.(`entra: ${s.stats.users} users, ${s.stats.deletedUsers} deleted users`);
}

async function resolveTenant(s: Session): Promise<void> {
  if (s.snapshot.tenantId) return;
  try {
    const orgs = await listAll<{ id: string }>(s, '/organization', { select: ['id'] });
    s.snapshot.tenantId = orgs[0]?.id;
  } catch (error) {
    if (s.options.signal?.aborted) throw error;
    notCovered(s, 'organization', `cannot read the tenant id (${describeGraphError(error)}); third-party apps cannot be told from the tenant's own`);
  }
}

export async function collectEntraSnapshot(options: EntraCollectOptions): Promise<EntraCollectResult> {
  const endpoint = (options.endpoint ?? DEFAULT_GRAPH_ENDPOINT).replace(/\/+$/, '');
  const s = openSession(options, endpoint);
  try {
    await resolveTenant(s);
    // Applications and service principals are the inventory: failing to list them fails the source.
    await Promise.all([collectApplications(s), collectServicePrincipals(s)]);
    await Promise.all([collectDirectoryRoles(s), collectGrants(s), collectSignInActivity(s), collectUsers(s)]);
  } finally {
    s.transport.close();
  }
  s.snapshot.collectedAt = new Date().toISOString();
  return { snapshot: s.snapshot, errors: s.errors, stats: s.stats };
}
