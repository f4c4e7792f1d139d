/**
 * git: memory and time against history size. For each history (redis/redis and git/git mirrors when
 * present, and a synthetic history over twice git/git's blob count, built with `git fast-import` in the
 * OS temp dir and removed after), one after the other:
 *   - the baseline: `git cat-file --batch` reading the very blobs nhiscan reads (listed once by rev-list);
 *   - nhiscan's full-history scan (`--no-cache`): wall time, its own peak RSS (all threads; git's
 *     memory-mapped packs are not counted), and CPU (nhiscan and its git children, like the baseline's).
 * One line per history: blobs, peak RSS and time ratio, with the load average before and after.
 *
 *   npm run bench -- git-curve               redis, git/git, synthetic (~530,000 blobs)
 *   npm run bench -- git-curve --quick       a small synthetic history only
 *   NHISCAN_CURVE_MIRRORS=/a.git,/b.git      other mirrors than /work/.mirror/{redis+redis,git+git}/repo
 *   NHISCAN_CURVE_SYNTHETIC_BLOBS=N          the synthetic history's size
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeAwsAccessKeyId, fakeAwsSecretAccessKey, fakeGithubClassicPat, fakeSlackBotToken, fakeStripeLiveKey, Rng } from '../testkit/fake-tokens.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CLI = join(HERE, HERE.includes('/dist/') ? '../cli/cli.js' : '../dist/cli/cli.js'); // the bundled command, as shipped

/** git/git's blob count (all refs): the synthetic history holds at least twice as many. */
const GIT_GIT_BLOBS = 262_343;

interface Measured {
  wallMs: number;
  /** User + system CPU of the command and every child it waited for. */
  cpuMs: number;
  stderr: string;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/**
 * Runs a command under bash's `time` (so the CPU of git children counts, for nhiscan and the baseline
 * alike), stdout discarded, niced like every bench run on a shared machine.
 */
function measured(command: string[], stdinFile?: string, okCodes = [0]): Promise<Measured> {
  const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `TIMEFORMAT='BENCH_CPU %U %S'; time ( ${quoted} ${stdinFile ? `< '${stdinFile}'` : ''} > /dev/null )`;
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr = (stderr + d).slice(-200_000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const cpu = /BENCH_CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      const ok = okCodes.includes(code ?? -1);
      if (!ok) reject(new Error(`${command.slice(0, 4).join(' ')} exited ${code}: ${stderr.slice(-400)}`));
      else resolvePromise({ wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN, stderr });
    });
  });
}

function gitText(gitDir: string, args: string[]): string {
  return execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
}

/** The blobs a full-history scan reads (all refs), written one id a line for the baseline's cat-file. */
function listBlobs(gitDir: string, listFile: string): { blobs: number; bytes: number } {
  const ids = gitText(gitDir, ['rev-list', '--objects', '--all', '--filter=object:type=blob', '--missing=print'])
    .split('\n')
    .filter((l) => l.includes(' ') && !l.startsWith('?'))
    .map((l) => l.slice(0, l.indexOf(' ')));
  writeFileSync(listFile, `${ids.join('\n')}\n`);
  const sizes = execFileSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch-check=%(objectsize)'], { input: readFileSync(listFile), maxBuffer: 1 << 30 });
  return {
    blobs: ids.length,
    bytes: sizes
      .toString()
      .split('\n')
      .reduce((n, s) => n + (Number(s) || 0), 0),
  };
}

/** Tokens with a valid structure, built now from a seeded generator: never a literal in the repository. */
function plantedToken(rng: Rng, n: number): string {
  switch (n % 4) {
    case 0:
      return `const token = "${fakeGithubClassicPat(rng)}";`;
    case 1:
      return `aws_access_key_id = ${fakeAwsAccessKeyId('123456789012', rng)}\naws_secret_access_key = ${fakeAwsSecretAccessKey(rng)}`;
    case 2:
      return `SLACK_BOT_TOKEN=${fakeSlackBotToken(rng)}`;
    default:
      return `stripe.api_key = "${fakeStripeLiveKey(rng)}"`;
  }
}

const DIRS = 40;
const FILES_PER_DIR = 50;
const FILES_PER_COMMIT = 10;

/**
 * A deterministic history of `blobs` file versions: 2,000 source-like files in 40 folders, each commit
 * rewriting 10 of them (so fast-import stores most versions as deltas on the previous one, as in a real
 * pack), about a hundred fake credentials planted along the way. Streamed to fast-import, never held whole.
 */
