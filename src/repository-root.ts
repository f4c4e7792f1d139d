import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/**
 * The root of the git repository holding `dir` (the nearest folder with a `.git` directory, or a
 * `.git` file in a worktree or submodule), and the folders from `dir` up to it, nearest first.
 * Undefined outside any repository.
 */
export function findRepositoryRoot(dir: string): { root: string; path: string[] } | undefined {
  const path: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    path.push(current);
    if (existsSync(resolve(current, '.git'))) return { root: current, path };
    if (dirname(current) === current) return undefined;
  }
}

/**
 * Where `dir` sits in its repository, as `git rev-parse --show-prefix` says it: `''` at the root,
 * `services/api/` below it; undefined outside any repository.
 */
export function repositoryPrefix(dir: string): string | undefined {
  const found = findRepositoryRoot(dir);
  if (!found) return undefined;
  const rel = relative(found.root, resolve(dir)).split('\\').join('/');
  return rel ? `${rel}/` : '';
}
