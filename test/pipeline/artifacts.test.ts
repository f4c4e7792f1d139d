/**
 * The pipeline artefacts, checked for structure: the GitHub Action (action.yml), the pre-commit hook
 * and the Dockerfile. Docker cannot run in the test environment (no daemon, no registry): the Dockerfile
 * is checked statically here, and built and run by `scripts/docker-rehearsal.ts` (minutes, root; not in npm test).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../support/cli.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('action.yml', () => {
  const action = parse(read('action.yml'));
  it('is a composite action with inputs for sources, fail-on, baseline and formats', () => {
    expect(action.runs.using).toBe('composite');
    for (const input of ['sources', 'fail-on', 'baseline', 'formats']) expect(action.inputs[input]?.description, input).toBeTruthy();
    expect(action.inputs['fail-on'].default).toBe('high');
  });
  it('uploads SARIF, scans only the pull request on pull requests, and gates after the upload', () => {
    const steps = action.runs.steps as any[];
    const scan = steps.find((s) => s.id === 'scan');
    const upload = steps.findIndex((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
    const gate = steps.findIndex((s) => s.name === 'Gate');
    expect(upload).toBeGreaterThan(steps.indexOf(scan));
    expect(gate).toBeGreaterThan(upload);
    expect(steps[upload].if).toMatch(/always\(\)/);
    expect(scan.run).toMatch(/--range "\$\{PR_BASE\}\.\.\$\{PR_HEAD\}"/);
    expect(scan.env.PR_BASE).toBe('${{ github.event.pull_request.base.sha }}');
    // Inputs reach the script through env only: no ${{ }} expression inside the shell text.
    expect(scan.run).not.toMatch(/\$\{\{/);
    expect(read('action.yml')).toMatch(/fetch-depth: 0/);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('runs nhiscan on the staged changes', () => {
    const [hook] = parse(read('.pre-commit-hooks.yaml'));
    expect(hook).toMatchObject({ id: 'nhiscan-staged', language: 'node', pass_filenames: false });
    expect(hook.entry).toMatch(/^nhiscan scan staged:\. /);
  });
});

describe('Dockerfile (checked statically here; built and run by scripts/docker-rehearsal.ts, docs/pipelines.md)', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  const stages = lines.reduce<string[][]>((acc, line) => (/^FROM /.test(line) ? [...acc, [line]] : (acc.at(-1)?.push(line), acc)), []);
  const [build, final] = [stages[0]!.join('\n'), stages.at(-1)!];
  it('is multi-stage on one pinned Node 20 slim image (Debian bookworm)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM node:20\.\d+\.\d+-bookworm-slim( AS \w+)?$/);
    expect(new Set(stages.map((s) => s[0]!.split(' ')[1])).size).toBe(1);
  });
  it('builds the better-sqlite3 binding in the build stage, from source, with the tool chain there only', () => {
    expect(build).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    expect(build).toMatch(/npm ci [^\n]*--ignore-scripts/);
    expect(build).toMatch(/npm_config_build_from_source=true npm_config_nodedir=\/usr\/local npm rebuild better-sqlite3/);
    expect(build).toMatch(/require\('better-sqlite3'\)/);
    expect(final.join('\n')).not.toMatch(/python3|g\+\+|build-essential/);
  });
  it('ships no dev dependencies: the build stage prunes them, the final stage installs nothing from npm', () => {
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(final.join('\n')).not.toMatch(/npm (ci|install|rebuild)/);
    expect(final.join('\n')).toMatch(/COPY --from=build \/build\/node_modules/);
    expect(final.join('\n')).not.toMatch(/COPY --from=build \/build\/(src|test|testkit|bench)\b/);
  });
  it('has git, trusts mounted repositories for any user, runs as a numeric non-root user, with nhiscan as the entry point', () => {
    expect(final.join('\n')).toMatch(/apt-get install -y --no-install-recommends git/);
    // nhiscan runs git with GIT_CONFIG_NOSYSTEM: the trust is a global config under XDG_CONFIG_HOME, which any uid reads.
    expect(final.join('\n')).toMatch(/git config --file \/etc\/nhiscan\/git\/config --add safe\.directory '\*'/);
    expect(final.find((l) => l.startsWith('ENV '))).toMatch(/XDG_CONFIG_HOME=\/etc\/nhiscan\b/);
    const user = final.filter((l) => l.startsWith('USER ')).at(-1);
    // Numeric, so that Kubernetes' runAsNonRoot (examples/pipelines/k8s-indexed-job.yaml) can verify it.
    expect(user).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    expect(final.find((l) => l.startsWith('ENTRYPOINT'))).toMatch(/\["node", "\/opt\/nhiscan\/dist\/cli\/cli\.js"\]/);
  });
});

describe('.dockerignore', () => {
  it('keeps build output, dependencies, reports and generated estates out of the build context', () => {
    const patterns = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const p of ['node_modules', 'dist', 'nhiscan-report', 'examples/estate/.generated', '.git']) expect(patterns, p).toContain(p);
  });
});
