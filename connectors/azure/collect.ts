/**
 * The live collector: reads subscriptions, vaults, secrets and keys from Azure Resource Manager with
 * the official SDK clients and returns them as a snapshot (ARM wire shapes, see snapshot.ts).
 *
 * - Read-only: only list/get operations of the management plane. The data plane (vault URIs) is
 *   never called, so no secret value can be read even by mistake.
 * - Paging: every list is walked page by page with `byPage()`, which follows `nextLink` as an
 *   opaque URL.
 * - Throttling and transient failures: the SDK pipeline retries 429/503 honouring Retry-After and
 *   other 5xx/408/network errors with exponential backoff (`retryOptions`).
 * - Concurrency: subscriptions and vaults are collected concurrently under two separate bounds
 *   (p-limit), vaults starting as soon as their listing page arrives. Two limiters rather than one
 *   because a subscription task waits on its vault tasks: sharing one pool could deadlock.
 * - RBAC: per subscription, every role assignment visible in it (subscription, resource group and
 *   resource scope, and those inherited from above) and the role definitions, so each principal's roles
 *   are named (Owner, Key Vault Secrets User...) and vaults that authorise with RBAC are covered.
 * - Failures are contained: a vault whose secrets cannot be listed still yields the vault and its
 *   keys, with the failure recorded in `notCovered` and `errors`.
 */
import { shardOwns, type Shard } from '../../src/shard.js';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';
import pLimit from 'p-limit';
import type { SourceError } from '../../src/plugin.js';
import { redactText } from '../../src/redact.js';
import { keyToArm, roleAssignmentToArm, roleDefinitionToArm, secretToArm, subscriptionToArm, vaultToArm } from './sdk-to-arm.js';
import {
  emptySnapshot,
  parseResourceId,
  type ArmKey,
  type ArmRoleAssignment,
  type ArmRoleDefinition,
  type ArmSubscription,
  type AzureEstateSnapshot,
  type KeySnapshot,
  type VaultSnapshot,
} from './snapshot.js';

export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

export interface AzureCollectOptions {
  credential: TokenCredential;
  /** Resource Manager endpoint (sovereign or test cloud); the token scope follows it. */
  endpoint?: string;
  /** Only these subscriptions; otherwise every subscription the credential can list. */
  subscriptionIds?: string[];
  /** One shard of a sharded scan: only the subscriptions it owns. */
  shard?: Shard;
  subscriptionConcurrency?: number;
  vaultConcurrency?: number;
  /** Also list key versions (first creation date, version count): one extra request per key. */
  keyVersions?: boolean;
  /** Read RBAC role assignments and definitions of each subscription (default true). */
  roleAssignments?: boolean;
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** Per-attempt timeout; a stalled request is abandoned and retried. */
  requestTimeoutMs?: number;
  /** Extra SDK client options (tests pass `tlsOptions: { ca }` to trust the emulator's test CA). */
  clientOptions?: Record<string, unknown>;
  signal?: AbortSignal;
  progress?: (message: string) => void;
}

export interface AzureCollectStats {
  /** HTTP attempts sent, retries included. */
  requests: number;
  retries: number;
  throttled: number;
  subscriptions: number;
  vaults: number;
  secrets: number;
  keys: number;
  roleAssignments: number;
}

export interface AzureCollectResult {
  snapshot: AzureEstateSnapshot;
  errors: SourceError[];
  stats: AzureCollectStats;
}

