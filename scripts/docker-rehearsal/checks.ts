/**
 * What the rehearsal proves about the built image: its runtime stage (user, git, no build tools, no dev
 * dependency, a loadable SQLite binding, sizes), and the entry point run as `docker run` would run it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Account, type Bind, resolveUser, runInRoot, type RunResult } from './chroot.js';
import type { BuiltStage } from './build.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const check = (name: string, ok: boolean, detail: string): Check => ({ name, ok, detail });
export const bytesOf = (path: string): number => Number(execFileSync('du', ['-sb', '--one-file-system', path]).toString().split('\t')[0]);
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** The image's application folder: where the entry point's script finds its package.json. */
export function appRoot(image: BuiltStage): string {
  const script = image.config.entrypoint.find((a) => a.endsWith('.js'));
  if (!script) throw new Error(`ENTRYPOINT ${JSON.stringify(image.config.entrypoint)} runs no script`);
  let dir = dirname(script);
  while (dir !== '/' && !existsSync(join(image.root, dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** Every installed package folder, as package-lock.json keys it (node_modules/a, node_modules/a/node_modules/b). */
function installedPackages(app: string, prefix = 'node_modules'): string[] {
  const dir = join(app, prefix);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .flatMap((e) => (e.name.startsWith('@') ? readdirSync(join(dir, e.name)).map((n) => `${prefix}/${e.name}/${n}`) : [`${prefix}/${e.name}`]))
    .flatMap((pkg) => [pkg, ...installedPackages(app, `${pkg}/node_modules`)]);
}

function dependencyChecks(app: string, context: string): Check[] {
  const lock = JSON.parse(readFileSync(join(context, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const manifest = JSON.parse(readFileSync(join(context, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const installed = installedPackages(app);
  const devOnly = installed.filter((p) => lock.packages[p]?.dev);
  const unknown = installed.filter((p) => !lock.packages[p]);
  const directDev = Object.keys(manifest.devDependencies ?? {}).filter((name) => installed.includes(`node_modules/${name}`));
  const prodInLock = Object.entries(lock.packages).filter(([p, e]) => p.startsWith('node_modules/') && !e.dev).length;
  return [
    check(
      'no devDependency of package.json in node_modules',
      directDev.length === 0,
      directDev.join(', ') || `none of ${Object.keys(manifest.devDependencies ?? {}).length}`,
    ),
    check(
      'no dev-only package of package-lock.json in node_modules',
      devOnly.length === 0,
      devOnly.length ? devOnly.slice(0, 10).join(', ') : `${installed.length} packages installed, ${prodInLock} non-dev entries in the lock`,
    ),
    check('every installed package is in package-lock.json', unknown.length === 0, unknown.slice(0, 10).join(', ') || 'yes'),
  ];
}

/** Runs a command in a fresh container of the image, as `docker run --rm --network none` would: the image's environment and user. */
export function runImage(
  image: BuiltStage,
  argv: string[],
  options: { user?: string; binds?: Bind[]; cwd?: string } = {},
): Promise<RunResult & { account: Account }> {
  const account = resolveUser(image.root, options.user ?? image.config.user);
  // HOME comes from the passwd entry (or /) unless the image sets it, as in Docker.
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: 'nhiscan-rehearsal', HOME: account.home, ...image.config.env };
  const containers = join(dirname(image.root), 'containers');
  mkdirSync(containers, { recursive: true });
  const run = {
    root: image.root,
    argv,
    env,
    cwd: options.cwd ?? image.config.workdir,
    uid: account.uid,
    gid: account.gid,
    binds: options.binds ?? [],
    network: false,
    container: mkdtempSync(join(containers, 'run-')),
  };
  return runInRoot(run).then((result) => ({ ...result, account }));
}

export async function imageChecks(image: BuiltStage, base: string, context: string): Promise<{ checks: Check[]; sizes: Record<string, number> }> {
  const app = appRoot(image);
  const account = resolveUser(image.root, image.config.user);
  const git = await runImage(image, ['git', '--version']);
  const sqlite = await runImage(
    image,
    ['node', '-e', "const db = new (require('better-sqlite3'))(':memory:'); console.log(db.prepare('select sqlite_version() v').get().v)"],
    {
      cwd: app,
    },
  );
  const tools = ['usr/bin/gcc', 'usr/bin/g++', 'usr/bin/make', 'usr/bin/python3', 'usr/bin/cc'].filter((t) => existsSync(join(image.root, t)));
  const sources = ['src', 'test', 'testkit', 'bench', 'tsconfig.json'].filter((s) => existsSync(join(image.root, app, s)));
  const sizes = {
    image: bytesOf(image.root),
    base: bytesOf(base),
    app: bytesOf(join(image.root, app)),
    nodeModules: bytesOf(join(image.root, app, 'node_modules')),
    betterSqlite3: bytesOf(join(image.root, app, 'node_modules/better-sqlite3')),
  };
  const checks = [
    check('the image user is not root', account.uid !== 0, `USER ${image.config.user} = uid ${account.uid}, gid ${account.gid}, HOME ${account.home}`),
    check('USER is numeric (Kubernetes runAsNonRoot can verify it)', /^\d+(:\d+)?$/.test(image.config.user), `USER ${image.config.user}`),
    check('git is present and runs as that user', git.code === 0, (git.stdout || git.stderr).trim()),
    check(
      'better-sqlite3 native binding loads in the image (SQLite history store)',
      sqlite.code === 0,
      (sqlite.code === 0 ? `SQLite ${sqlite.stdout.trim()}` : sqlite.stderr.trim()).slice(0, 300),
    ),
    check('no compiler, make or python in the image', tools.length === 0, tools.join(', ') || 'none'),
    check(
      'no TypeScript sources, tests or bench in the app folder',
      sources.length === 0,
      sources.join(', ') || `${app} holds ${readdirSync(join(image.root, app)).join(', ')}`,
    ),
    ...dependencyChecks(join(image.root, app), context),
  ];
  return { checks, sizes };
}
