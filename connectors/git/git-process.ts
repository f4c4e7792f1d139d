/**
 * Spawning git safely for read-only plumbing: a fixed environment (no pager, no prompts, C locale, no
 * lazy fetching of missing objects in partial clones) so a scan never blocks, never touches the network
 * behind the user's back and never depends on the caller's GIT_* variables.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The caller's GIT_DIR / GIT_WORK_TREE / GIT_INDEX_FILE... would redirect our commands.
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  return {
    ...env,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_NO_LAZY_FETCH: '1', // git >= 2.44: a partial clone must not fetch missing blobs while we read
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    // A URL source may only use ordinary transports: never `ext::` (runs a command) or similar helpers.
    GIT_ALLOW_PROTOCOL: 'file:git:http:https:ssh',
  };
}

/** Removes `user:password@` from URLs so an error message never repeats embedded credentials. */
export function stripUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1');
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(stripUrlCredentials(message));
    this.name = 'GitError';
  }
}

export function spawnGit(gitDir: string | undefined, args: string[], cwd?: string, extraEnv: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  const full = gitDir ? [`--git-dir=${gitDir}`, ...args] : args;
  return spawn('git', full, { cwd, env: { ...gitEnv(), ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs git to completion and returns stdout; rejects with a GitError carrying git's own message. */
export function runGit(gitDir: string | undefined, args: string[], options: { cwd?: string; input?: string; allowFail?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(gitDir, args, options.cwd, options.env);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => reject(new GitError(`cannot run git: ${e.message}`, null, '')));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code !== 0 && !options.allowFail) reject(new GitError(`git ${args[0]} failed: ${stderr || `exit ${code}`}`, code, stderr));
      else resolve({ stdout, code, stderr });
    });
    child.stdin.on('error', () => {}); // git may exit before reading all input
    child.stdin.end(options.input ?? '');
  });
}

/** Streams git's stdout line by line (for rev-list and log over large histories). */
export async function* gitLines(child: ChildProcessWithoutNullStreams): AsyncGenerator<string> {
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

/** Resolves when the process exits; collects (bounded) stderr for error messages. */
export function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 8192) stderr += c.toString('utf8');
  });
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve({ code: child.exitCode, stderr });
    child.on('close', (code) => resolve({ code, stderr: stderr.trim() }));
    child.on('error', () => resolve({ code: -1, stderr: stderr.trim() }));
  });
}
