/**
 * The fault soak's five targets: each starts its emulator on a soak estate (with or without chaos), runs
 * the real connector against it with short per-request timeouts and backoff (so hangs stay bounded and the
 * soak fast; retry counts stay the connector's defaults), and says which entities each `notCovered` part
 * name covers.
 */
import { createAzureConnector } from '../../connectors/azure/connector.js';
import { awsConnector } from '../../connectors/aws/live/connector.js';
import { createEntraConnector } from '../../connectors/entra/connector.js';
import { createGcpConnector } from '../../connectors/gcp/connector.js';
import { githubConnector } from '../../connectors/github/connector.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import type { CollectResult, ConnectorContext } from '../../src/plugin.js';
import { parseSourceSpec } from '../../src/sources.js';
import { AwsEmulator } from '../aws/server.js';
import { startArmEmulator, staticTestCredential } from '../azure/arm-emulator.js';
import type { Chaos } from '../chaos.js';
import { startGraphEmulator, staticGraphCredential } from '../entra/graph-emulator.js';
import { testServiceAccountKey } from '../gcp/estate.js';
import { startGcpEmulator } from '../gcp/server.js';
import { fakeGithubPat } from '../github/orgs.js';
import { startGithubEmulator } from '../github/server.js';
import type { Covers, Entity } from './compare.js';
import { soakAwsAccount, soakAzureEstate, soakEntraTenant, soakGcpEstate, soakGithubOrg } from './estates.js';

export interface SoakTuning {
  /** Per-request timeout: a hung request is abandoned after this and retried. */
  requestTimeoutMs: number;
  /** Backoff base for the retries the server gives no Retry-After for. */
  retryBaseMs: number;
}

export interface SoakRun {
  result: CollectResult;
  /** Requests the emulator received (token endpoints excluded). */
  requests: number;
}

export interface SoakTarget {
  name: string;
  /** Overrides of the soak's tuning for this target. */
  tuning?: Partial<SoakTuning>;
  /** Builds the estate once; `run` may be called several times on it (with and without chaos). */
  prepare(size: number): { run(chaos: Chaos | undefined, tuning: SoakTuning): Promise<SoakRun> };
  covers: Covers;
}

function context(spec: string, options: Record<string, unknown>, settings: Config['settings'] = {}): ConnectorContext {
  return {
    source: parseSourceSpec(spec),
    options,
    config: { ...defaultConfig(), settings },
    log: silentLogger,
    progress() {},
    now: new Date('2026-11-29T00:00:00Z'),
    signal: new AbortController().signal,
    baseDir: process.cwd(),
  };
}

/** Runs `fn` with these environment variables set, restoring the environment after. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    process.env = saved;
  }
}

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDSOAKSOAKSOAKSOAK',
  AWS_SECRET_ACCESS_KEY: 'soak-not-a-secret',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Azure and Graph part names: `subscription:ID[/roleAssignments]`, `/subscriptions/…/vaults/V[/secrets|/keys[/K[/versions]]]`. */
export const aws: SoakTarget = {
  name: 'aws (IAM, credential report, resource policies)',
  prepare(size) {
    const account = soakAwsAccount(size);
    return {
      async run(chaos, tuning) {
        const emulator = await new AwsEmulator({ accounts: [account], reportPolls: 2, ...(chaos ? { chaos } : {}) }).start();
        try {
          const options = { endpoint: emulator.url, reportPollMs: 20, requestTimeoutMs: tuning.requestTimeoutMs };
          const result = await withEnv(AWS_ENV, () => awsConnector.collect(context('aws', options)));
          return { result, requests: emulator.count() };
        } finally {
          await emulator.stop();
        }
      },
    };
  },
  covers: (part, e) => {
    const attributes = e.attributes as Record<string, unknown> | undefined;
    if (part === 'authorization-details') return e.kind.startsWith('iam-') || e.kind === 'aws-access-key';
    if (part === 'credential-report') return e.kind === 'iam-user' || e.kind === 'aws-access-key' || e.kind === 'iam-root';
    const user = /^access-keys:(.+)$/.exec(part)?.[1];
    if (user) return (e.kind === 'aws-access-key' && attributes?.userName === user) || (e.kind === 'iam-user' && e.name === user);
    const service = /^resource-policies:([a-z0-9]+)/.exec(part)?.[1];
    if (service) return e.kind.startsWith(`aws-${service}`) || String(e.id).includes(`:${service}:`);
    return false;
  },
};

