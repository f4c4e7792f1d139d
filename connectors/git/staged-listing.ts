/**
 * The `staged:` source's listing of the index, which the CLI can start before anything else runs.
 *
 * A pre-commit hook waits for `git diff --cached` after nhiscan has loaded its code, built its registry
 * and read its settings, one after the other. The CLI starts the listing of each `staged:` source
 * given on its command line as soon as it has read its arguments (`startStagedListings`), so git works
 * while Node does; the source takes the listing started for its folder (`stagedListing`), or starts
 * its own. Listings are read-only, and a listing no source takes is dropped with the scan
 * (`dropStagedListings`).
 */
import { dirname, join } from 'node:path';
import { runGit } from './git-process.js';

/**
 * git run in the folder itself, finding its repository under the ceiling resolveRepository sets, so
 * the repository resolveRepository would name: a hook waits for every git start, and the listing and
 * the copy need no separate `rev-parse` before them.
 */
export function runInWorkTree(workTree: string, args: string[], input?: string): ReturnType<typeof runGit> {
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

/** The folder a `staged:` target names, from `baseDir`; undefined for a URL, which the source refuses. */
export function stagedWorkTree(target: string, baseDir: string): string | undefined {
  const spec = target || '.';
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) ? undefined : join(baseDir, spec);
}

const started = new Map<string, Promise<string[]>>();

/** Starts the listing of every `staged:` source among `args` (a command line's words), from `cwd`. */
export function startStagedListings(args: readonly string[], cwd: string): void {
  for (const arg of args) {
    if (!arg.startsWith('staged:')) continue;
    const workTree = stagedWorkTree(arg.slice('staged:'.length), cwd);
    if (workTree === undefined || started.has(workTree)) continue;
    const listing = stagedPaths(workTree);
    listing.catch(() => {}); // a listing no source takes must not fail the process; the source that takes it sees the error
    started.set(workTree, listing);
  }
}

/** The staged paths of `workTree`: the listing started for it (taken, once), or a new one. */
export function stagedListing(workTree: string): Promise<string[]> {
  const listing = started.get(workTree);
  started.delete(workTree);
  return listing ?? stagedPaths(workTree);
}

/** Forgets the listings no source took (the scan is over, or never started). */
export function dropStagedListings(): void {
  started.clear();
}
