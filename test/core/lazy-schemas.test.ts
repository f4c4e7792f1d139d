/**
 * zod loads on first need (src/zod-lazy.ts): a scan with nothing to validate (no config file, only
 * secret-scanning sources), such as a pre-commit hook's, takes the declared defaults instead of parsing
 * `{}`. Those defaults must be exactly what the schemas give, and such a scan must not load zod at all.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinPlugins } from '../../src/builtins.js';
import { configSchema, defaultConfig } from '../../src/config.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { ROOT } from '../support/cli.js';

describe('defaults declared beside their schemas', () => {
  it("every built-in rule's defaultOptions are its optionsSchema's parse of {}", async () => {
    const rules = (await loadBuiltinPlugins()).flatMap((plugin) => plugin.rules ?? []);
    const declaring = rules.filter((rule) => rule.meta.defaultOptions !== undefined);
    // The rules on a pre-commit hook's path at least: core, secrets, ownership and GitHub.
    expect(declaring.length).toBeGreaterThanOrEqual(24);
    for (const rule of declaring) expect(rule.meta.defaultOptions, rule.meta.id).toEqual(rule.meta.optionsSchema!.parse({}));
  });

  it("defaultConfig() is the config schema's parse of {}", () => {
    expect(defaultConfig()).toEqual(configSchema.parse({}));
  });
});

/**
 * The ES modules from node_modules/zod that a command loads, listed by a loader hook. Run on the tsc
 * output (dist/src), where zod is its own files (in the bundle it is a chunk like any other).
 */
function zodModulesLoaded(args: string[], cwd: string): { status: number | null; zodModules: number } {
  const hooks = `export async function load(url, context, next) { if (url.includes('/node_modules/zod/')) process.stderr.write('ZOD-MODULE\\n'); return next(url, context); }`;
  const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, join(ROOT, 'dist/src/cli.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: run.status, zodModules: run.stderr.split('\n').filter((line) => line === 'ZOD-MODULE').length };
}

describe('a scan with nothing to validate', () => {
  it('never loads zod; with a config file, the same scan does', () => {
    const repo = TestRepo.create();
    repo.commit('clean', { 'README.md': '# x\n' });
    writeFileSync(join(repo.dir, 'deploy.env'), `GITHUB_TOKEN=${fakeGithubToken('lazy-schemas')}\n`);
    repo.git('add', 'deploy.env');
    const args = ['scan', 'staged:.', '--out', '-', '--quiet', '--threads', '1'];

    const plain = zodModulesLoaded(args, repo.dir);
    expect(plain.status).toBe(1); // the leaked token gates the commit: the scan ran its rules, GitHub's included
    expect(plain.zodModules).toBe(0);

    writeFileSync(join(repo.dir, 'nhiscan.config.json'), '{ "failOn": "critical" }\n');
    const configured = zodModulesLoaded(args, repo.dir);
    expect(configured.zodModules).toBeGreaterThan(0);
  });
});
