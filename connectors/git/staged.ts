/**
 * The `staged:` source (`staged:` or `staged:PATH`): the content about to be committed, as it is in
 * the index, not in the working tree. Made for pre-commit hooks: only the added, copied, modified or
 * renamed files of the index are read, so a small change answers at once. The index versions are
 * written to a temporary folder (`git checkout-index`) and scanned by the `dir:` source, so staged
 * content is judged exactly as files are; locations name the repository paths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
import { resolveRepository } from './repository.js';
import { runInWorkTree, stagedListing, stagedWorkTree } from './staged-listing.js';
import { stagedConnectorMeta } from './meta.js';

export async function collectStaged(ctx: ConnectorContext): Promise<CollectResult> {
  const dir = ctx.connector?.('dir');
  if (!dir) throw new Error('staged: needs the dir: source to be registered');
  const target = ctx.source.target || '.';
  const workTree = stagedWorkTree(target, ctx.baseDir);
  if (workTree === undefined) throw new Error(`staged: reads a local repository's index; ${target} is a URL`);
  let paths: string[];
  try {
    paths = await stagedListing(workTree); // started by the CLI when it named this folder (staged-listing.ts)
  } catch (error) {
    // Not a repository: resolveRepository's error, which names the source, wins over the listing's.
    await resolveRepository(target, ctx.baseDir);
    throw error;
  }
  const repository = target.trim() || '.'; // the name resolveRepository gives a local repository
  if (!paths.length) return { identities: [], credentials: [], stats: { staged: 0 }, repositoryPrefix: '' };
  const copy = mkdtempSync(join(tmpdir(), 'nhiscan-staged-'));
  try {
    // The index version of each staged file, under the copy, with its repository path.
    await runInWorkTree(workTree, ['checkout-index', `--prefix=${copy}/`, '-z', '--stdin'], `${paths.join('\0')}\0`);
    const scanned = await dir.collect({
      ...ctx,
      source: { spec: ctx.source.spec, scheme: 'dir', target: copy },
      options: { ...ctx.options, 'no-ignore': true },
    });
    for (const credential of scanned.credentials)
      for (const location of credential.locations ?? []) Object.assign(location, { source: ctx.source.spec, repository });
    // Paths from the index are relative to the repository root.
    return { ...scanned, stats: { ...scanned.stats, staged: paths.length }, repositoryPrefix: '' };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export const stagedConnector: Connector = { ...stagedConnectorMeta, collect: collectStaged };
