/**
 * Shallow clones, as CI checkouts make them (actions/checkout fetches one commit unless told
 * `fetch-depth: 0`): the history below the shallow boundary is not in the repository. A scan that
 * reaches the boundary saw only part of the history and must say so; a `--since`/`--range` revision
 * that is not there is a clear error naming the fix, not a failed `git rev-list`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { selectionInput, type RevSelection } from './enumerate.js';
import { runGit } from './git-process.js';

export const FETCH_HISTORY_HINT = 'fetch the history first: actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`';

/** The commits a shallow clone's history stops at (empty for a complete repository). */
export async function shallowBoundary(gitDir: string): Promise<string[]> {
  const { stdout } = await runGit(gitDir, ['rev-parse', '--git-common-dir']);
  const commonDir = stdout.trim();
  const file = resolve(isAbsolute(commonDir) ? commonDir : resolve(gitDir, commonDir), 'shallow');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

async function hasCommit(gitDir: string, rev: string): Promise<boolean> {
  const { code } = await runGit(gitDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { allowFail: true });
  return code === 0;
}

/** Each revision `--since REV` or `--range A..B` names must be in the repository. */
export async function checkRevisions(gitDir: string, plan: { range?: string; since?: string }, boundary: string[]): Promise<void> {
  const named = plan.range ? plan.range.split(/\.{2,3}/).filter(Boolean) : plan.since ? [plan.since] : [];
  const option = plan.range ? `--range ${plan.range}` : `--since ${plan.since}`;
  for (const rev of named) {
    if (await hasCommit(gitDir, rev)) continue;
    if (boundary.length) throw new Error(`${option}: ${rev} is not in this shallow clone (only part of the history was fetched); ${FETCH_HISTORY_HINT}`);
    throw new Error(`${option}: no commit ${rev} in this repository (fetch it, or check the name)`);
  }
}

/** How many boundary commits the selection's walk reaches: each one hides the history behind it. */
export async function boundaryCommitsReached(gitDir: string, selection: RevSelection, boundary: string[]): Promise<number> {
  if (!boundary.length) return 0;
  const { args, stdin } = selectionInput(selection);
  const { stdout } = await runGit(gitDir, ['rev-list', ...args, '--stdin'], { input: stdin });
  const walked = new Set(stdout.split('\n'));
  return boundary.filter((commit) => walked.has(commit)).length;
}
