import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testEnv } from './env.js';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The bundled command, as the package, the container and the pre-commit hook run it (scripts/bundle.ts). */
export const CLI = join(ROOT, 'dist/cli/cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /**
   * Run the built CLI (dist/) in a child process: where the process itself is under test (the binary,
   * real module resolution, exit status as the shell sees it, signals). Everything else runs in this
   * process (`main`, as the binary calls it), which costs no Node start and no module loading per run:
   * the suite stays fast as it grows (issue 10). Scans of `git:` and `dir:` sources run as a subprocess
   * by default: their worker threads load compiled JavaScript there, while in-process under vitest each
   * worker loads the TypeScript sources through tsx, which measured dearer than a Node start. So do
   * runs given a `NODE_*` variable (a test CA in NODE_EXTRA_CA_CERTS), which only a new process reads.
   */
  subprocess?: boolean;
}

/** Sources whose scan starts secret-scanning worker threads. */
const WORKER_SOURCE = /^(git|dir):/;

/**
 * Runs the CLI with the test environment (network guard, static cloud credentials): in this process
 * unless asked for a subprocess. `NHISCAN_TEST_CLI=subprocess npm test` runs every one against the built binary.
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const subprocess =
    options.subprocess ??
    (process.env.NHISCAN_TEST_CLI === 'subprocess' ||
      args.some((arg) => WORKER_SOURCE.test(arg)) ||
      // NODE_EXTRA_CA_CERTS, NODE_OPTIONS…: Node reads them only when a process starts.
      Object.keys(options.env ?? {}).some((key) => key.startsWith('NODE_')));
  return subprocess ? runCliProcess(args, options) : runCliInProcess(args, options);
}

/** Runs the built CLI (npm test builds first) in a child process with the test network guard. */
export function runCliProcess(args: string[], options: CliOptions = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: testEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Replaces `stream.write` with a collector until the returned function restores it. */
function capture(stream: NodeJS.WriteStream): { text: () => string; restore: () => void } {
  const original = stream.write;
  let text = '';
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) queueMicrotask(() => done(null));
    return true;
  }) as typeof stream.write;
  return { text: () => text, restore: () => void (stream.write = original) };
}

/**
 * `main` of src/cli.ts in this process, with what a child would get set for the run: the working
 * directory, the variables of `testEnv` (plus `env`), and stdout/stderr collected. All of it is put back
 * afterwards. Runs one at a time: the working directory and the streams belong to the whole process.
 */
export async function runCliInProcess(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const { main } = await import('../../src/cli.js');
  const previous = inProcessRun;
  let release!: () => void;
  inProcessRun = new Promise<void>((r) => (release = r));
  await previous;
  const env = testEnv(options.env);
  const saved = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  const cwd = process.cwd();
  const exitCode = process.exitCode;
  const out = capture(process.stdout);
  const err = capture(process.stderr);
  try {
    for (const [key, value] of Object.entries(env)) if (key !== 'NODE_OPTIONS') process.env[key] = value;
    process.chdir(options.cwd ?? ROOT);
    const code = await main(args);
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    out.restore();
    err.restore();
    process.chdir(cwd);
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    process.exitCode = exitCode;
    release();
  }
}
let inProcessRun: Promise<void> = Promise.resolve();

export function tempDir(prefix = 'nhiscan-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function readReport(outDir: string): any {
  return JSON.parse(readFileSync(join(outDir, 'nhiscan-report.json'), 'utf8'));
}
