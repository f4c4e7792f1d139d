/**
 * `--scan-history`: every collected repository is cloned and scanned for secrets exactly like a `git:`
 * source, by invoking the git connector programmatically (one call per clone URL, bounded concurrency).
 */
import pLimit from 'p-limit';
import type { CollectResult, Connector, ConnectorContext, SourceError } from '../../src/plugin.js';
import { parseSourceSpec } from '../../src/sources.js';
import { redactText } from '../../src/redact.js';
import type { GithubOrgSnapshot } from './snapshot.js';

export interface HistoryOutcome {
  result: Pick<CollectResult, 'identities' | 'credentials'>;
  errors: SourceError[];
  notCovered: { part: string; reason: string }[];
  scanned: number;
}

/** Loaded lazily so the GitHub connector does not depend on the git connector being built. */
async function findGitConnector(): Promise<Connector | undefined> {
  try {
    const mod = (await import('../git/plugin.js')) as { gitPlugin?: { connectors?: Connector[] } };
    const connector = mod.gitPlugin?.connectors?.find((c) => c.scheme === 'git');
    // The placeholder connector only throws "not yet supported".
    if (!connector || /not yet supported/i.test(connector.description)) return undefined;
    return connector;
  } catch {
    return undefined;
  }
}

export async function scanRepositoryHistory(
  snapshot: GithubOrgSnapshot,
  ctx: ConnectorContext,
  concurrency: number,
  gitConnector?: Connector,
): Promise<HistoryOutcome> {
  const connector = gitConnector ?? (await findGitConnector());
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
          const sub = await connector.collect({ ...ctx, source: parseSourceSpec(`git:${url}`) });
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