/** A one-line reason with the HTTP status when there is one; never a response body (it could echo data). */
export function describeError(error: unknown): string {
  const e = error as { statusCode?: number; code?: string; message?: string; name?: string };
  const status = e?.statusCode ? `HTTP ${e.statusCode}` : undefined;
  const code = e?.code && e.code !== String(e.statusCode) ? e.code : undefined;
  const message = (e?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
  return redactText([status, code, message].filter(Boolean).join(' '));
}

function isStatus(error: unknown, ...codes: number[]): boolean {
  return codes.includes((error as { statusCode?: number })?.statusCode ?? -1);
}

/**
 * Per-attempt timeout. The SDK sends with no timeout by default, so one stalled connection would stall
 * the scan; its own `timeout` aborts without a retry. This policy sits inside the retry loop and turns
 * a stalled attempt into an ETIMEDOUT RestError, which the exponential retry strategy retries.
 */
function timeoutPolicy(timeoutMs: number) {
  return {
    name: 'nhiscanRequestTimeout',
    async sendRequest(request: { abortSignal?: AbortSignal }, next: (request: unknown) => Promise<unknown>) {
      const outer = request.abortSignal;
      const controller = new AbortController();
      const forward = () => controller.abort();
      outer?.addEventListener('abort', forward);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } catch (error) {
        if (!timedOut) throw error;
        throw Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'RestError', code: 'ETIMEDOUT' });
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', forward);
        request.abortSignal = outer; // the retry policy checks the caller's signal, not ours
      }
    },
  };
}

/**
 * A 2xx JSON answer whose body does not parse (cut short by a proxy or a dropped connection) is transient.
 * The SDK parses bodies after its retry loop, so such an answer would fail the part at once: this policy
 * sits inside the loop and raises it as a reset connection, which the retry strategy retries.
 */
function completeBodyPolicy() {
  return {
    name: 'nhiscanCompleteBody',
    async sendRequest(request: unknown, next: (request: unknown) => Promise<CheckedResponse>) {
      const response = await next(request);
      const json = /json/i.test(response.headers.get('content-type') ?? '');
      if (response.status >= 200 && response.status < 300 && json && response.bodyAsText) {
        try {
          JSON.parse(response.bodyAsText);
        } catch {
          throw Object.assign(new Error(`HTTP ${response.status} with a truncated or malformed JSON body`), { name: 'RestError', code: 'ECONNRESET' });
        }
      }
      return response;
    },
  };
}

interface CheckedResponse {
  status: number;
  headers: { get(name: string): string | undefined };
  bodyAsText?: string | null;
}

/** Counts every HTTP attempt (the policy sits per retry) and the throttled answers. */
function countingPolicy(stats: AzureCollectStats) {
  return {
    name: 'nhiscanRequestCounter',
    async sendRequest(request: unknown, next: (request: unknown) => Promise<{ status: number }>) {
      stats.requests += 1;
      const response = await next(request);
      if (response.status === 429) stats.throttled += 1;
      if (response.status === 429 || response.status >= 500 || response.status === 408) stats.retries += 1;
      return response;
    },
  };
}

/** What every phase of one collection shares. */
interface AzureSession {
  options: AzureCollectOptions;
  stats: AzureCollectStats;
  errors: SourceError[];
  snapshot: AzureEstateSnapshot;
  signal?: AbortSignal;
  progress: (message: string) => void;
  clientOptions: Record<string, unknown>;
  vaultLimit: ReturnType<typeof pLimit>;
}

function notCovered(s: AzureSession, part: string, reason: string): void {
  s.snapshot.notCovered.push({ part, reason });
  s.errors.push({ part, message: reason });
}

function openSession(options: AzureCollectOptions): AzureSession {
  const endpoint = (options.endpoint ?? DEFAULT_ARM_ENDPOINT).replace(/\/+$/, '');
  const stats: AzureCollectStats = { requests: 0, retries: 0, throttled: 0, subscriptions: 0, vaults: 0, secrets: 0, keys: 0, roleAssignments: 0 };
  const clientOptions = {
    ...options.clientOptions,
    endpoint,
    retryOptions: { maxRetries: 5, retryDelayInMs: 800, maxRetryDelayInMs: 30_000, ...options.retry },
    additionalPolicies: [
      { policy: countingPolicy(stats), position: 'perRetry' as const },
      { policy: timeoutPolicy(options.requestTimeoutMs ?? 60_000), position: 'perRetry' as const },
      { policy: completeBodyPolicy(), position: 'perRetry' as const },
    ],
    userAgentOptions: { userAgentPrefix: 'nhiscan' },
  };
  return {
    options,
    stats,
    errors: [],
    snapshot: emptySnapshot(endpoint),
    signal: options.signal,
    progress: options.progress ?? (() => {}),
    clientOptions,
    vaultLimit: pLimit(Math.max(1, options.vaultConcurrency ?? 16)),
  };
}

