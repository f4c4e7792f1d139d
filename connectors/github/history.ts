/**
 * `--scan-history`: every collected repository is cloned and scanned for secrets exactly like a `git:`
 * source, by invoking the git connector programmatically (one call per clone URL, bounded concurrency).
 *
 * The git connector is the one registered for `git:` (ctx.connector), so a plugin that replaces it is
 * used here too. Private repositories need the scan's own GitHub credential for the clone. It is handed
 * to the git connector through the internal clone-auth hook (src/clone-auth.ts), which gives it to that one `git clone` process as an
 * `http.<origin>/.extraHeader` in the environment: never in the URL, the command line, the source spec,
 * a log or the report, and only for the GitHub host the API belongs to.
 */
import pLimit from 'p-limit';
import type { CollectResult, Connector, ConnectorContext, SourceError } from '../../src/plugin.js';
import { parseSourceSpec } from '../../src/sources.js';
import { redactText } from '../../src/redact.js';
import { withCloneAuth, type GitHttpAuth } from '../../src/clone-auth.js';
import type { GithubAuth, GithubClientInstance } from './client.js';
import type { GithubOrgSnapshot } from './snapshot.js';

/** The scan's GitHub credential, as git needs it for cloning. */
export interface HistoryCredential {
  /** The API root the credential belongs to (github.com when absent): it names the one host git may send it to. */
  apiUrl?: string;
  /** The token now: a personal access token, or an App installation token (refreshed before it expires). */
  token(): Promise<string>;
}

/** The token behind the connector's authentication; an App's installation token comes from Octokit's cache. */
export function historyCredential(auth: GithubAuth, client: GithubClientInstance, apiUrl?: string): HistoryCredential | undefined {
  if (auth.kind === 'token') return { apiUrl, token: async () => auth.token };
  if (auth.kind === 'app') {
    return {
      apiUrl,
      async token() {
        const result = (await client.auth({ type: 'installation' })) as { token?: unknown };
        if (typeof result?.token !== 'string' || !result.token) throw new Error('the GitHub App installation token exchange returned no token');
        return result.token;
      },
    };
  }
  return undefined;
}

/**
 * The web host git clones from, for an API root: api.github.com → github.com, api.SUB.ghe.com → SUB.ghe.com,
 * https://HOST/api/v3 (Enterprise Server) → HOST.
 */
export function githubWebHost(apiUrl: string | undefined): { host: string; protocol: string } {
  const url = new URL(apiUrl ?? 'https://api.github.com');
  return { host: url.hostname.toLowerCase().replace(/^api\./, ''), protocol: url.protocol };
}

/**
 * The clone credential for `cloneUrl`, or undefined when the URL is not on the credential's GitHub host
 * (a token must never travel to another server) or would send it less safely than the API calls do.
 */
export function cloneAuthFor(cloneUrl: string, apiUrl: string | undefined, token: string): GitHttpAuth | undefined {
  let url: URL;
  try {
    url = new URL(cloneUrl);
  } catch {
    return undefined;
  }
  const web = githubWebHost(apiUrl);
  const safeProtocol = url.protocol === 'https:' || (url.protocol === 'http:' && web.protocol === 'http:');
  if (!safeProtocol || url.hostname.toLowerCase() !== web.host || url.username || url.password) return undefined;
  return { origin: url.origin, authorization: `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}` };
}

export interface HistoryOutcome {
  result: Pick<CollectResult, 'identities' | 'credentials'>;
  errors: SourceError[];
  notCovered: { part: string; reason: string }[];
  scanned: number;
}

export async function scanRepositoryHistory(
  snapshot: GithubOrgSnapshot,
  ctx: ConnectorContext,
  concurrency: number,
  gitConnector?: Connector,
  credential?: HistoryCredential,
): Promise<HistoryOutcome> {
  const connector = gitConnector ?? ctx.connector?.('git');
  const outcome: HistoryOutcome = { result: { identities: [], credentials: [] }, errors: [], notCovered: [], scanned: 0 };
  if (!connector) {
    outcome.notCovered.push({ part: 'repository history (--scan-history)', reason: 'the git connector is not available in this build of nhiscan' });
    return outcome;
  }
  const limit = pLimit(Math.max(1, concurrency));
  await Promise.all(
    snapshot.repos.map((r) =>
      limit(async () => {
        const url = String(r.repo.clone_url ?? r.repo.html_url ?? '');
        const full = String(r.repo.full_name);
        if (!url) return;
        ctx.progress(`github:${snapshot.org}: scanning history of ${full}`);
        try {
          const auth = credential ? cloneAuthFor(url, credential.apiUrl, await credential.token()) : undefined;
          const sub = await connector.collect({ ...ctx, options: withCloneAuth(ctx.options, auth), source: parseSourceSpec(`git:${url}`) });
          outcome.result.identities.push(...sub.identities);
          outcome.result.credentials.push(...sub.credentials);
          for (const e of sub.errors ?? []) outcome.errors.push({ part: `history ${full}${e.part ? ` ${e.part}` : ''}`, message: e.message });
          for (const n of sub.notCovered ?? []) outcome.notCovered.push({ part: `history ${full}: ${n.part}`, reason: n.reason });
          outcome.scanned++;
        } catch (error) {
          outcome.errors.push({ part: `history ${full}`, message: redactText((error as Error).message ?? String(error)) });
        }
      }),
    ),
  );
  return outcome;
}
