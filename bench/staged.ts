/**
 * `staged:` for pre-commit hooks: how long nhiscan takes to answer for a small staged change in a
 * repository of many files (goal: under half a second), against git's own work for the same change
 * (listing the staged files and writing their index versions) in the same run.
 *
 * Measured twice: the source in-process (what the hook waits for beyond starting Node), and the whole
 * `nhiscan scan staged:.` command (Node start and module loading included), against `node -e ''`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltinPlugins } from '../src/builtins.js';
import { defaultConfig } from '../src/config.js';
import { runScan } from '../src/engine.js';
import { silentLogger } from '../src/log.js';
import { Registry } from '../src/registry.js';
import { fakeGithubToken } from '../testkit/fake-tokens.js';

// The bundled command the hook runs (scripts/bundle.ts), from dist/bench/.
const CLI = fileURLToPath(new URL('../cli/cli.js', import.meta.url));
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Best and median of `runs` timings: on a shared machine the best is the run least disturbed by others. */
interface Timing {
  best: number;
  median: number;
}

async function timed(fn: () => unknown | Promise<unknown>, runs: number): Promise<Timing> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]! };
}

const ms = (t: Timing) => `${t.best.toFixed(0)} ms (median ${t.median.toFixed(0)})`;

/**
 * CPU time (user + system, ms) of this process's finished children so far, from /proc (Linux; undefined elsewhere).
 * On a loaded machine a command's wall time mostly measures waiting for a core; its CPU time measures its own work.
 */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // cutime + cstime, in USER_HZ (100) ticks
  } catch {
    return undefined;
  }
}

/** Runs a command `runs` times: its wall time and, where /proc has it, its CPU time (children included: git). */
async function timedCommand(args: string[], cwd: string | undefined, runs: number): Promise<{ wall: Timing; cpu?: Timing }> {
  const cpu: number[] = [];
  const wall = await timed(() => {
    const before = childrenCpuMs();
    spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
    const after = childrenCpuMs();
    if (before !== undefined && after !== undefined) cpu.push(after - before);
  }, runs);
  cpu.sort((a, b) => a - b);
  return cpu.length ? { wall, cpu: { best: cpu[0]!, median: cpu[Math.floor(cpu.length / 2)]! } } : { wall };
}

/**
 * Counts the `file:` ES modules a command loads: a loader hook (in Node's hooks thread) lists them, and
 * the command's exit handler reads the count back synchronously into NHISCAN_MODULE_COUNT's file.
 */
const COUNT_HOOKS = `let n = 0;
export async function initialize({ port }) { port.on('message', () => port.postMessage(n)); }
export async function load(url, context, next) { if (url.startsWith('file:')) n++; return next(url, context); }`;
const COUNT_REGISTER = `import { register } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
const { port1, port2 } = new MessageChannel();
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(COUNT_HOOKS)}), { data: { port: port2 }, transferList: [port2] });
process.on('exit', () => {
  port1.postMessage('count');
  let reply;
  const until = Date.now() + 2000;
  while (!(reply = receiveMessageOnPort(port1)) && Date.now() < until);
  writeFileSync(process.env.NHISCAN_MODULE_COUNT, String(reply?.message ?? 'unknown'));
});`;

function modulesLoaded(args: string[], cwd: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'nhiscan-bench-modules-')), 'count');
  try {
    spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(COUNT_REGISTER)}`, ...args], {
      cwd,
      stdio: 'ignore',
      env: { ...process.env, NHISCAN_MODULE_COUNT: out },
    });
    return readFileSync(out, 'utf8');
  } catch {
    return 'unknown';
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
}

export async function run({ quick }: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const files = quick ? 500 : 5000;
  const dir = mkdtempSync(join(tmpdir(), 'nhiscan-bench-staged-'));
  try {
    git(dir, '-c', 'init.defaultBranch=main', 'init', '-q');
    for (let i = 0; i < files; i++) {
      const sub = join(dir, 'src', `m${i % 50}`);
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `f${i}.ts`), `export const value${i} = ${i};\n`.repeat(20));
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    // The small change a hook sees: two edited files and one new file holding a token.
    writeFileSync(join(dir, 'src', 'm1', 'f1.ts'), 'export const value1 = 2;\n');
    writeFileSync(join(dir, 'src', 'm2', 'f2.ts'), 'export const value2 = 3;\n');
    writeFileSync(join(dir, 'deploy.env'), `GITHUB_TOKEN=${fakeGithubToken()}\n`);
    git(dir, 'add', '-A');

    const registry = new Registry();
    for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
    const runs = quick ? 3 : 9;
    let findings = 0;
    const inProcess = await timed(async () => {
      const result = await runScan({ registry, config: defaultConfig(), sources: ['staged:.'], log: silentLogger, baseDir: dir, options: { threads: '1' } });
      findings = result.findings.length;
    }, runs);
    const gitWork = await timed(() => {
      const out = mkdtempSync(join(tmpdir(), 'nhiscan-bench-staged-copy-'));
      const paths = git(dir, 'diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR');
      execFileSync('git', ['checkout-index', `--prefix=${out}/`, '-z', '--stdin'], { cwd: dir, input: paths });
      rmSync(out, { recursive: true, force: true });
    }, runs);
    const commandArgs = [CLI, 'scan', 'staged:.', '--out', '-', '--quiet', '--threads', '1'];
    const command = await timedCommand(commandArgs, dir, runs);
    const modules = modulesLoaded(commandArgs, dir);
    const nodeStart = await timedCommand(['-e', ''], undefined, runs);
    const cpuLine =
      command.cpu && nodeStart.cpu
        ? [
            `CPU time (user + system, git included): the command ${ms(command.cpu)}; \`node -e ''\` ${ms(nodeStart.cpu)} (${(command.cpu.best / nodeStart.cpu.best).toFixed(1)}x)`,
          ]
        : [];
    return {
      name: `staged: a 3-file change in a repository of ${files} files (best of ${runs} runs; ${findings} finding(s); load average ${loadavg()[0]!.toFixed(1)})`,
      lines: [
        `in-process source: ${ms(inProcess)}; git's own work for the change (diff --cached + checkout-index): ${ms(gitWork)} (${(inProcess.best / gitWork.best).toFixed(1)}x)`,
        `whole command \`nhiscan scan staged:.\`: ${ms(command.wall)}; \`node -e ''\`: ${ms(nodeStart.wall)} (${(command.wall.best / nodeStart.wall.best).toFixed(1)}x); goal under 500 ms`,
        `ES modules the command loads (file: URLs, the bundle's chunks and external packages): ${modules}`,
        ...cpuLine,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