const vaultOf = (e: Record<string, unknown>) => String((e.attributes as Record<string, unknown> | undefined)?.vaultId ?? '').toLowerCase();

export const azure: SoakTarget = {
  name: 'azure (Resource Manager: Key Vault, RBAC)',
  prepare(size) {
    const estate = soakAzureEstate(size);
    return {
      async run(chaos, tuning) {
        const emulator = await startArmEmulator({ estate, pageSize: 25, ...(chaos ? { chaos } : {}) });
        try {
          const credential = staticTestCredential(emulator);
          const connector = createAzureConnector({
            credential,
            clientOptions: { tlsOptions: { ca: emulator.caCert } },
            retry: { retryDelayInMs: tuning.retryBaseMs, maxRetryDelayInMs: 2_000 },
            requestTimeoutMs: tuning.requestTimeoutMs,
          });
          const result = await connector.collect(context('azure', { 'azure-endpoint': emulator.url }));
          return { result, requests: emulator.requests.filter((r) => r.kind === 'arm').length };
        } finally {
          await emulator.close();
        }
      },
    };
  },
  covers: (part, e) => {
    const lower = part.toLowerCase();
    const sub = /^subscription:([0-9a-f-]+)(\/roleassignments)?$/.exec(lower);
    if (sub) return sub[2] ? e.kind === 'azure-principal' && JSON.stringify(e).toLowerCase().includes(sub[1]!) : String(e.id).toLowerCase().includes(sub[1]!);
    if (lower === 'subscriptions') return true;
    const vault =
      /^vault:(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.keyvault\/vaults\/[^/]+)(?:\/(secrets|keys)(?:\/([^/]+)(\/versions)?)?)?$/.exec(
        lower,
      );
    if (!vault) return false;
    const [, id, what, key] = vault;
    const native = String(e.nativeId ?? '').toLowerCase();
    if (native !== id && !native.startsWith(`${id}/`) && vaultOf(e) !== id) return false;
    // The vault itself says which of its lists were read.
    if (!what || e.kind === 'keyvault') return true;
    if (what === 'secrets') return e.kind === 'keyvault-secret';
    return e.kind === 'keyvault-key' && (!key || native === `${id}/keys/${key}`);
  },
};

export const entra: SoakTarget = {
  name: 'entra (Microsoft Graph: applications, service principals, relations by $batch)',
  prepare(size) {
    const tenant = soakEntraTenant(size);
    return {
      async run(chaos, tuning) {
        const emulator = await startGraphEmulator({ tenant, ...(chaos ? { chaos } : {}) });
        try {
          const credential = staticGraphCredential(emulator);
          const connector = createEntraConnector({
            credential,
            ca: emulator.caCert,
            retry: { retryDelayInMs: tuning.retryBaseMs, maxRetryDelayInMs: 2_000 },
            requestTimeoutMs: tuning.requestTimeoutMs,
          });
          const result = await connector.collect(context(`entra:${tenant.tenantId}`, { 'graph-endpoint': emulator.url }));
          return { result, requests: emulator.requests.filter((r) => r.kind !== 'token').length };
        } finally {
          await emulator.close();
        }
      },
    };
  },
  covers: (part, e) => {
    // Relations: `application:ID/owners`, `servicePrincipal:APP_ID/appRoleAssignments`... cover that object (by object or app id) and its credentials.
    const relation = /^(?:application|servicePrincipal)s?[:/]([^/]+)\//.exec(part);
    if (relation) return JSON.stringify(e).includes(relation[1]!);
    if (part === 'reports/appCredentialSignInActivities') return e.kind.startsWith('entra-') && e.kind !== 'entra-application';
    if (part.startsWith('reports/')) return e.kind === 'entra-service-principal';
    if (part === 'directoryRoles' || part === 'oauth2PermissionGrants') return e.kind === 'entra-service-principal';
    return part === 'applications' ? e.kind.startsWith('entra-') : part === 'servicePrincipals' && e.kind === 'entra-service-principal';
  },
};

