/**
 * The `staged:` source (`staged:` or `staged:PATH`): the content about to be committed, as it is in
 * the index, not in the working tree. Made for pre-commit hooks: only the added, copied, modified or
 * renamed files of the index are read, so a small change answers at once. The index versions are
 * written to a temporary folder (`git checkout-index`) and scanned by the `dir:` source, so staged
 * content is judged exactly as files are; locations name the repository paths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
import { runGit } from './git-process.js';
import { isGitUrl, resolveRepository } from './repository.js';
import { stagedConnectorMeta } from './meta.js';

/**
 * git run in the folder itself, finding its repository under the ceiling resolveRepository sets, so
 * the repository resolveRepository would name: a hook waits for every git start, and the listing and
 * the copy need no separate `rev-parse` before them.
 */
function runInWorkTree(workTree: string, args: string[], input?: string): ReturnType<typeof runGit> {
  return runGit(undefined, ['--work-tree', workTree, ...args], {
    cwd: workTree,
    env: { GIT_CEILING_DIRECTORIES: dirname(workTree) },
    ...(input ? { input } : {}),
  });
}

/** Paths staged for the next commit (NUL-separated output, so any file name survives). */
async function stagedPaths(workTree: string): Promise<string[]> {
  const { stdout } = await runInWorkTree(workTree, ['diff', '--cached', '--name-only', '-z', '--no-renames', '--diff-filter=ACMR']);
  return stdout.split('\0').filter(Boolean);
}

export async function collectStaged(ctx: ConnectorContext): Promise<CollectResult> {
  const dir = ctx.connector?.('dir');
  if (!dir) throw new Error('staged: needs the dir: source to be registered');
  const target = ctx.source.target.trim() || '.'; // as resolveRepository reads it, so both judge the same target
  // A remote (https://, ssh://, or scp-like git@host:org/repo) has no index: refused before git runs, so
  // the error path below never clones it.
  if (isGitUrl(target)) throw new Error(`staged: reads a local repository's index; ${target} is a URL`);
  const workTree = resolve(ctx.baseDir, target); // an absolute path stays itself
  let paths: string[];
  try {
    paths = await stagedPaths(workTree);
  } catch (error) {
    // Not a repository: resolveRepository's error, which names the source, wins over the listing's.
    await resolveRepository(target, ctx.baseDir);
    throw error;
  }
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
      for (const location of credential.locations ?? []) Object.assign(location, { source: ctx.source.spec, repository: target }); // the name resolveRepository gives a local repository
    // Paths from the index are relative to the repository root.
    return { ...scanned, stats: { ...scanned.stats, staged: paths.length }, repositoryPrefix: '' };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export const stagedConnector: Connector = { ...stagedConnectorMeta, collect: collectStaged };
