/**
 * The `entra` source: `entra` scans the tenant the credential signs in to, `entra:TENANT_ID` names it
 * (the credential is asked for a token of that tenant). Collects a snapshot through Microsoft Graph
 * (collect.ts), then normalises it (normalise.ts) exactly as the offline importer does.
 */
import type { TokenCredential } from '@azure/identity';
import { azureSourceCredential, endpointSetting, errorsAfterSnapshot } from '../../src/live-source.js';
import type { CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
// collect.ts pulls in the Graph client and @azure/identity: loaded only when an entra source runs.
import type * as CollectModule from './collect.js';
import type { RetryOptions } from './transport.js';
import { normaliseEntraSnapshot } from './normalise.js';
import { normaliseGraphEndpoint, parseEntraSettings } from './settings.js';
import { entraConnectorMeta } from './meta.js';

export interface EntraConnectorDeps {
  /** A credential to use instead of DefaultAzureCredential (tests, embedding applications). */
  credential?: TokenCredential;
  /** A CA certificate to trust (tests: the emulator's test CA). */
  ca?: string;
  retry?: RetryOptions;
  requestTimeoutMs?: number;
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tenantTarget(target: string): string | undefined {
  const id = target.trim();
  if (!id) return undefined;
  if (!TENANT_ID.test(id)) throw new Error(`entra: "${id}" is not a tenant id (a GUID such as 00000000-0000-0000-0000-000000000000)`);
  return id.toLowerCase();
}

export function createEntraConnector(deps: EntraConnectorDeps = {}): Connector {
  return {
    ...entraConnectorMeta,
    async collect(ctx: ConnectorContext): Promise<CollectResult> {
      const settings = parseEntraSettings(ctx.config.settings.entra);
      const { collectEntraSnapshot, DEFAULT_GRAPH_ENDPOINT, describeGraphError }: typeof CollectModule = await import('./collect.js');
      const endpoint =
        endpointSetting(ctx, 'graph-endpoint', { value: settings.endpoint, path: 'settings.entra.endpoint' }, normaliseGraphEndpoint) ?? DEFAULT_GRAPH_ENDPOINT;
      const tenantId = tenantTarget(ctx.source.target);
      let collected;
      try {
        collected = await collectEntraSnapshot({
          credential: await azureSourceCredential(deps.credential, tenantId),
          endpoint,
          tenantId,
          concurrency: settings.concurrency,
          signInActivity: settings.signInActivity,
          retry: { maxRetries: settings.maxRetries, ...deps.retry },
          requestTimeoutMs: deps.requestTimeoutMs ?? settings.requestTimeoutMs,
          ca: deps.ca,
          signal: ctx.signal,
          progress: (m) => ctx.progress(m),
        });
      } catch (error) {
        throw new Error(`entra (${endpoint}): nothing could be collected: ${describeGraphError(error)}`);
      }
      const { snapshot, stats } = collected;
      const errors = await errorsAfterSnapshot(ctx, settings.snapshotOut, snapshot, collected.errors);
      const { identities, credentials, people, notCovered } = normaliseEntraSnapshot(snapshot, { now: ctx.now, source: ctx.source.spec });
      return {
        identities,
        credentials,
        ...(people.length ? { people } : {}),
        status: errors.length ? 'partial' : 'ok',
        errors,
        notCovered,
        stats: { ...stats },
      };
    },
  };
}

export const entraConnector = createEntraConnector();
