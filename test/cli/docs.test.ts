import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDocs } from '../../src/docs-gen.js';
import { ROOT, runCli } from '../support/cli.js';
import { CATEGORIES, SEVERITIES } from '../../src/model/index.js';
import { loadBuiltinPlugins } from '../../src/builtins.js';

describe('rules documentation', () => {
  it('docs/rules.md and docs/config.schema.json are generated from the code (run `npm run docs` if this fails)', async () => {
    for (const [path, content] of Object.entries(await generatedDocs())) {
      expect(readFileSync(join(ROOT, path), 'utf8'), path).toBe(content);
    }
  });

  it('every rule has complete metadata', async () => {
    const rules = (await loadBuiltinPlugins()).flatMap((p) => p.rules ?? []);
    expect(rules.length).toBeGreaterThanOrEqual(5);
    const ids = new Set<string>();
    for (const { meta } of rules) {
      expect(meta.id, meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(ids.has(meta.id), `duplicate rule id ${meta.id}`).toBe(false);
      ids.add(meta.id);
      expect(CATEGORIES, meta.id).toContain(meta.category);
      expect(SEVERITIES, meta.id).toContain(meta.defaultSeverity);
      for (const o of meta.owasp) expect(o, meta.id).toMatch(/^NHI([1-9]|10)$/);
      expect(meta.description.length, meta.id).toBeGreaterThan(40);
      expect(meta.remediation.length, meta.id).toBeGreaterThan(20);
    }
  });

  it('`nhiscan rules` lists every rule with category, severity, mappings and docs', async () => {
    const run = await runCli(['rules']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^credential-unused {2}\[medium\] unused-credential {2}\(OWASP NHI1\)$/m);
    expect(run.stdout).toMatch(/^aws-access-key-unused {2}\[medium\] unused-credential {2}\(OWASP NHI1, CIS AWS 1\.12\)$/m);
    expect(run.stdout).toMatch(/Why: .*never used/);
    const json = JSON.parse((await runCli(['rules', '--json'])).stdout);
    expect(json.map((r: any) => r.id)).toContain('missing-owner');
  });
});
