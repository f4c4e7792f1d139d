/**
 * git: benchmark. Full-history scan of a large repository (a local mirror such as redis/redis, ~70,000
 * unique blobs, 5.8 GB) against the baseline `git cat-file --batch` reading the same blobs, in the same
 * run; nhiscan's own peak RSS; a rescan after one new commit (with the blob cache); and a working-tree
 * scan (dir:) against secretlint when it is installed. Quick mode, or no mirror, uses a synthetic repo.
 *
 *   npx tsx bench/git.ts [--quick] [--repo PATH] [--catalogue]     (needs `npm run build`: it runs the compiled CLI)
 *   --catalogue: only the full-history scan with the current detector catalogue against the previous one
 *   (bench/catalogue-baseline.ts), alternated, best of two each.
 *   NHISCAN_BENCH_REPO=/path/to/bare.git npm run bench -- git
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASELINE_DETECTOR_IDS } from './catalogue-baseline.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, HERE.includes('/dist/') ? '../..' : '..');
const CLI = join(ROOT, 'dist/cli/cli.js'); // the bundled command, as shipped

export interface Timed {
  ms: number;
  maxRssKb?: number;
  /** CPU time of the nhiscan process (all threads; git children excluded), when the probe ran. */
  cpuMs?: number;
  stderr: string;
}

function git(gitDir: string | undefined, args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', gitDir ? [`--git-dir=${gitDir}`, ...args] : args, {
    input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, ...extraEnv },
  }).trim();
}

