/**
 * The `github:ORG` connector: authenticate, collect the raw snapshot, optionally record it, normalise it,
 * and optionally scan every repository's history through the git connector.
 */
import { isAbsolute, resolve } from 'node:path';
import { writeSnapshot } from '../../src/snapshot-out.js';
import type { CollectResult, Connector, ConnectorContext, SourceError } from '../../src/plugin.js';
import { githubConnectorMeta } from './meta.js';
// client.ts pulls in Octokit and its plugins: loaded only when a github: source runs, so other scans start fast.
import type * as ClientModule from './client.js';
import { collectSnapshot } from './collect.js';
import { historyCredential, scanRepositoryHistory } from './history.js';
import { normaliseSnapshot } from './normalise.js';
import { checkApiUrl } from './api-url.js';

export interface GithubSettings {
  apiUrl?: string;
  appId?: string;
  privateKeyPath?: string;
  installationId?: string;
  repoFilter?: string[];
  includeArchived?: boolean;
  scanHistory?: boolean;
  concurrency?: number;
  historyConcurrency?: number;
  snapshotOut?: string;
  allowInsecureHttp?: boolean;
  maxRetries?: number;
  retryBaseMs?: number;
  requestTimeoutMs?: number;
}

/** CLI options win over `config.settings.github`, which win over the environment. */
export function readSettings(ctx: ConnectorContext): GithubSettings {
  const s = (ctx.config.settings?.github ?? {}) as Record<string, unknown>;
  const o = ctx.options;
  const pick = <T>(option: string, setting: string): T | undefined => (o[option] ?? o[setting] ?? s[setting]) as T | undefined;
  const str = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : String(v));
  const num = (v: unknown) => (v === undefined || v === null || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));
  const filters = pick<string | string[]>('repo-filter', 'repoFilter');
  const keyPath = str(pick('github-app-key', 'privateKeyPath'));
  return {
    apiUrl: str(pick('github-api-url', 'apiUrl')) ?? str(process.env.GITHUB_API_URL),
    appId: str(pick('github-app-id', 'appId')),
    privateKeyPath: keyPath && !isAbsolute(keyPath) ? resolve(ctx.baseDir, keyPath) : keyPath,
    installationId: str(pick('github-app-installation-id', 'installationId')),
    repoFilter: filters === undefined ? undefined : Array.isArray(filters) ? filters.map(String) : [String(filters)],
    includeArchived: pick<boolean>('include-archived', 'includeArchived') === true,
    scanHistory: pick<boolean>('scan-history', 'scanHistory') === true,
    concurrency: num(pick('github-concurrency', 'concurrency')),
    historyConcurrency: num(s.historyConcurrency),
    snapshotOut: str(pick('github-snapshot-out', 'snapshotOut')),
    allowInsecureHttp: pick<boolean>('allow-insecure-http', 'allowInsecureHttp') === true,
    maxRetries: num(s.maxRetries),
    retryBaseMs: num(s.retryBaseMs),
    requestTimeoutMs: num(s.requestTimeoutMs),
  };
}

export const githubConnector: Connector = {
  ...githubConnectorMeta,
  async collect(ctx): Promise<CollectResult> {
    const org = ctx.source.target.trim().replace(/^\/+|\/+$/g, '');
    if (!org || org.includes('/')) throw new Error(`${ctx.source.spec}: expected github:ORG (an organization login)`);
    const settings = readSettings(ctx);
    checkApiUrl(settings.apiUrl, settings.allowInsecureHttp === true, ctx.log, ctx.source.spec);
    const { createGithubClient, resolveAuth }: typeof ClientModule = await import('./client.js');
    const auth = resolveAuth({ ...settings, env: process.env });
    if (auth.kind === 'none') {
      throw new Error(
        `${ctx.source.spec}: no GitHub credential: set GITHUB_TOKEN (or GH_TOKEN), or a GitHub App with --github-app-id, --github-app-key and --github-app-installation-id`,
      );
    }
    const client = createGithubClient({
      auth,
      baseUrl: settings.apiUrl,
      log: ctx.log,
      maxRetries: settings.maxRetries,
      retryBaseMs: settings.retryBaseMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      signal: ctx.signal,
    });
    const outcome = await collectSnapshot(client, {
      org,
      concurrency: settings.concurrency,
      repoFilters: settings.repoFilter,
      includeArchived: settings.includeArchived,
      authKind: auth.kind,
      apiUrl: settings.apiUrl,
      progress: (m) => ctx.progress(m),
      now: ctx.now,
      ...(ctx.shard ? { shard: ctx.shard } : {}),
    });
    const errors: SourceError[] = [...outcome.errors];
    if (settings.snapshotOut) {
      const snapshotError = await writeSnapshot(ctx, settings.snapshotOut, outcome.snapshot);
      if (snapshotError) errors.push(snapshotError);
    }
    const result = normaliseSnapshot(outcome.snapshot, ctx.source.spec);
    const notCovered = [...(result.notCovered ?? [])];
    const stats: Record<string, number> = { ...result.stats, requests: outcome.requests };
    if (settings.scanHistory) {
      const history = await scanRepositoryHistory(
        outcome.snapshot,
        ctx,
        settings.historyConcurrency ?? 2,
        undefined,
        historyCredential(auth, client, settings.apiUrl),
      );
      result.identities.push(...history.result.identities);
      result.credentials.push(...history.result.credentials);
      errors.push(...history.errors);
      notCovered.push(...history.notCovered);
      stats.historiesScanned = history.scanned;
    }
    return { ...result, errors, notCovered, stats, status: errors.length || notCovered.length ? 'partial' : 'ok' };
  },
};