export async function syntheticHistory(dir: string, blobs: number): Promise<{ gitDir: string; planted: number }> {
  const gitDir = join(dir, 'synthetic.git');
  execFileSync('git', ['init', '-q', '--bare', gitDir]);
  const child = spawn('git', [`--git-dir=${gitDir}`, 'fast-import', '--quiet', '--done'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolvePromise) => child.on('close', resolvePromise));
  const rng = new Rng(20_260_101);
  const body = (path: number) => {
    const lines: string[] = [`/* module ${path} */`, `#include "mod${path % 97}.h"`];
    for (let i = 0; i < 24 + (path % 17); i++)
      lines.push(`static int handler_${path}_${i}(struct ctx *c, const char *key) { return lookup(c->db, key, ${i}); }`);
    return lines;
  };
  const commits = Math.ceil(blobs / FILES_PER_COMMIT);
  const plantEvery = Math.max(50, Math.floor(commits / 100)); // ~100 credentials, whatever the size
  let planted = 0;
  let chunk: string[] = [];
  const flush = async () => {
    if (!child.stdin.write(chunk.join(''))) await new Promise((resolvePromise) => child.stdin.once('drain', resolvePromise));
    chunk = [];
  };
  for (let c = 0; c < commits; c++) {
    const message = `change ${c}`;
    chunk.push(`commit refs/heads/main\ncommitter Bench <bench@example.invalid> ${1_600_000_000 + c * 600} +0000\ndata ${message.length}\n${message}\n`);
    for (let f = 0; f < FILES_PER_COMMIT; f++) {
      const path = (c * 7 + f * 211) % (DIRS * FILES_PER_DIR);
      const lines = body(path);
      lines.splice(2 + ((c + f) % 20), 0, `/* revision ${c}.${f}: ${rng.chars('abcdefghijklmnopqrstuvwxyz', 12)} */`);
      if (f === 0 && c % plantEvery === Math.floor(plantEvery / 2)) lines.push(plantedToken(rng, planted++));
      const content = `${lines.join('\n')}\n`;
      chunk.push(`M 100644 inline src/dir${Math.floor(path / FILES_PER_DIR)}/file${path % FILES_PER_DIR}.c\ndata ${Buffer.byteLength(content)}\n${content}\n`);
    }
    if (chunk.length > 2000) await flush();
  }
  chunk.push('done\n');
  await flush();
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import exited ${code}: ${stderr.slice(-400)}`);
  return { gitDir, planted };
}

interface Point {
  name: string;
  blobs: number;
  bytes: number;
  baseline: Measured;
  scan: Measured;
  peakRssKb: number;
  secrets: number;
  loadBefore: string;
  loadAfter: string;
}

async function measureHistory(name: string, gitDir: string, work: string, probe: string): Promise<Point> {
  const listFile = join(work, 'blobs.txt');
  const { blobs, bytes } = listBlobs(gitDir, listFile);
  const loadBefore = load();
  const baseline = await measured(['nice', '-n', '10', 'git', `--git-dir=${gitDir}`, 'cat-file', '--batch'], listFile);
  const out = join(work, `out-${basename(name)}`);
  // Exit 3 is "incomplete": a partial mirror's missing blobs make the source partial, as expected.
  const scan = await measured(
    [
      'nice',
      '-n',
      '10',
      process.execPath,
      '--import',
      probe,
      CLI,
      'scan',
      `git:${gitDir}`,
      '--no-cache',
      '--out',
      out,
      '--format',
      'json',
      '--fail-on',
      'none',
      '--quiet',
    ],
    undefined,
    [0, 3],
  );
  const rss = /NHISCAN_MAXRSS_KB=(\d+)/.exec(scan.stderr);
  const report = JSON.parse(readFileSync(join(out, 'nhiscan-report.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  return { name, blobs, bytes, baseline, scan, peakRssKb: rss ? Number(rss[1]) : NaN, secrets: report.sources[0].stats.secrets, loadBefore, loadAfter: load() };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function line(p: Point): string {
  return (
    `${p.name}: ${p.blobs.toLocaleString('en-US')} blobs, ${(p.bytes / 1e9).toFixed(2)} GB — peak RSS ${(p.peakRssKb / 1024).toFixed(0)} MB (target < 300 MB); ` +
    `time ${s(p.scan.wallMs)} vs cat-file ${s(p.baseline.wallMs)} = ${(p.scan.wallMs / p.baseline.wallMs).toFixed(2)}x (target ≤ 1.5x); ` +
    `CPU ${s(p.scan.cpuMs)} vs ${s(p.baseline.cpuMs)} = ${(p.scan.cpuMs / p.baseline.cpuMs).toFixed(2)}x; ${p.secrets} secrets; load ${p.loadBefore} → ${p.loadAfter}`
  );
}

function mirrors(): Array<{ name: string; gitDir: string }> {
  const listed = process.env.NHISCAN_CURVE_MIRRORS?.split(',').filter(Boolean) ?? ['/work/.mirror/redis+redis/repo', '/work/.mirror/git+git/repo'];
  return listed.filter((dir) => existsSync(join(dir, 'objects'))).map((gitDir) => ({ name: basename(dirname(gitDir)).replace('+', '/'), gitDir }));
}

export async function run(args: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const work = mkdtempSync(join(tmpdir(), 'nhiscan-bench-curve-'));
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  // Interrupted, the temporary histories (over a gigabyte) are removed before exiting.
  const interrupted = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const lines = [`${availableParallelism()} cores; each history measured alone, cat-file then nhiscan, both niced`];
  try {
    const probe = join(work, 'rss-probe.mjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write(`NHISCAN_MAXRSS_KB=${process.resourceUsage().maxRSS}\\n`));\n");
    for (const { name, gitDir } of args.quick ? [] : mirrors()) lines.push(line(await measureHistory(name, gitDir, work, probe)));
    const wanted = Number(process.env.NHISCAN_CURVE_SYNTHETIC_BLOBS) || (args.quick ? 20_000 : Math.ceil((GIT_GIT_BLOBS * 2.02) / 1000) * 1000);
    const started = Date.now();
    const synthetic = await syntheticHistory(work, wanted);
    lines.push(
      `synthetic history: ${wanted.toLocaleString('en-US')} file versions built by fast-import in ${s(Date.now() - started)}, ${synthetic.planted} fake credentials planted`,
    );
    lines.push(line(await measureHistory('synthetic', synthetic.gitDir, work, probe)));
    return { name: 'git: peak RSS and time against history size', lines };
  } finally {
    cleanup();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}\n`);
}
