/**
 * Rehearses `docker build` and `docker run` of the Dockerfile without a Docker daemon or registry:
 * an approximation of node:20-bookworm-slim from debootstrap (scripts/docker-rehearsal/base-image.ts), the
 * Dockerfile interpreted instruction by instruction in chroots, one root file system per stage, then checks of
 * the runtime stage and of the entry point run as the image's user against a repository of another user.
 *
 *   npm run build --silent && nice -n 10 node dist/scripts/docker-rehearsal.js [--keep] [--json FILE]
 *
 * Needs root (chroot, mount namespaces), debootstrap, and the npm registry and deb.debian.org. Not part of
 * `npm test`: it takes minutes. What differs from a real `docker build` is in docs/pipelines.md (Container).
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBaseImage } from './docker-rehearsal/base-image.js';
import { buildStages } from './docker-rehearsal/build.js';
import { resolveUser, stopRuns } from './docker-rehearsal/chroot.js';
import { type Check, imageChecks, mb } from './docker-rehearsal/checks.js';
import { parseDockerfile, snapshotContext } from './docker-rehearsal/dockerfile.js';
import { makeFixture, scanChecks } from './docker-rehearsal/scans.js';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cache = join(tmpdir(), 'nhiscan-docker-rehearsal');
const log = (line: string) => console.log(`[rehearsal ${new Date().toISOString().slice(11, 19)}] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function preflight(): void {
  if (process.getuid?.() !== 0) throw new Error('the rehearsal needs root (chroot and mount namespaces)');
  for (const tool of ['debootstrap', 'unshare', 'chroot']) execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
}

/** No mount of the rehearsal may outlive it: every mount was made in a namespace of its own; this proves it. */
function assertNoMountsUnder(dir: string): void {
  const left = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ')[4]?.startsWith(dir));
  if (left.length) throw new Error(`mounts left under ${dir}: ${left.join('; ')} (not removing it)`);
}

async function rehearse(workdir: string) {
  const started = performance.now();
  const base = { root: join(workdir, 'base') };
  mkdirSync(base.root);
  const baseConfig = await buildBaseImage(cache, base.root, log);
  const baseMs = performance.now() - started;
  const context = join(workdir, 'context');
  const contextStats = snapshotContext(repoRoot, context);
  log(`build context (after .dockerignore): ${contextStats.files} files, ${mb(contextStats.bytes)}`);
  const stages = parseDockerfile(readFileSync(join(context, 'Dockerfile'), 'utf8'));
  const buildStarted = performance.now();
  const built = await buildStages({ stages, context, workdir, base: { root: base.root, config: baseConfig }, log });
  const buildMs = performance.now() - buildStarted;
  const image = built.at(-1)!;
  log(
    `image: ENTRYPOINT ${JSON.stringify(image.config.entrypoint)} CMD ${JSON.stringify(image.config.cmd)} USER ${image.config.user} WORKDIR ${image.config.workdir}`,
  );
  const { checks, sizes } = await imageChecks(image, base.root, context);
  const account = resolveUser(image.root, image.config.user);
  const scans = await scanChecks(image, makeFixture(workdir, account.uid, account.gid));
  return { baseMs, buildMs, totalMs: performance.now() - started, contextStats, built, sizes, checks: [...checks, ...scans.checks], timings: scans.timings };
}

function printSummary(result: Awaited<ReturnType<typeof rehearse>>): void {
  console.log('\n== Rehearsal of `docker build` + `docker run` (no daemon)');
  console.log(`base image ${seconds(result.baseMs)}, build ${seconds(result.buildMs)}, total ${seconds(result.totalMs)}`);
  for (const stage of result.built)
    for (const step of stage.steps.filter((s) => s.ms > 1000))
      console.log(`  ${stage.name}: ${seconds(step.ms).padStart(8)}  ${step.instruction.slice(0, 110)}`);
  const s = result.sizes;
  console.log(
    `context ${result.contextStats.files} files ${mb(result.contextStats.bytes)}; runtime rootfs ${mb(s.image!)} - base ${mb(s.base!)} = ${mb(s.image! - s.base!)} added`,
  );
  console.log(`  app ${mb(s.app!)} (node_modules ${mb(s.nodeModules!)}, better-sqlite3 ${mb(s.betterSqlite3!)})`);
  for (const [name, ms] of Object.entries(result.timings)) console.log(`  run: ${seconds(ms).padStart(8)}  ${name}`);
  for (const c of result.checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
  const failed = result.checks.filter((c: Check) => !c.ok).length;
  console.log(`\n${result.checks.length - failed} passed, ${failed} failed`);
}

/**
 * The cache holds a root file system whose programs run as root in the chroots: it must be root's own
 * folder, writable by nobody else. A folder another user made first in the shared temp dir is refused.
 */
function trustedCache(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0)
    throw new Error(`${dir} is not a folder that only root owns and writes: remove it, or set TMPDIR to another folder`);
}

preflight();
setPriority(10);
trustedCache(cache);
const workdir = mkdtempSync(join(cache, 'run-'));
let status = 1;
// Interrupted (Ctrl-C, a CI timeout): the commands running in chroots are stopped, so the step in progress
// fails and the cleanup below unmounts and removes the work folder, instead of leaving builds running.
const signalCodes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };
let interruptedCode: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    interruptedCode = signalCodes[signal];
    log(`${signal}: stopping the commands still running`);
    void stopRuns(signal);
  });
try {
  const result = await rehearse(workdir);
  printSummary(result);
  if (jsonOut)
    writeFileSync(jsonOut, JSON.stringify({ ...result, built: result.built.map((b) => ({ name: b.name, config: b.config, steps: b.steps })) }, null, 2));
  status = result.checks.every((c) => c.ok) ? 0 : 1;
} catch (error) {
  console.error(`rehearsal failed: ${(error as Error).message}`);
} finally {
  assertNoMountsUnder(workdir);
  if (keep) log(`kept ${workdir}`);
  else execFileSync('rm', ['-rf', '--one-file-system', workdir]);
}
process.exit(interruptedCode ?? status);
