/**
 * Runs a command inside a root file system as a container would: chrooted, with /proc and /dev mounted,
 * the host's DNS configuration bound in, as a given user, with only the image's environment.
 *
 * Every mount is made inside a private mount namespace (`unshare --mount`) that dies with the command, so a
 * crash or a kill never leaves a mount behind on the host; the wrapper also unmounts on exit (trap).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Bind {
  host: string;
  /** Absolute path inside the root. */
  target: string;
  readOnly?: boolean;
}

export interface ChrootRun {
  root: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  uid: number;
  gid: number;
  binds?: Bind[];
  /** false: a network namespace of its own, loopback only (`docker run --network none`). */
  network: boolean;
  /**
   * A fresh folder: the root is mounted read-only under an overlay whose writable layer is kept there, as a
   * container's is, so each `docker run` starts from the image and leaves it untouched.
   */
  container?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function overlayMount(run: ChrootRun): string[] {
  if (!run.container) return [];
  const [lower, layer] = [shellQuote(run.root), shellQuote(run.container)];
  return [
    `mkdir -p ${layer}/upper ${layer}/work ${layer}/merged`,
    `mount -t overlay overlay -o lowerdir=${lower},upperdir=${layer}/upper,workdir=${layer}/work ${layer}/merged`,
  ];
}

function wrapperScript(run: ChrootRun): string {
  const root = shellQuote(run.container ? join(run.container, 'merged') : run.root);
  const binds = run.binds ?? [];
  const mounts = [
    ...overlayMount(run),
    `mount -t proc proc ${root}/proc`,
    `mount --rbind /dev ${root}/dev`,
    `mount --bind /etc/resolv.conf ${root}/etc/resolv.conf`,
    ...binds.flatMap((b) => [
      // A file is bound onto an empty placeholder file (removed on exit), a folder onto a folder.
      statSync(b.host).isDirectory() ? `mkdir -p ${root}${shellQuote(b.target)}` : `touch ${root}${shellQuote(b.target)}`,
      `mount --bind ${shellQuote(b.host)} ${root}${shellQuote(b.target)}`,
      ...(b.readOnly ? [`mount -o remount,bind,ro ${root}${shellQuote(b.target)}`] : []),
    ]),
  ];
  const unmounts = [
    ...binds.map((b) => `${root}${shellQuote(b.target)}`).reverse(),
    `${root}/etc/resolv.conf`,
    `${root}/dev`,
    `${root}/proc`,
    ...(run.container ? [root] : []),
  ];
  const placeholders = binds
    .filter((b) => !statSync(b.host).isDirectory())
    .map((b) => `; rm -f ${root}${shellQuote(b.target)}`)
    .join('');
  const env = Object.entries(run.env).map(([k, v]) => shellQuote(`${k}=${v}`));
  return [
    'set -e',
    `trap 'for m in ${unmounts.join(' ')}; do umount -R "$m" 2>/dev/null || true; done${placeholders}' EXIT`,
    ...mounts,
    'set +e',
    'umask 022',
    `chroot --userspec=${run.uid}:${run.gid} --groups=${run.gid} ${root} /usr/bin/env -i -C ${shellQuote(run.cwd)} ${env.join(' ')} ${run.argv.map(shellQuote).join(' ')}`,
  ].join('\n');
}

/** Runs the command; resolves with its exit code and output (also echoed line by line to `echo` when given). */
export function runInRoot(run: ChrootRun, echo?: (chunk: string) => void): Promise<RunResult> {
  const resolvConf = join(run.root, 'etc/resolv.conf');
  if (!existsSync(resolvConf) || lstatSync(resolvConf).isSymbolicLink()) {
    rmSync(resolvConf, { force: true });
    writeFileSync(resolvConf, '');
  }
  // --kill-child: the shell dies with unshare; detached: the command and all it starts form one process
  // group, which stopRuns signals whole (a build step's npm and its scripts included).
  const flags = ['--mount', '--propagation', 'private', ...(run.network ? [] : ['--net']), '--kill-child'];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    if (stopping) return reject(new Error(`interrupted (${stopping}): not running ${run.argv.join(' ')}`));
    const child = spawn('unshare', [...flags, '--', '/bin/sh', '-c', wrapperScript(run)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let stdout = '';
    let stderr = '';
    let pending = '';
    const lines = (text: string) => {
      const parts = (pending + text).split('\n');
      pending = parts.pop()!;
      for (const line of parts) echo?.(line);
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d), lines(d.toString())));
    child.stderr.on('data', (d: Buffer) => ((stderr += d), lines(d.toString())));
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      if (pending) echo?.(pending);
      if (stopping) reject(new Error(`interrupted (${stopping}) while running ${run.argv.join(' ')}`));
      else resolve({ code: code ?? 128, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Commands running now (each the leader of its own process group), and the signal that stopped the rehearsal. */
const running = new Set<ChildProcess>();
let stopping: NodeJS.Signals | undefined;

/**
 * Stops every command still running, on the rehearsal's own interruption: each process group gets SIGTERM,
 * then SIGKILL after `graceMs`. Resolves when all have exited, so the caller can unmount and remove the
 * work folder; later runs are refused. (Synchronous steps, such as debootstrap, finish first: the signal
 * is handled when they return.)
 */
export async function stopRuns(signal: NodeJS.Signals, graceMs = 5000): Promise<void> {
  stopping = signal;
  const exited = [...running].map((child) => new Promise<void>((done) => child.once('close', () => done())));
  const signalAll = (sig: NodeJS.Signals) => {
    for (const child of running)
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        // the group has just exited: its close event settles it
      }
  };
  signalAll('SIGTERM');
  const timer = setTimeout(() => signalAll('SIGKILL'), graceMs);
  await Promise.all(exited);
  clearTimeout(timer);
}

export interface Account {
  uid: number;
  gid: number;
  home: string;
}

/** USER as Docker resolves it: a name or uid (optionally :group) looked up in the image's /etc/passwd and /etc/group. */
export function resolveUser(root: string, user: string): Account {
  const [name = 'root', group] = user.split(':');
  const passwd = readFileSync(join(root, 'etc/passwd'), 'utf8')
    .split('\n')
    .map((l) => l.split(':'));
  const entry = passwd.find((f) => f[0] === name || f[2] === name);
  if (!entry && !/^\d+$/.test(name)) throw new Error(`USER ${user}: no such user in the image`);
  const uid = entry ? Number(entry[2]) : Number(name);
  const groups = readFileSync(join(root, 'etc/group'), 'utf8')
    .split('\n')
    .map((l) => l.split(':'));
  const gidOf = (g: string) => {
    const found = groups.find((f) => f[0] === g || f[2] === g);
    if (!found && !/^\d+$/.test(g)) throw new Error(`USER ${user}: no such group in the image`);
    return found ? Number(found[2]) : Number(g);
  };
  // A uid with no passwd entry gets HOME=/ and group 0, as `docker run --user 4242` does.
  const gid = group !== undefined ? gidOf(group) : entry ? Number(entry[3]) : 0;
  return { uid, gid, home: entry?.[5] || '/' };
}
