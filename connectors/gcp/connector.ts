/**
 * The `gcp` source: `gcp` scans every project the credential can see, `gcp:PROJECT_ID` (or
 * `gcp:P1,P2`) only those, `--gcp-org ORG_ID` adds organization and folder policies. It collects a
 * snapshot (collect.ts) and normalises it (normalise.ts) exactly as the offline importers do.
 *
 * Credentials: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file,
 * workload identity, or the metadata server when running on Google Cloud), read-only scope.
 */
import { endpointSetting, errorsAfterSnapshot } from '../../src/live-source.js';
import type { CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
import { collectGcpSnapshot } from './collect.js';
import { gcpConnectorMeta } from './meta.js';
import { normaliseGcpSnapshot } from './normalise.js';
import { normaliseGcpEndpoint, parseGcpSettings, projectTargets } from './settings.js';

export interface GcpConnectorDeps {
  /** A service-account key (parsed JSON) instead of Application Default Credentials (tests, embedding). */
  credentials?: Record<string, unknown>;
  /** Backoff base in ms (tests shorten it). */
  retryBaseMs?: number;
  requestTimeoutMs?: number;
}

function organizationOf(ctx: ConnectorContext, settingsOrg: string | undefined): string | undefined {
  const cli = ctx.options['gcp-org'];
  const value = typeof cli === 'string' && cli ? cli.replace(/^organizations\//, '') : settingsOrg;
  if (value !== undefined && !/^\d+$/.test(value)) throw new Error(`--gcp-org: "${value}" is not an organization id (digits only)`);
  return value;
}

export function createGcpConnector(deps: GcpConnectorDeps = {}): Connector {
  return {
    ...gcpConnectorMeta,
    async collect(ctx: ConnectorContext): Promise<CollectResult> {
      const settings = parseGcpSettings(ctx.config.settings.gcp);
      const endpoint = endpointSetting(ctx, 'gcp-endpoint', { value: settings.endpoint, path: 'settings.gcp.endpoint' }, normaliseGcpEndpoint);
      const collected = await collectGcpSnapshot({
        ...(deps.credentials ? { credentials: deps.credentials } : {}),
        ...(endpoint ? { endpoint } : {}),
        projectIds: projectTargets(ctx.source.target),
        organizationId: organizationOf(ctx, settings.organizationId),
        ...(ctx.shard ? { shard: ctx.shard } : {}),
        concurrency: settings.concurrency,
        maxRetries: settings.maxRetries,
        requestTimeoutMs: deps.requestTimeoutMs ?? settings.requestTimeoutMs,
        ...(deps.retryBaseMs !== undefined ? { retryBaseMs: deps.retryBaseMs } : {}),
        signal: ctx.signal,
        progress: (m) => ctx.progress(m),
      }).catch((error: Error) => {
        throw new Error(`gcp${endpoint ? ` (${endpoint})` : ''}: nothing could be collected: ${error.message}`);
      });
      const { snapshot, stats } = collected;
      const errors = await errorsAfterSnapshot(ctx, settings.snapshotOut, { ...snapshot, collectedAt: ctx.now.toISOString() }, collected.errors);
      const { identities, credentials, notCovered } = normaliseGcpSnapshot(snapshot, { now: ctx.now, source: ctx.source.spec });
      return { identities, credentials, status: errors.length ? 'partial' : 'ok', errors, notCovered, stats: { ...stats } };
    },
  };
}

export const gcpConnector = createGcpConnector();
