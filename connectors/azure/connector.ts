/**
 * The `azure` source: `azure` scans every subscription the credential can list, `azure:SUB_ID`
 * (or `azure:SUB1,SUB2`) only those. Collects a snapshot through the SDK (collect.ts), then
 * normalises it (normalise.ts) exactly as the offline importer does.
 */
import type { TokenCredential } from '@azure/identity';
import { azureSourceCredential, endpointSetting, errorsAfterSnapshot } from '../../src/live-source.js';
import type { CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
// collect.ts and credential.ts pull in the Azure SDKs: loaded only when an azure source runs.
import type { AzureCollectOptions } from './collect.js';
import type * as CollectModule from './collect.js';
import { normaliseAzureSnapshot } from './normalise.js';
import { normaliseEndpoint, parseAzureSettings } from './settings.js';
import { azureConnectorMeta } from './meta.js';

export interface AzureConnectorDeps {
  /** A credential to use instead of DefaultAzureCredential (tests, embedding applications). */
  credential?: TokenCredential;
  /** Extra SDK client options, e.g. `tlsOptions: { ca }` for a test certificate authority. */
  clientOptions?: Record<string, unknown>;
  /** Retry timing overrides (tests shorten the delays). */
  retry?: AzureCollectOptions['retry'];
  /** Overrides settings.azure.requestTimeoutMs (tests use a short one). */
  requestTimeoutMs?: number;
}

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function subscriptionTargets(target: string): string[] | undefined {
  const ids = target
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) return undefined;
  const bad = ids.filter((id) => !SUBSCRIPTION_ID.test(id));
  if (bad.length) throw new Error(`azure: "${bad.join(', ')}" is not a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)`);
  return ids;
}

export function createAzureConnector(deps: AzureConnectorDeps = {}): Connector {
  return {
    ...azureConnectorMeta,
    async collect(ctx: ConnectorContext): Promise<CollectResult> {
      const settings = parseAzureSettings(ctx.config.settings.azure);
      const { collectAzureSnapshot, DEFAULT_ARM_ENDPOINT, describeError }: typeof CollectModule = await import('./collect.js');
      const endpoint =
        endpointSetting(ctx, 'azure-endpoint', { value: settings.endpoint, path: 'settings.azure.endpoint' }, normaliseEndpoint) ?? DEFAULT_ARM_ENDPOINT;
      const subscriptionIds = subscriptionTargets(ctx.source.target);
      const credential = await azureSourceCredential(deps.credential);

      let collected;
      try {
        collected = await collectAzureSnapshot({
          credential,
          endpoint,
          subscriptionIds,
          ...(ctx.shard ? { shard: ctx.shard } : {}),
          subscriptionConcurrency: settings.subscriptionConcurrency,
          vaultConcurrency: settings.vaultConcurrency,
          keyVersions: settings.keyVersions,
          retry: { maxRetries: settings.maxRetries, ...deps.retry },
          requestTimeoutMs: deps.requestTimeoutMs ?? settings.requestTimeoutMs,
          clientOptions: deps.clientOptions,
          signal: ctx.signal,
          progress: (m) => ctx.progress(m),
        });
      } catch (error) {
        throw new Error(`azure (${endpoint}): nothing could be collected: ${describeError(error)}`);
      }
      const { snapshot, stats } = collected;
      const errors = await errorsAfterSnapshot(ctx, settings.snapshotOut, snapshot, collected.errors);
      const { identities, credentials, notCovered } = normaliseAzureSnapshot(snapshot, { now: ctx.now, source: ctx.source.spec });
      return {
        identities,
        credentials,
        status: errors.length ? 'partial' : 'ok',
        errors,
        notCovered,
        stats: {
          requests: stats.requests,
          retries: stats.retries,
          throttled: stats.throttled,
          subscriptions: stats.subscriptions,
          vaults: stats.vaults,
          secrets: stats.secrets,
          keys: stats.keys,
          roleAssignments: stats.roleAssignments,
          principals: identities.filter((i) => i.kind === 'azure-principal').length,
        },
      };
    },
  };
}

export const azureConnector = createAzureConnector();
