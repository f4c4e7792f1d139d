/**
 * The before/after identity check of refactors: the reports of the sample estate (what `npm start`
 * scans) and of a git corpus, normalised (no time stamps, no durations, no temp paths) and compared
 * with the golden copies in test/golden/ (test/golden/identity.test.ts).
 *
 * A change that is meant to change findings regenerates them, in the same commit:
 *
 *   npm run golden                                   (the built CLI of this tree)
 *   node dist/testkit/golden.js --cli OTHER/cli.js   (another build's CLI, e.g. main's, for a before/after)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePaymentsRepo } from '../examples/estate/generate.js';
import { buildCorpus } from './secret-corpus.js';
import { TestRepo } from './git-repo.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root, from the sources (tsx) or from the build (dist/testkit). */
export const ROOT = resolve(HERE, HERE.includes(`${join('dist', 'testkit')}`) ? '../..' : '..');
export const GOLDEN_DIR = join(ROOT, 'test', 'golden');
export const GOLDEN_NOW = '2026-11-29T00:00:00Z';

/** Runs the CLI with `args` in `cwd`; resolves to its exit code. */
export type CliRunner = (args: string[], cwd: string) => Promise<number>;

export interface GoldenCase {
  name: string;
  /**
   * Builds the input in a fresh temp directory; returns the CLI arguments, the cwd they are relative to
   * (sources are named relatively, so names and fingerprints are the same on every run) and any text to mask.
   */
  prepare(work: string): { args: string[]; cwd: string; mask: Record<string, string> };
}

/**
 * The sample estate exactly as `npm start` scans it, in a copy: the config and exports of
 * examples/estate/ with a freshly generated payments-api, so a parallel test regenerating the real one
 * cannot race this one.
 */
const sampleEstate: GoldenCase = {
  name: 'sample-estate',
  prepare(work) {
    const estate = join(ROOT, 'examples', 'estate');
    // Same relative layout as the repository's, so the report names the config as npm start's does.
    const copy = join(work, 'examples', 'estate');
    mkdirSync(copy, { recursive: true });
    cpSync(join(estate, 'nhiscan.config.json'), join(copy, 'nhiscan.config.json'));
    for (const entry of readdirSync(estate, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== '.generated') symlinkSync(join(estate, entry.name), join(copy, entry.name));
    }
    generatePaymentsRepo(join(copy, '.generated', 'payments-api'));
    return {
      args: ['--config', join('examples', 'estate', 'nhiscan.config.json')],
      cwd: work,
      mask: {},
    };
  },
};

/**
 * The labelled secret corpus committed to a git repository (some files deleted later, so those leaks
 * live only in history), scanned as `git:` and as `dir:`. Only the samples that build the same on every
 * run are kept (generated private keys are random).
 */
const gitCorpus: GoldenCase = {
  name: 'git-corpus',
  prepare(work) {
    const first = buildCorpus();
    const second = buildCorpus();
    const stable = first.filter((s, i) => second[i]?.text === s.text && second[i]?.path === s.path);
    const repo = new TestRepo(join(work, 'corpus'));
    mkdirSync(repo.dir);
    repo.git('-c', 'init.defaultBranch=main', 'init', '-q');
    const pathOf = (i: number) => `samples/${String(i).padStart(4, '0')}-${stable[i]!.label.replace(/[^\w.-]/g, '_')}/${stable[i]!.path}`;
    for (let start = 0; start < stable.length; start += 50) {
      const files: Record<string, string> = {};
      for (let i = start; i < Math.min(start + 50, stable.length); i++) files[pathOf(i)] = stable[i]!.text;
      repo.commit(`samples ${start}+`, files);
    }
    const removed: Record<string, null> = {};
    for (let i = 0; i < stable.length; i += 7) removed[pathOf(i)] = null;
    repo.commit('remove every seventh sample', removed);
    // Relative specs: the repository's name (in locations and fingerprints) is the same on every run.
    return { args: ['git:corpus', 'dir:corpus', '--no-cache', '--threads', '2'], cwd: work, mask: {} };
  },
};

export const GOLDEN_CASES: GoldenCase[] = [sampleEstate, gitCorpus];

export interface GoldenReport {
  /** The JSON report, normalised. */
  report: unknown;
  /** SHA-256 of the normalised Markdown and SARIF reports. */
  digests: { md: string; sarif: string };
}

function maskAll(text: string, mask: Record<string, string>): string {
  let out = text;
  // Longest first, so a path is masked before any path it contains.
  for (const [from, to] of Object.entries(mask).sort((a, b) => b[0].length - a[0].length)) out = out.split(from).join(to);
  return out;
}

/** The reports of one run with what changes from run to run taken out: times, durations, temp paths. */
export function normaliseReports(out: string, mask: Record<string, string>): GoldenReport {
  const raw = JSON.parse(readFileSync(join(out, 'nhiscan-report.json'), 'utf8'));
  const times: Record<string, string> = { [raw.scan.startedAt]: '<startedAt>', [raw.scan.finishedAt]: '<finishedAt>' };
  const text = (file: string) => maskAll(maskAll(readFileSync(join(out, file), 'utf8'), times), mask);
  const report = JSON.parse(text('nhiscan-report.json'));
  for (const source of report.sources ?? []) source.durationMs = 0;
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  return { report, digests: { md: sha(text('nhiscan-report.md')), sarif: sha(text('nhiscan-report.sarif')) } };
}

/** Runs one case with `run` and returns its normalised reports. */
export async function runGoldenCase(goldenCase: GoldenCase, run: CliRunner): Promise<GoldenReport> {
  const work = mkdtempSync(join(tmpdir(), `nhiscan-golden-${goldenCase.name}-`));
  try {
    const { args, cwd, mask } = goldenCase.prepare(work);
    const out = join(work, 'out');
    const code = await run(['scan', ...args, '--out', out, '--fail-on', 'none', '--now', GOLDEN_NOW, '--quiet'], cwd);
    if (code !== 0) throw new Error(`golden case ${goldenCase.name}: the scan exited with ${code}`);
    return normaliseReports(out, { ...mask, [out]: '<out>', [work]: '<work>' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function goldenPath(name: string): string {
  return join(GOLDEN_DIR, `${name}.json`);
}

export function serialiseGolden(golden: GoldenReport): string {
  return `${JSON.stringify(golden, null, 1)}\n`;
}

/** `node dist/testkit/golden.js [--cli PATH]`: rewrites test/golden/ with the reports of that CLI. */
async function updateGoldens(cli: string): Promise<void> {
  const run: CliRunner = async (args, cwd) => {
    try {
      execFileSync(process.execPath, [cli, ...args], {
        cwd,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
      });
      return 0;
    } catch (error) {
      return (error as { status?: number }).status ?? 1;
    }
  };
  mkdirSync(GOLDEN_DIR, { recursive: true });
  for (const goldenCase of GOLDEN_CASES) {
    writeFileSync(goldenPath(goldenCase.name), serialiseGolden(await runGoldenCase(goldenCase, run)));
    process.stdout.write(`wrote ${goldenPath(goldenCase.name)}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const at = process.argv.indexOf('--cli');
  const cli = at >= 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : join(ROOT, 'dist', 'cli', 'cli.js');
  updateGoldens(cli).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