/** Phase 1: the named subscriptions (checked with a get) or every visible one. */
async function listSubscriptions(s: AzureSession): Promise<ArmSubscription[]> {
  const client = new SubscriptionClient(s.options.credential, s.clientOptions as never);
  const subscriptions: ArmSubscription[] = [];
  if (s.options.subscriptionIds?.length) {
    for (const id of s.options.subscriptionIds) {
      try {
        subscriptions.push(subscriptionToArm(await client.subscriptions.get(id, { abortSignal: s.signal })));
      } catch (error) {
        // Without subscription-level read the vault listing may still work: try it, but say so.
        if (!isStatus(error, 401, 403, 404)) throw error;
        notCovered(s, `subscription:${id}`, `cannot read the subscription (${describeError(error)}); its vaults are listed anyway`);
        subscriptions.push({ subscriptionId: id, id: `/subscriptions/${id}` });
      }
    }
  } else {
    for await (const page of client.subscriptions.list({ abortSignal: s.signal }).byPage()) {
      for (const sub of page) subscriptions.push(subscriptionToArm(sub));
    }
  }
  s.snapshot.subscriptions = subscriptions.filter((sub) => shardOwns(s.options.shard, sub.subscriptionId));
  s.stats.subscriptions = s.snapshot.subscriptions.length;
  if (subscriptions.length === 0) notCovered(s, 'subscriptions', 'the credential can see no subscription (it needs Reader on at least one)');
  return s.snapshot.subscriptions;
}

/** Phase 2: one subscription's vaults (each collected as its listing page arrives) and its RBAC. */
async function collectSubscription(s: AzureSession, subscription: ArmSubscription): Promise<void> {
  if (subscription.state && !/^(enabled|warned|pastdue)$/i.test(subscription.state)) {
    s.snapshot.notCovered.push({ part: `subscription:${subscription.subscriptionId}`, reason: `subscription is ${subscription.state}` });
    return;
  }
  const [vaults] = await Promise.all([collectVaults(s, subscription), s.options.roleAssignments === false ? undefined : collectRbac(s, subscription)]);
  s.progress(`azure: subscription ${subscription.displayName ?? subscription.subscriptionId}: ${vaults} vaults`);
}

async function collectVaults(s: AzureSession, subscription: ArmSubscription): Promise<number> {
  const client = new KeyVaultManagementClient(s.options.credential, subscription.subscriptionId, s.clientOptions as never);
  const vaultTasks: Promise<void>[] = [];
  try {
    for await (const page of client.vaults.listBySubscription({ abortSignal: s.signal }).byPage()) {
      for (const vault of page) {
        const entry: VaultSnapshot = { vault: vaultToArm(vault), secrets: null, keys: null };
        s.snapshot.vaults.push(entry);
        s.stats.vaults += 1;
        vaultTasks.push(s.vaultLimit(() => collectVault(s, client, entry)));
      }
    }
  } catch (error) {
    if (!isStatus(error, 401, 403, 404)) throw error;
    notCovered(s, `subscription:${subscription.subscriptionId}`, `cannot list key vaults (${describeError(error)})`);
  } finally {
    await Promise.allSettled(vaultTasks);
  }
  return vaultTasks.length;
}

/** Every role assignment visible in the subscription and the role definitions that name them. */
async function collectRbac(s: AzureSession, subscription: ArmSubscription): Promise<void> {
  const id = subscription.subscriptionId;
  const client = new AuthorizationManagementClient(s.options.credential, id, s.clientOptions as never);
  try {
    const roleAssignments: ArmRoleAssignment[] = [];
    for await (const page of client.roleAssignments.listForSubscription({ abortSignal: s.signal }).byPage()) {
      for (const a of page) roleAssignments.push(roleAssignmentToArm(a));
    }
    const roleDefinitions: ArmRoleDefinition[] = [];
    for await (const page of client.roleDefinitions
      .list(`subscriptions/${id}`, { abortSignal: s.signal }) /* the SDK prefixes "/" */
      .byPage()) {
      for (const d of page) roleDefinitions.push(roleDefinitionToArm(d));
    }
    s.snapshot.rbac!.push({ subscriptionId: id, roleAssignments, roleDefinitions });
    s.stats.roleAssignments += roleAssignments.length;
  } catch (error) {
    if (s.signal?.aborted) throw error;
    notCovered(s, `subscription:${id}/roleAssignments`, `cannot read role assignments (${describeError(error)}); who holds which Azure role here is unknown`);
  }
}

