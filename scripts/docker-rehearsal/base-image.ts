/**
 * An approximation of the official `node:20-bookworm-slim` image, made without a registry:
 * - Debian bookworm from `debootstrap --variant=minbase` (deb.debian.org), cached in the OS temp folder,
 *   then slimmed the way debian:bookworm-slim is (docs, man pages and locales excluded from dpkg, no apt lists);
 * - the host's Node 20 binary and headers where the official image unpacks its tarball (/usr/local);
 * - the npm that Node 20's tarball bundles (10.8.2 for 20.20.x), from the npm registry, in /usr/local/lib/node_modules/npm;
 * - the `node` user (uid 1000) and the image's environment, entry point and command.
 * What differs from the real image is listed in docs/pipelines.md (Container).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInRoot } from './chroot.js';

export interface ImageConfig {
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  workdir: string;
  user: string;
}

export const BASE_IMAGES = new Set([
  'node:20-slim',
  'node:20-bookworm-slim',
  `node:${process.versions.node}-bookworm-slim`,
  `node:${process.versions.node}-slim`,
]);
/** The npm bundled with the Node 20 tarballs since 20.17 (deps/npm, CHANGELOG_V20.md: "upgrade npm to 10.8.2"). */
export const NODE20_NPM = '10.8.2';
const MARKER = '.rehearsal-complete';

const sh = (cmd: string, args: string[], cwd?: string) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...(cwd ? { cwd } : {}) }).toString();

/** The debootstrapped rootfs, made once and kept in the cache folder between runs. */
export function debootstrapRootfs(cache: string, log: (line: string) => void): { path: string; cached: boolean } {
  const path = join(cache, 'bookworm-minbase');
  if (existsSync(join(path, MARKER))) return { path, cached: true };
  const partial = `${path}.partial`;
  rmSync(partial, { recursive: true, force: true });
  log('debootstrap --variant=minbase bookworm (deb.debian.org), once; cached in ' + path);
  execFileSync('debootstrap', ['--variant=minbase', 'bookworm', partial, 'http://deb.debian.org/debian'], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(join(partial, MARKER), `debootstrap --variant=minbase bookworm ${new Date().toISOString()}\n`);
  rmSync(path, { recursive: true, force: true });
  renameSync(partial, path);
  return { path, cached: false };
}

function npmTarball(cache: string): string {
  const tarball = join(cache, `npm-${NODE20_NPM}.tgz`);
  if (!existsSync(tarball)) sh('npm', ['pack', `npm@${NODE20_NPM}`, '--pack-destination', cache, '--silent']);
  return tarball;
}

/** debian:bookworm-slim's apt sources and its dpkg/apt settings for containers. */
function slimDebian(root: string): void {
  rmSync(join(root, 'etc/apt/sources.list'), { force: true });
  writeFileSync(
    join(root, 'etc/apt/sources.list.d/debian.sources'),
    [
      'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
      'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
    ].join('\n'),
  );
  const excluded = ['doc/*', 'man/*', 'groff/*', 'info/*', 'lintian/*', 'linda/*', 'locale/*'].map((p) => `path-exclude /usr/share/${p}`);
  writeFileSync(
    join(root, 'etc/dpkg/dpkg.cfg.d/docker'),
    [...excluded, 'path-include /usr/share/doc/*/copyright', 'path-include /usr/share/locale/locale.alias', ''].join('\n'),
  );
  writeFileSync(
    join(root, 'etc/apt/apt.conf.d/docker-clean'),
    'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n',
  );
  writeFileSync(join(root, 'etc/apt/apt.conf.d/docker-no-languages'), 'Acquire::Languages "none";\n');
  for (const dir of ['var/lib/apt/lists', 'var/cache/apt/archives', 'usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/info'])
    for (const entry of readdirNames(join(root, dir)))
      if (entry !== 'partial' && entry !== 'lock') rmSync(join(root, dir, entry), { recursive: true, force: true });
}

const readdirNames = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

/** The host's Node 20 (binary and headers) and npm 10.8.2 where the official tarball puts them. */
function installNode(root: string, cache: string): void {
  if (!process.versions.node.startsWith('20.')) throw new Error(`the rehearsal needs the host's Node 20 (this is ${process.version})`);
  const local = join(root, 'usr/local');
  mkdirSync(join(local, 'bin'), { recursive: true });
  mkdirSync(join(local, 'include'), { recursive: true });
  mkdirSync(join(local, 'lib/node_modules'), { recursive: true });
  cpSync(process.execPath, join(local, 'bin/node'), { preserveTimestamps: true });
  const headers = '/usr/include/node';
  const version = readFileSync(join(headers, 'node_version.h'), 'utf8');
  if (!version.includes(`#define NODE_PATCH_VERSION ${process.versions.node.split('.')[2]}`))
    throw new Error(`${headers} does not match node ${process.version}`);
  cpSync(headers, join(local, 'include/node'), { recursive: true });
  sh('tar', ['-xzf', npmTarball(cache), '-C', join(local, 'lib/node_modules')]);
  renameSync(join(local, 'lib/node_modules/package'), join(local, 'lib/node_modules/npm'));
  symlinkSync('node', join(local, 'bin/nodejs'));
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin/npx'));
}

export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Builds the base image's rootfs in `target` and returns its configuration. */
export async function buildBaseImage(cache: string, target: string, log: (line: string) => void): Promise<ImageConfig> {
  const rootfs = debootstrapRootfs(cache, log);
  sh('cp', ['-a', '--reflink=auto', `${rootfs.path}/.`, target]);
  rmSync(join(target, MARKER));
  slimDebian(target);
  installNode(target, cache);
  const env = { PATH: IMAGE_PATH, NODE_VERSION: process.versions.node, YARN_VERSION: '1.22.22' };
  // The official image is rebuilt with the point release's security updates: so is this one.
  const setup = [
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq >/dev/null && rm -rf /var/lib/apt/lists/*',
    'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node',
    'node --version && npm --version',
  ].join(' && ');
  const result = await runInRoot({ root: target, argv: ['/bin/sh', '-c', setup], env, cwd: '/', uid: 0, gid: 0, network: true });
  if (result.code !== 0) throw new Error(`base image: ${result.stderr}`);
  log(`base image: Debian bookworm minbase + node ${result.stdout.trim().split('\n').join(', npm ')}${rootfs.cached ? ' (debootstrap cached)' : ''}`);
  return { env, entrypoint: ['docker-entrypoint.sh'], cmd: ['node'], workdir: '/', user: 'root' };
}
