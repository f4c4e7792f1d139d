/**
 * Resolving `git:PATH_OR_URL` to a git directory: a working copy, a bare repository or mirror, or a URL
 * that is cloned bare into a temporary directory (removed after the scan).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GitError, runGit, stripUrlCredentials } from './git-process.js';

export interface ResolvedRepository {
  gitDir: string;
  /** Stable name used in locations: the URL without credentials, or the path as written. */
  name: string;
  isUrl: boolean;
  /** Removes the temporary clone, if any. */
  cleanup(): void;
}

const URL_FORM = /^([a-z][a-z0-9+.-]*:\/\/|[\w.-]+@[\w.-]+:)/i;

export function isGitUrl(target: string): boolean {
  return URL_FORM.test(target) && !/^[a-z]:[\\/]/i.test(target);
}

export async function resolveRepository(target: string, baseDir: string): Promise<ResolvedRepository> {
  const spec = target.trim() || '.';
  if (isGitUrl(spec)) {
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-clone-'));
    const cleanup = () => rmSync(dir, { recursive: true, force: true });
    try {
      // Bare and without checkout: we read objects, never files. Hooks do not run on clone of a bare repo.
      await runGit(undefined, ['clone', '--bare', '--quiet', '--no-local', '--', spec, dir]);
    } catch (error) {
      cleanup();
      throw new GitError(`cannot clone ${stripUrlCredentials(spec)}: ${(error as GitError).stderr || (error as Error).message}`, null, '');
    }
    return { gitDir: dir, name: stripUrlCredentials(spec), isUrl: true, cleanup };
  }
  const path = resolve(baseDir, spec);
  let gitDir: string;
  try {
    // The ceiling stops git from walking up: a plain folder inside some other repository must not
    // silently become a scan of that other repository.
    gitDir = (await runGit(undefined, ['-C', path, 'rev-parse', '--absolute-git-dir'], { env: { GIT_CEILING_DIRECTORIES: dirname(path) } })).stdout.trim();
  } catch (error) {
    throw new GitError(`${spec} is not a git repository (${(error as GitError).stderr || (error as Error).message})`, null, '');
  }
  return { gitDir, name: spec, isUrl: false, cleanup() {} };
}

/** Commit ids of every ref tip (peeled), the basis of incremental rescans. */
export async function refTips(gitDir: string): Promise<string[]> {
  const { stdout } = await runGit(gitDir, ['for-each-ref', '--format=%(objectname) %(*objectname)']);
  const tips = new Set<string>();
  for (const line of stdout.split('\n')) {
    const [object, peeled] = line.trim().split(' ');
    const id = peeled || object;
    if (id) tips.add(id);
  }
  return [...tips].sort();
}

/** HEAD's tree as path → blob id; empty when HEAD does not resolve (empty repository). */
export async function headTree(gitDir: string, rev = 'HEAD'): Promise<{ files: Map<string, string>; gitlinks: string[] }> {
  const files = new Map<string, string>();
  const gitlinks: string[] = [];
  const { stdout, code } = await runGit(gitDir, ['ls-tree', '-r', '-z', '--full-tree', rev], { allowFail: true });
  if (code !== 0) return { files, gitlinks };
  for (const entry of stdout.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, oid] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    if (type === 'blob' && oid) files.set(path, oid);
    else if (type === 'commit' || mode === '160000') gitlinks.push(path);
  }
  return { files, gitlinks };
}