export const gcp: SoakTarget = {
  name: 'gcp (Resource Manager, IAM, Policy Analyzer)',
  prepare(size) {
    const estate = soakGcpEstate(size);
    const testKey = testServiceAccountKey();
    return {
      async run(chaos, tuning) {
        const emulator = await startGcpEmulator({ estate, publicKeyPem: testKey.publicKeyPem, pageSize: 100, ...(chaos ? { chaos } : {}) });
        try {
          const connector = createGcpConnector({ credentials: testKey.key, retryBaseMs: tuning.retryBaseMs, requestTimeoutMs: tuning.requestTimeoutMs });
          const result = await connector.collect(context('gcp', { 'gcp-endpoint': emulator.url }));
          return { result, requests: emulator.requests.length };
        } finally {
          await emulator.close();
        }
      },
    };
  },
  covers: (part, e) => {
    // `project:P/...`: that project's entities, narrowed by the part when it names an account.
    const m = /^project:([^/]+)(?:\/(.*))?$/.exec(part);
    if (!m) return false;
    const [, projectId, rest] = m;
    if (e.scope !== projectId && !String(e.id).includes(`projects/${projectId}/`)) return false;
    const account = rest && /^(?:keys|sa-policy):(.+)$/.exec(rest)?.[1];
    return !account || JSON.stringify(e).includes(account);
  },
};

export const github: SoakTarget = {
  name: 'github (REST: organisation, repositories, secrets, keys, hooks)',
  prepare(size) {
    const org = soakGithubOrg(size);
    const token = fakeGithubPat();
    return {
      async run(chaos, tuning) {
        const emulator = await startGithubEmulator(org, { tokens: [token], ...(chaos ? { chaos } : {}) });
        try {
          const settings = { github: { apiUrl: emulator.url, retryBaseMs: tuning.retryBaseMs, requestTimeoutMs: tuning.requestTimeoutMs } };
          const result = await withEnv({ GITHUB_TOKEN: token }, () => githubConnector.collect(context(`github:${org.login}`, {}, settings)));
          return { result, requests: emulator.requests.length };
        } finally {
          await emulator.close();
        }
      },
    };
  },
  covers: (part, e) => githubCovers(part, e),
};

/** Which entities of a repository (or of the organisation) each part of the GitHub collector holds. */
const GITHUB_PARTS: Record<string, (e: Entity, env?: string) => boolean> = {
  'deploy keys': (e) => e.kind === 'deploy-key',
  'repository Actions secrets': (e) => e.kind === 'actions-secret' && !String(e.id).includes('/environments/'),
  environments: (e) => String(e.id).includes('/environments/'),
  'environment secrets': (e, env) => String(e.id).includes(`/environments/${env}/`),
  'repository webhooks': (e) => e.kind === 'webhook',
  'repository workflow permissions': (e) => e.kind === 'actions-workflow-token',
  // Owners come from CODEOWNERS: every entity of the repository may lose its owner.
  CODEOWNERS: () => true,
  'organization Actions secrets': (e) => e.kind === 'actions-secret',
  'Dependabot organization secrets': (e) => e.kind === 'dependabot-secret',
  'Codespaces organization secrets': (e) => e.kind === 'codespaces-secret',
  'App installations': (e) => e.kind === 'github-app-installation',
  'organization webhooks': (e) => e.kind === 'webhook',
  'default workflow permissions': (e) => e.kind === 'actions-workflow-token',
  repositories: () => true,
};

function githubCovers(part: string, e: Entity): boolean {
  // Per repository: `deploy keys (ORG/REPO)`, `environment secrets (ORG/REPO (ENV))`.
  const m = /^(.+) \(([^\s()/]+\/[^\s()]+)(?: \(([^)]+)\))?\)$/.exec(part);
  if (m) return e.scope === m[2] && (GITHUB_PARTS[m[1]!]?.(e, m[3]) ?? false);
  // Organisation-wide parts: the organisation's own entities of that kind (a repository's are read per repository).
  const org = GITHUB_PARTS[part];
  return !!org && (part === 'repositories' || !String(e.scope).includes('/')) && org(e);
}

export const SOAK_TARGETS: SoakTarget[] = [aws, azure, entra, gcp, github];
