/**
 * Spawning git safely for read-only plumbing: a fixed environment (no pager, no prompts, C locale, no
 * lazy fetching of missing objects in partial clones) so a scan never blocks, never touches the network
 * behind the user's back and never depends on the caller's GIT_* variables.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { onInterrupt } from '../../src/interrupt.js';
import type { GitHttpAuth } from '../../src/clone-auth.js';

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
    GIT_ATTR_NOSYSTEM: '1',
    // A URL source may only use ordinary transports: never `ext::` (runs a command) or similar helpers.
    GIT_ALLOW_PROTOCOL: 'file:git:http:https:ssh',
  };
}

/**
 * Environment that gives git `http.<origin>/.extraHeader` through GIT_CONFIG_COUNT/KEY/VALUE (git >=
 * 2.31): never in the URL or the command line (visible to every user in `ps`), never in a file.
 * Only the clone process gets it.
 */
export function httpAuthEnv(auth: GitHttpAuth): NodeJS.ProcessEnv {
  let origin: URL;
  try {
    origin = new URL(auth.origin);
  } catch {
    throw new GitError('the clone credential has an invalid origin', null, '');
  }
  if (!/^https?:$/.test(origin.protocol) || origin.username || origin.password)
    throw new GitError('the clone credential must be scoped to an http(s) origin without user info', null, '');
  if (/[\r\n\0]/.test(auth.authorization)) throw new GitError('the clone credential is not a valid header value', null, '');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${origin.origin}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: ${auth.authorization}`,
  };
}

/**
 * Removes the userinfo (`user:password@`, `TOKEN@`, a password holding `@`) from URLs so an error
 * message or a location never repeats embedded credentials.
 */
export function stripUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*(?:@[^\s/?#@]*)*@/gi, '$1');
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

/**
 * Overrides for every key a repository's own config could use to make git run a program or change
 * what a read shows us. A scanned repository is hostile input: its `.git/config` (or a file it
 * includes) must not run a signature verifier, fsmonitor, pager, diff/textconv driver, hook or
 * credential helper, nor hide history (log.showRoot; diff.relative, which with core.worktree set would
 * cut `git log --raw` down to one folder). Command-line `-c` wins over every config file.
 * Drivers named in .gitattributes (`diff.<name>.textconv`, `filter.<name>.*`) cannot be listed in
 * advance: the commands nhiscan runs never apply them (cat-file without --textconv/--filters, log
 * with --raw and --no-textconv, clone --bare without checkout).
 */
const NEUTRAL_CONFIG = [
  'log.showSignature=false',
  'log.showRoot=true',
  'diff.relative=false',
  'gpg.program=false',
  'gpg.openpgp.program=false',
  'gpg.x509.program=false',
  'gpg.ssh.program=false',
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.editor=false',
  'core.quotePath=false',
  'core.alternateRefsCommand=false',
  'diff.external=false',
  'color.ui=false',
  'protocol.ext.allow=never',
];

/**
 * Overrides for commands that read an existing (scanned) repository: it is never fetched from, so
 * nothing may contact a server or ask for a credential through its config. A clone keeps the user's
 * own transport settings (ssh command, credential helpers), since it has no repository config yet.
 */
const NEUTRAL_REPO_CONFIG = ['core.sshCommand=false', 'core.askPass=', 'credential.helper=', 'protocol.allow=never'];

/** The `-c` arguments that go before every git command nhiscan runs. */
export function neutralConfigArgs(forClone: boolean): string[] {
  const keys = forClone ? NEUTRAL_CONFIG : [...NEUTRAL_CONFIG, ...NEUTRAL_REPO_CONFIG];
  return ['--no-pager', ...keys.flatMap((kv) => ['-c', kv])];
}

export function spawnGit(gitDir: string | undefined, args: string[], cwd?: string, extraEnv: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  const forClone = args[0] === 'clone';
  const full = [...neutralConfigArgs(forClone), ...(gitDir ? [`--git-dir=${gitDir}`] : []), ...args];
  // GIT_ALLOW_PROTOCOL outranks protocol.allow: a read of an existing repository allows no transport at
  // all, so a partial clone's promisor remote (or a proxy/ssh command it names) is never contacted.
  const env = { ...gitEnv(), ...(forClone ? {} : { GIT_ALLOW_PROTOCOL: '' }), ...extraEnv };
  const child = spawn('git', full, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  // An interrupted scan must not leave git running (a clone would go on downloading).
  const forget = onInterrupt(() => child.kill('SIGKILL'));
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}

/** Runs git to completion and returns stdout; rejects with a GitError carrying git's own message. */
export function runGit(
  gitDir: string | undefined,
  args: string[],
  options: { cwd?: string; input?: string; allowFail?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; code: number | null; stderr: string }> {
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
export function gitLines(child: ChildProcessWithoutNullStreams): AsyncGenerator<string> {
  return gitRecords(child, 0x0a);
}

/**
 * Streams git's stdout split at a separator byte (newline, or NUL for `-z` output). Each record is
 * decoded on its own: substrings of one big decoded chunk would be V8 "sliced strings" that keep the
 * whole chunk alive for as long as any piece is kept (an id, a path), which over redis's history held
 * ~25 MB of git output in memory.
 */
export async function* gitRecords(child: ChildProcessWithoutNullStreams, separator: number): AsyncGenerator<string> {
  for await (const records of gitRecordBatches(child, separator)) yield* records;
}

/**
 * gitRecords a chunk of output at a time: the records each chunk completes, in one array. A listing of
 * a whole history's objects (849,000 lines on git/git) then costs one async step per chunk, not per line.
 */
export async function* gitRecordBatches(child: ChildProcessWithoutNullStreams, separator: number): AsyncGenerator<string[]> {
  for await (const data of wholeRecords(child, separator)) {
    const records: string[] = [];
    let start = 0;
    let end: number;
    while ((end = data.indexOf(separator, start)) >= 0) {
      records.push(data.toString('utf8', start, end));
      start = end + 1;
    }
    if (start < data.length) records.push(data.toString('utf8', start)); // the output's last record, unterminated
    yield records;
  }
}

/**
 * git's stdout, raw, in chunks that end where a record ends (the last one may end with git's output
 * unterminated): for a caller that reads what it needs of each record straight from the bytes.
 */
export async function* wholeRecords(child: ChildProcessWithoutNullStreams, separator: number): AsyncGenerator<Buffer> {
  let rest: Buffer | undefined;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    const data = rest ? Buffer.concat([rest, chunk]) : chunk;
    const end = data.lastIndexOf(separator) + 1;
    rest = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
    if (end > 0) yield data.subarray(0, end);
  }
  if (rest?.length) yield rest;
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
