/**
 * Resolving `git:PATH_OR_URL` to a git directory: a working copy, a bare repository or mirror, or a URL
 * that is cloned bare into a temporary directory (removed after the scan).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { GitHttpAuth } from '../../src/clone-auth.js';
import { onInterrupt } from '../../src/interrupt.js';
import { GitError, httpAuthEnv, runGit, stripUrlCredentials } from './git-process.js';

/** git's words for "the server wants credentials and none (or wrong ones) were given". */
const AUTH_REQUIRED = /could not read Username|terminal prompts disabled|Authentication failed|HTTP 401|HTTP 403|returned error: 40[13]/i;

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

/**
 * `https://user:token@host/x.git` → the URL without userinfo and a Basic Authorization header scoped to
 * its origin (`TOKEN@` alone is sent as the user name with an empty password, as git would). Other
 * schemes (ssh) keep their user name, which is not a secret; a password there is dropped.
 */
export function separateUrlCredential(spec: string): { url: string; auth?: GitHttpAuth } {
  let parsed: URL;
  try {
    parsed = new URL(spec);
  } catch {
    return { url: spec };
  }
  if (!parsed.username && !parsed.password) return { url: spec };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  if (!/^https?:$/.test(parsed.protocol)) {
    parsed.password = '';
    return { url: parsed.href };
  }
  parsed.username = '';
  parsed.password = '';
  const authorization = `basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return { url: parsed.href, auth: { origin: parsed.origin, authorization } };
}

export async function resolveRepository(target: string, baseDir: string, httpAuth?: GitHttpAuth): Promise<ResolvedRepository> {
  const spec = target.trim() || '.';
  if (isGitUrl(spec)) {
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-clone-'));
    const remove = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    // On SIGINT/SIGTERM the clone goes too (git-process kills the git children first).
    const forget = onInterrupt(remove);
    const cleanup = () => {
      forget();
      remove();
    };
    try {
      // Bare and without checkout: we read objects, never files. Hooks do not run on clone of a bare repo.
      // A handed-over credential travels in this one process's environment, scoped to its origin.
      // Credentials written in the URL move to that header too: git would store the URL as given in
      // the clone's remote.origin.url, on disk for as long as the scan runs (or after a crash).
      const { url, auth } = separateUrlCredential(spec);
      const header = httpAuth ?? auth;
      await runGit(undefined, ['clone', '--bare', '--quiet', '--no-local', '--', url, dir], { env: header ? httpAuthEnv(header) : {} });
    } catch (error) {
      cleanup();
      const detail = (error as GitError).stderr || (error as Error).message;
      const hint = AUTH_REQUIRED.test(detail)
        ? httpAuth
          ? 'the server refused the credential given for it (does it grant read access to this repository?)'
          : 'the server requires authentication and no credential was given (a private repository: configure a git credential helper)'
        : undefined;
      throw new GitError(`cannot clone ${stripUrlCredentials(spec)}: ${hint ? `${hint}; ` : ''}${detail}`, null, '');
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