/** Runs a command to completion, stdout discarded, and measures wall time. */
export function timed(
  command: string,
  args: string[],
  options: { stdinFile?: string; env?: NodeJS.ProcessEnv; cwd?: string; okCodes?: number[] } = {},
): Promise<Timed> {
  return new Promise((resolvePromise, reject) => {
    const stdin = options.stdinFile ? openSync(options.stdinFile, 'r') : 'ignore';
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: [stdin, 'ignore', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      if (stderr.length < 1_000_000) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (typeof stdin === 'number') closeSync(stdin);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rss = /NHISCAN_MAXRSS_KB=(\d+)/.exec(stderr);
      const cpu = /NHISCAN_CPU_MS=(\d+)/.exec(stderr);
      if (!(options.okCodes ?? [0]).includes(code ?? -1)) reject(new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${code}: ${stderr.slice(-500)}`));
      else resolvePromise({ ms, maxRssKb: rss ? Number(rss[1]) : undefined, cpuMs: cpu ? Number(cpu[1]) : undefined, stderr });
    });
  });
}

/** A preload that reports the nhiscan process's own peak RSS and CPU time (all its threads; git children excluded). */
export function rssProbe(dir: string): string {
  const file = join(dir, 'rss-probe.mjs');
  writeFileSync(
    file,
    "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`NHISCAN_MAXRSS_KB=${u.maxRSS}\\nNHISCAN_CPU_MS=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\\n`); });\n",
  );
  return file;
}

export function nhiscan(probe: string, args: string[], out: string, env?: NodeJS.ProcessEnv): Promise<Timed> {
  // Exit 3 means "incomplete": a partial clone's missing blobs make the source partial, which is expected.
  return timed(process.execPath, ['--import', probe, CLI, 'scan', ...args, '--out', out, '--format', 'json', '--fail-on', 'none', '--quiet'], {
    okCodes: [0, 3],
    env: env && { ...process.env, ...env },
  });
}

/** The previous, smaller detector catalogue (its ids), the baseline of the current one. */
const BASELINE_CATALOGUE = { NHISCAN_DETECTOR_SUBSET: BASELINE_DETECTOR_IDS.join(',') };

/**
 * Full-history scans with the current catalogue and with the baseline catalogue, alternated (so the
 * machine's other load falls on both alike); best of `rounds` each.
 */
async function compareCatalogues(probe: string, source: string, work: string, rounds: number): Promise<string[]> {
  const current: Timed[] = [];
  const baseline: Timed[] = [];
  for (let i = 0; i < rounds; i++) {
    baseline.push(await nhiscan(probe, [`git:${source}`, '--no-cache'], join(work, `out-base-${i}`), BASELINE_CATALOGUE));
    current.push(await nhiscan(probe, [`git:${source}`, '--no-cache'], join(work, `out-cat-${i}`)));
  }
  const best = (runs: Timed[]) => runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
  const secrets = (prefix: string, runs: Timed[]) =>
    JSON.parse(readFileSync(join(work, `${prefix}-${runs.indexOf(best(runs))}`, 'nhiscan-report.json'), 'utf8')).sources[0].stats.secrets;
  const [c, b] = [best(current), best(baseline)];
  return [
    `catalogue: ${BASELINE_DETECTOR_IDS.length} detectors (baseline) ${fmtS(b.ms)} [${baseline.map((r) => fmtS(r.ms)).join(', ')}], ${secrets('out-base', baseline)} secrets; ` +
      `current catalogue ${fmtS(c.ms)} [${current.map((r) => fmtS(r.ms)).join(', ')}], ${secrets('out-cat', current)} secrets — ratio ${(c.ms / b.ms).toFixed(2)}x (target ≤ 1.15x)`,
    `peak RSS: baseline ${fmtMb(Math.max(...baseline.map((s) => s.maxRssKb ?? 0)))}, current ${fmtMb(Math.max(...current.map((s) => s.maxRssKb ?? 0)))} (target < 300 MB)`,
  ];
}

function findMirror(explicit?: string): string | undefined {
  const candidates = [explicit, process.env.NHISCAN_BENCH_REPO, '/work/.mirror/redis+redis/repo'].filter(Boolean) as string[];
  for (const candidate of candidates) if (existsSync(join(candidate, 'objects')) || existsSync(join(candidate, '.git'))) return candidate;
  return undefined;
}

/** A synthetic history: many commits editing source-like files, a few leaked tokens, some binaries. */
function syntheticRepo(dir: string, commits: number, filesPerCommit: number): string {
  const repo = join(dir, 'synthetic');
  git(undefined, ['-c', 'init.defaultBranch=main', 'init', '-q', repo]);
  const env = {
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
    HOME: dir,
  };
  // fast-import builds the whole history in one process: quick even for thousands of commits.
  const lines: string[] = [];
  const line = 'static int handle_request(struct client *c, const char *key, size_t len) { return lookup(c->db, key, len); }\n';
  for (let c = 1; c <= commits; c++) {
    lines.push(`commit refs/heads/main`, `committer Bench <bench@example.com> ${1735689600 + c * 3600} +0000`, `data 8`, `commit ${String(c % 10)}`);
    for (let f = 0; f < filesPerCommit; f++) {
      const body = `/* file ${f} rev ${c} */\n${line.repeat(200 + ((c * 7 + f) % 300))}${c % 97 === 0 && f === 0 ? `password = "Zq${c}x8!Lw3#Rt9vK2mN"\n` : ''}`;
      lines.push(`M 100644 inline src/mod${(c * filesPerCommit + f) % 400}.c`, `data ${Buffer.byteLength(body)}`, body);
    }
  }
  execFileSync('git', [`--git-dir=${join(repo, '.git')}`, 'fast-import', '--quiet'], {
    input: `${lines.join('\n')}\n`,
    env: { ...process.env, ...env },
    maxBuffer: 1 << 30,
  });
  git(join(repo, '.git'), ['--work-tree', repo, 'checkout', '-q', '-f', 'main']);
  return join(repo, '.git');
}

/** One new commit on HEAD of a bare repository, through plumbing (no working tree needed). */
function addCommit(gitDir: string, dir: string): void {
  const index = join(dir, 'bench-index');
  const env = {
    GIT_INDEX_FILE: index,
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
  git(gitDir, ['read-tree', 'HEAD'], undefined, env);
  const blob = git(gitDir, ['hash-object', '-w', '--stdin'], `bench change ${Date.now()}\nexport API_TOKEN="${'Zx9'.repeat(4)}Qp7Lm2"\n`);
  git(gitDir, ['update-index', '--add', '--cacheinfo', `100644,${blob},bench/new-file.txt`], undefined, env);
  const tree = git(gitDir, ['write-tree'], undefined, env);
  const commit = git(gitDir, ['commit-tree', tree, '-p', 'HEAD', '-m', 'bench: one more commit'], undefined, env);
  git(gitDir, ['update-ref', 'HEAD', commit]);
}

/** The same read consumed by a process (bytes counted), the floor for any scanner reading through git. */
function pipedRead(gitDir: string, listFile: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const stdin = openSync(listFile, 'r');
    const started = process.hrtime.bigint();
    const child = spawn('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch'], { stdio: [stdin, 'pipe', 'ignore'] });
    let bytes = 0;
    child.stdout!.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('close', () => {
      closeSync(stdin);
      resolvePromise(bytes >= 0 ? Number(process.hrtime.bigint() - started) / 1e6 : 0);
    });
  });
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmtMb = (kb?: number) => (kb ? `${(kb / 1024).toFixed(0)} MB` : 'n/a');

export async function run(args: { quick: boolean; repo?: string; catalogueOnly?: boolean }): Promise<{ name: string; lines: string[] }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const work = mkdtempSync(join(tmpdir(), 'nhiscan-bench-git-'));
  const lines: string[] = [];
  try {
    const probe = rssProbe(work);
    const mirror = args.quick ? undefined : findMirror(args.repo);
    const source = mirror ?? syntheticRepo(work, args.quick ? 150 : 1500, 6);
    lines.push(
      `repository: ${mirror ? source : `synthetic (${args.quick ? 150 : 1500} commits)`}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores`,
    );
    if (args.catalogueOnly) {
      lines.push(...(await compareCatalogues(probe, source, work, args.quick ? 1 : 2)));
      lines.push(
        `load average after: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
      );
      return { name: 'git: detector catalogue, current vs baseline', lines };
    }

    // Baseline: the blobs nhiscan reads (all refs' history), listed once, then one cat-file reading them.
    const listed = git(source, ['rev-list', '--objects', '--all', '--filter=object:type=blob', '--missing=print'])
      .split('\n')
      .filter((l) => l.includes(' ') && !l.startsWith('?'))
      .map((l) => l.slice(0, l.indexOf(' ')));
    const listFile = join(work, 'blobs.txt');
    writeFileSync(listFile, `${listed.join('\n')}\n`);
    const bytes = execFileSync('git', [`--git-dir=${source}`, 'cat-file', '--batch-check=%(objectsize)'], { input: readFileSync(listFile), maxBuffer: 1 << 28 })
      .toString()
      .split('\n')
      .reduce((n, s) => n + (Number(s) || 0), 0);
    lines.push(`blobs: ${listed.length}, ${(bytes / 1e9).toFixed(2)} GB`);

    // Alternate the two to share whatever the machine's other load does to both.
    const catFile: number[] = [];
    const piped: number[] = [];
    const scans: Timed[] = [];
    const rounds = args.quick ? 1 : 2;
    for (let i = 0; i < rounds; i++) {
      catFile.push((await timed('git', [`--git-dir=${source}`, 'cat-file', '--batch'], { stdinFile: listFile })).ms);
      piped.push(await pipedRead(source, listFile));
      scans.push(await nhiscan(probe, [`git:${source}`, '--no-cache'], join(work, `out-full-${i}`)));
    }
    const raw = Math.min(...catFile);
    const pipe = Math.min(...piped);
    const full = scans.reduce((a, b) => (a.ms <= b.ms ? a : b));
    const report = JSON.parse(readFileSync(join(work, `out-full-${scans.indexOf(full)}`, 'nhiscan-report.json'), 'utf8'));
    const stats = report.sources[0].stats;
    lines.push(`git cat-file --batch (baseline): ${fmtS(raw)} to /dev/null; ${fmtS(pipe)} read through a pipe by node`);
    lines.push(
      `nhiscan scan git: full history: ${fmtS(full.ms)} — ratio ${(full.ms / raw).toFixed(2)}x of the raw read (target ≤ 1.5x), ${(full.ms / pipe).toFixed(2)}x of the piped read`,
    );
    lines.push(`nhiscan peak RSS (process, all threads): ${fmtMb(Math.max(...scans.map((s) => s.maxRssKb ?? 0)))} (target < 300 MB)`);
    lines.push(...(await compareCatalogues(probe, source, work, 1)));
    lines.push(
      `scanned ${stats.blobsScanned} blobs, ${(stats.bytesScanned / 1e9).toFixed(2)} GB; skipped binary ${stats.skippedBinary}, large ${stats.skippedLarge}, LFS ${stats.skippedLfs}; missing ${stats.missingBlobs}; ${stats.secrets} distinct secrets, ${report.findings.length} findings`,
    );

    // Rescan after one new commit, on a clone sharing the objects (alternates: nothing copied).
    const clone = join(work, 'clone.git');
    git(undefined, ['clone', '-q', '--bare', '--shared', source, clone]);
    const cacheDir = join(work, 'cache');
    const warm = await nhiscan(probe, [`git:${clone}`, '--cache-dir', cacheDir], join(work, 'out-warm'));
    addCommit(clone, work);
    const rescan = await nhiscan(probe, [`git:${clone}`, '--cache-dir', cacheDir], join(work, 'out-rescan'));
    const rescanStats = JSON.parse(readFileSync(join(work, 'out-rescan', 'nhiscan-report.json'), 'utf8')).sources[0].stats;
    lines.push(
      `first scan with cache (clone): ${fmtS(warm.ms)}; rescan after one new commit: ${fmtS(rescan.ms)} (${rescanStats.blobsScanned} blob read, target < 2 s)`,
    );

    // Working tree: dir: against secretlint on the same checkout, when secretlint is installed.
    const tree = join(work, 'tree');
    git(clone, ['--work-tree', mkdirp(tree), 'checkout', '-q', '-f', 'HEAD', '--', '.']);
    const dirScan = await nhiscan(probe, [`dir:${tree}`], join(work, 'out-dir'));
    const dirStats = JSON.parse(readFileSync(join(work, 'out-dir', 'nhiscan-report.json'), 'utf8')).sources[0].stats;
    lines.push(`nhiscan scan dir: working tree (${dirStats.filesScanned} files): ${fmtS(dirScan.ms)}`);
    const secretlint = findSecretlint();
    if (secretlint) {
      writeFileSync(join(tree, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
      const sl = await timed(
        process.execPath,
        [secretlint.bin, '**/*', '--secretlintrc', join(tree, '.secretlintrc.json'), '--format', 'json', '--maskSecrets'],
        { cwd: tree, okCodes: [0, 1], env: { ...process.env, NODE_PATH: secretlint.nodePath } },
      ).catch((error: Error) => ({ ms: NaN, stderr: error.message }));
      if (Number.isNaN(sl.ms)) lines.push(`secretlint: failed to run (${sl.stderr.slice(0, 120)})`);
      else lines.push(`secretlint on the same tree: ${fmtS(sl.ms)} — nhiscan is ${(sl.ms / dirScan.ms).toFixed(1)}x faster`);
    } else
      lines.push(
        'secretlint: not installed (set NHISCAN_SECRETLINT_DIR to a folder with secretlint and @secretlint/secretlint-rule-preset-recommend installed); comparison skipped',
      );
    return { name: 'git', lines };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function mkdirp(dir: string): string {
  execFileSync('mkdir', ['-p', dir]);
  return dir;
}

function findSecretlint(): { bin: string; nodePath: string } | undefined {
  const dirs = [process.env.NHISCAN_SECRETLINT_DIR, ROOT].filter(Boolean) as string[];
  for (const dir of dirs) {
    const bin = join(dir, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
    if (existsSync(bin)) return { bin, nodePath: join(dir, 'node_modules') };
  }
  return undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const repoIndex = argv.indexOf('--repo');
  const result = await run({
    quick: argv.includes('--quick'),
    repo: repoIndex >= 0 ? argv[repoIndex + 1] : undefined,
    catalogueOnly: argv.includes('--catalogue'),
  });
  process.stdout.write(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}\n`);
}
