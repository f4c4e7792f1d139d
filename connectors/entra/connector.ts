/**
 * The `entra` source: `entra` scans the tenant the credential signs in to, `entra:TENANT_ID` names it
 * (the credential is asked for a token of that tenant). Collects a snapshot through Microsoft Graph
 * (collect.ts), then normalises it (normalise.ts) exactly as the offline importer does.
 */
import type { TokenCredential } from '@azure/identity';
import { writeSnapshot } from '../../src/snapshot-out.js';
import type { CliOption, CollectResult, Connector, ConnectorContext, SourceError } from '../../src/plugin.js';
// collect.ts pulls in the Graph client and @azure/identity: loaded only when an entra source runs.
import type * as CollectModule from './collect.js';
import type { RetryOptions } from './transport.js';
import { normaliseEntraSnapshot } from './normalise.js';
import { entraSettingsSchema, normaliseGraphEndpoint, parseEntraSettings } from './settings.js';

export const entraCliOptions: CliOption[] = [
  {
    name: 'graph-endpoint',
    type: 'string',
    description: 'Microsoft Graph endpoint for national or test clouds (default https://graph.microsoft.com)',
  },
];

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

async function credentialFor(deps: EntraConnectorDeps, tenantId: string | undefined): Promise<TokenCredential> {
  if (deps.credential) return deps.credential;
  // The same production path as the azure source: DefaultAzureCredential, pinnable with AZURE_TOKEN_CREDENTIALS.
  const { defaultAzureCredential } = await import('../../src/azure-credential.js');
  return defaultAzureCredential(process.env, tenantId);
}

function endpointOf(ctx: ConnectorContext, settingsEndpoint: string | undefined, fallback: string): string {
  const cli = ctx.options['graph-endpoint'];
  if (typeof cli === 'string' && cli) return normaliseGraphEndpoint(cli, '--graph-endpoint');
  return settingsEndpoint ? normaliseGraphEndpoint(settingsEndpoint, 'settings.entra.endpoint') : fallback;
}

export function createEntraConnector(deps: EntraConnectorDeps = {}): Connector {
  return {
    scheme: 'entra',
    description:
      'Microsoft Entra ID workload identities: applications, service principals, managed identities, their credentials, permissions, owners and sign-ins (entra or entra:TENANT_ID)',
    options: entraCliOptions,
    settingsSchema: entraSettingsSchema,
    async collect(ctx: ConnectorContext): Promise<CollectResult> {
      const settings = parseEntraSettings(ctx.config.settings.entra);
      const { collectEntraSnapshot, DEFAULT_GRAPH_ENDPOINT, describeGraphError }: typeof CollectModule = await import('./collect.js');
      const endpoint = endpointOf(ctx, settings.endpoint, DEFAULT_GRAPH_ENDPOINT);
      const tenantId = tenantTarget(ctx.source.target);
      let collected;
      try {
        collected = await collectEntraSnapshot({
          credential: await credentialFor(deps, tenantId),
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
      const errors: SourceError[] = [...collected.errors];
      if (settings.snapshotOut) {
        const snapshotError = await writeSnapshot(ctx, settings.snapshotOut, snapshot);
        if (snapshotError) errors.push(snapshotError);
      }
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
