/**
 * dir: benchmark. `nhiscan scan dir:` of a large checkout (git/git's HEAD, ~4,800 files, 60 MB) against
 * the same command on an empty directory, in the same run: the ratio is what a working-tree scan costs
 * over nhiscan's fixed start-up (target ≤ 2.5×). Also the same checkout with every file sent to worker
 * threads (NHISCAN_SCAN_INLINE_BYTES=0), the way all trees were scanned before small ones stayed in the
 * main thread. Runs alternate so the machine's other load falls on all alike; best of each, with the
 * process's CPU time (all threads) beside the wall time.
 *
 *   npm run bench -- dir                              git/git from NHISCAN_BENCH_DIR_REPO or /work/.mirror/git+git/repo
 *   npm run bench -- dir --quick                      a synthetic tree (no mirror needed)
 *
 * The checkout is written with `git archive`, so the source repository is only read.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nhiscan, rssProbe, type Timed } from './git.js';

function findRepo(): string | undefined {
  for (const candidate of [process.env.NHISCAN_BENCH_DIR_REPO, '/work/.mirror/git+git/repo']) {
    if (candidate && (existsSync(join(candidate, 'objects')) || existsSync(join(candidate, '.git')))) return candidate;
  }
  return undefined;
}

/** HEAD of `repo` as plain files in `dir` (git archive: nothing is written to the repository). */
function checkout(repo: string, dir: string): void {
  const tar = execFileSync('git', ['--git-dir', existsSync(join(repo, '.git')) ? join(repo, '.git') : repo, 'archive', '--format=tar', 'HEAD'], {
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
}

/** A source-like tree: `files` files of a few KB across nested folders, full of secret-like names. */
function syntheticTree(dir: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const folder = join(dir, `pkg${i % 37}`, `mod${i % 11}`);
    mkdirSync(folder, { recursive: true });
    const body = Array.from({ length: 60 }, (_, l) => `export function f${i}_${l}(password, token) { return check(password, token, ${l}); }`).join('\n');
    writeFileSync(join(folder, `file${i}.js`), `${body}\n`);
  }
}

const best = (runs: Timed[]): Timed => runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
const fmt = (t: Timed): string => `${(t.ms / 1000).toFixed(2)} s (CPU ${t.cpuMs === undefined ? 'n/a' : `${(t.cpuMs / 1000).toFixed(2)} s`})`;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

export async function run({ quick }: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const work = mkdtempSync(join(tmpdir(), 'nhiscan-bench-dir-'));
  try {
    const probe = rssProbe(work);
    const empty = join(work, 'empty');
    const tree = join(work, 'tree');
    mkdirSync(empty);
    mkdirSync(tree);
    const repo = quick ? undefined : findRepo();
    if (repo) checkout(repo, tree);
    else syntheticTree(tree, quick ? 500 : 5000);
    const lines = [`tree: ${repo ? `HEAD of ${repo}` : 'synthetic'}; load average ${load()} on ${availableParallelism()} cores`];

    const rounds = quick ? 1 : 3;
    const runs = { empty: [] as Timed[], tree: [] as Timed[], workers: [] as Timed[] };
    for (let i = 0; i < rounds; i++) {
      runs.empty.push(await nhiscan(probe, [`dir:${empty}`], join(work, `out-empty-${i}`)));
      runs.tree.push(await nhiscan(probe, [`dir:${tree}`], join(work, `out-tree-${i}`)));
      runs.workers.push(await nhiscan(probe, [`dir:${tree}`], join(work, `out-workers-${i}`), { NHISCAN_SCAN_INLINE_BYTES: '0' }));
    }
    const [e, t, w] = [best(runs.empty), best(runs.tree), best(runs.workers)];
    const statsOf = (out: string) => JSON.parse(readFileSync(join(work, out, 'nhiscan-report.json'), 'utf8')).sources[0].stats;
    const stats = statsOf(`out-tree-${runs.tree.indexOf(t)}`);
    const workerStats = statsOf(`out-workers-${runs.workers.indexOf(w)}`);
    lines.push(`dir: empty directory (baseline): ${fmt(e)} [${runs.empty.map((r) => (r.ms / 1000).toFixed(2)).join(', ')}]`);
    lines.push(
      `dir: checkout (${stats.files} files, ${(stats.bytesScanned / 1e6).toFixed(1)} MB scanned): ${fmt(t)} [${runs.tree.map((r) => (r.ms / 1000).toFixed(2)).join(', ')}]` +
        ` — ratio ${(t.ms / e.ms).toFixed(2)}x of the empty directory (target ≤ 2.5x); CPU ratio ${t.cpuMs && e.cpuMs ? (t.cpuMs / e.cpuMs).toFixed(2) : 'n/a'}x`,
    );
    lines.push(
      `dir: checkout, every file sent to workers (NHISCAN_SCAN_INLINE_BYTES=0): ${fmt(w)} — ratio ${(w.ms / e.ms).toFixed(2)}x; secrets found: ${stats.secrets} in this thread, ${workerStats.secrets} in workers`,
    );
    lines.push(`load average after: ${load()}`);
    return { name: 'dir: working-tree scan against an empty directory', lines };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}\n`);
}