async function collectVault(s: AzureSession, client: KeyVaultManagementClient, entry: VaultSnapshot): Promise<void> {
  const { resourceGroup } = parseResourceId(entry.vault.id);
  const part = `vault:${entry.vault.id}`;
  if (!resourceGroup) {
    notCovered(s, part, 'vault id has no resource group; secrets and keys not listed');
    return;
  }
  try {
    const secrets = [];
    for await (const page of client.secrets.list(resourceGroup, entry.vault.name, { abortSignal: s.signal }).byPage()) {
      for (const secret of page) secrets.push(secretToArm(secret));
    }
    entry.secrets = secrets;
    s.stats.secrets += secrets.length;
  } catch (error) {
    if (s.signal?.aborted) throw error;
    notCovered(s, `${part}/secrets`, `cannot list secrets (${describeError(error)})`);
  }
  try {
    const listed: ArmKey[] = [];
    for await (const page of client.keys.list(resourceGroup, entry.vault.name, { abortSignal: s.signal }).byPage()) {
      for (const k of page) listed.push(keyToArm(k));
    }
    const keys: KeySnapshot[] = [];
    for (const item of listed) keys.push(await collectKey(s, client, resourceGroup, entry.vault.name, item, part));
    entry.keys = keys;
    s.stats.keys += keys.length;
  } catch (error) {
    if (s.signal?.aborted) throw error;
    notCovered(s, `${part}/keys`, `cannot list keys (${describeError(error)})`);
  }
}

// Keys_List items carry only attributes and the URI: the get adds type, operations and rotation policy.
async function collectKey(
  s: AzureSession,
  client: KeyVaultManagementClient,
  resourceGroup: string,
  vaultName: string,
  item: ArmKey,
  part: string,
): Promise<KeySnapshot> {
  const snap: KeySnapshot = { key: item };
  try {
    snap.key = keyToArm(await client.keys.get(resourceGroup, vaultName, item.name, { abortSignal: s.signal }));
  } catch (error) {
    if (s.signal?.aborted) throw error;
    snap.detailsCollected = false;
    notCovered(s, `${part}/keys/${item.name}`, `cannot read key details, rotation policy unknown (${describeError(error)})`);
  }
  if (s.options.keyVersions !== false) {
    try {
      const versions: ArmKey[] = [];
      for await (const page of client.keys.listVersions(resourceGroup, vaultName, item.name, { abortSignal: s.signal }).byPage()) {
        for (const v of page) versions.push(keyToArm(v));
      }
      snap.versions = versions;
    } catch (error) {
      if (s.signal?.aborted) throw error;
      notCovered(s, `${part}/keys/${item.name}/versions`, `cannot list key versions (${describeError(error)})`);
    }
  }
  return snap;
}

export async function collectAzureSnapshot(options: AzureCollectOptions): Promise<AzureCollectResult> {
  const s = openSession(options);
  const subscriptions = await listSubscriptions(s);
  // Two limiters rather than one: a subscription task waits on its vault tasks, so one shared pool could deadlock.
  const subscriptionLimit = pLimit(Math.max(1, options.subscriptionConcurrency ?? 4));
  const results = await Promise.allSettled(subscriptions.map((sub) => subscriptionLimit(() => collectSubscription(s, sub))));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const [i, r] of results.entries()) {
    if (r.status === 'rejected') notCovered(s, `subscription:${subscriptions[i]!.subscriptionId}`, `collection failed (${describeError(r.reason)})`);
  }
  // Nothing at all could be read: let the caller fail the source rather than report an empty estate.
  if (failures.length > 0 && failures.length === subscriptions.length) throw failures[0]!.reason;
  s.snapshot.collectedAt = new Date().toISOString();
  return { snapshot: s.snapshot, errors: s.errors, stats: s.stats };
}
