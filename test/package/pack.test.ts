/**
 * The npm package as a user gets it: `npm pack` of this tree, installed with npm into an empty
 * project, then its `nhiscan` command scans a directory. Offline: the runtime dependencies come from
 * the npm cache through a lock file derived from this repository's (the same versions `npm ci`
 * installed here), so the test makes no network request; dev dependencies are left out, which
 * proves the package runs on its runtime dependencies alone.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../../testkit/fake-tokens.js';
import { ROOT, tempDir } from '../support/cli.js';
import { testEnv } from '../support/env.js';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
}

const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** A lock file for a project whose one dependency is the packed tarball: this repository's runtime packages, hoisted where they are here. */
function probeLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, LockEntry> = {
    '': { dependencies: { nhiscan: `file:${tarball}` } } as LockEntry,
    'node_modules/nhiscan': {
      version: rootPackage.version,
      resolved: `file:${tarball}`,
      dependencies: rootPackage.dependencies,
      bin: rootPackage.bin,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || entry.link) continue;
    packages[path] = entry;
  }
  return { name: 'probe', lockfileVersion: 3, requires: true, packages };
}

function lockEntry(name: string): LockEntry | undefined {
  return (JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages[`node_modules/${name}`];
}

function npm(args: string[], cwd: string): string {
  // The offline flag keeps npm to its cache: a missing package fails the test instead of reaching the registry.
  return execFileSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('the npm package', () => {
  it('declares a prepack build, so a packed clean clone ships dist/', () => {
    expect(rootPackage.scripts.prepack).toMatch(/npm run build/);
    expect(rootPackage.files).toContain('dist/cli/');
    expect(existsSync(join(ROOT, 'LICENSE'))).toBe(true);
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(rootPackage.repository?.url).toMatch(/^git\+https:\/\//);
  });

  it('packs, installs into an empty project with runtime dependencies only, and its nhiscan command scans', () => {
    const work = tempDir('nhiscan-pack-');
    // npm test has just built dist/; --ignore-scripts skips the prepack rebuild of the same sources.
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/cli/cli.js');
    // The bundle is the whole program: the unbundled modules stay out of the package.
    expect(files.some((f) => f.startsWith('dist/src/'))).toBe(false);
    expect(files).toContain('LICENSE');
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('dist/test') || f.startsWith('dist/testkit') || f.startsWith('dist/bench'))).toBe(false);
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);

    const project = join(work, 'project');
    mkdirSync(project);
    const tarball = join(work, packed[0]!.filename);
    // The lock was resolved under this repository's overrides; the probe states them (as a root project would) so npm ci accepts it.
    const overrides = JSON.parse(
      JSON.stringify(rootPackage.overrides ?? {}).replace(/"\$([^"]+)"/g, (_, dep: string) => JSON.stringify(rootPackage.dependencies[dep])),
    );
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'probe', private: true, dependencies: { nhiscan: `file:${tarball}` }, overrides }));
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(probeLock(tarball)));
    // Install scripts are skipped: a native build would need node headers from the network.
    npm(['ci', '--omit=dev', '--ignore-scripts'], project);
    // Every package only dev dependencies need is absent (some dev dependencies are also runtime ones deeper down).
    const devOnly = Object.keys(rootPackage.devDependencies).filter((name) => lockEntry(name)?.dev);
    expect(devOnly).toContain('typescript');
    for (const name of devOnly) expect(existsSync(join(project, 'node_modules', name)), name).toBe(false);

    const scanned = join(work, 'scanned');
    mkdirSync(scanned);
    writeFileSync(join(scanned, 'deploy.env'), `GITHUB_TOKEN=${fakeGithubToken()}\n`);
    const bin = join(project, 'node_modules', '.bin', 'nhiscan');
    const version = spawnSync(bin, ['--version'], { cwd: project, env: testEnv(), encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(rootPackage.version);
    const run = spawnSync(bin, ['scan', `dir:${scanned}`, '--out', join(work, 'out'), '--quiet'], {
      cwd: project,
      env: testEnv(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'out', 'nhiscan-report.json'), 'utf8'));
    expect(report.tool).toEqual({ name: 'nhiscan', version: rootPackage.version });
    expect(report.findings.some((f: { category: string }) => f.category === 'leaked-secret')).toBe(true);
  }, 240_000);
});
