import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { EXAMPLE_PLUGIN_ABS, NOW, writeInventory } from './fixtures.js';
import { examplesOf } from '../../testkit/catalogue-examples.js';

describe('plugins named in the config', () => {
  it('loads a plugin package from the project node_modules and a local rule module', async () => {
    const dir = tempDir();
    writeInventory(dir);
    const pkg = join(dir, 'node_modules', 'nhiscan-plugin-acme');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'nhiscan-plugin-acme', type: 'module', exports: './index.js' }));
    // The package re-exports the example plugin's source, so the scan has something to read.
    const example = new URL('../../examples/plugins/nhiscan-plugin-example.js', import.meta.url).pathname;
    writeFileSync(join(pkg, 'index.js'), `export { default } from ${JSON.stringify(example)};\n`);
    mkdirSync(join(dir, 'rules'));
    writeFileSync(
      join(dir, 'rules', 'acme.js'),
      `export const plugin = { name: 'acme-rules', rules: [{
        meta: { id: 'acme-no-batch', title: 'No batch accounts', category: 'insecure-configuration', defaultSeverity: 'high', owasp: ['NHI5'],
                description: 'Batch accounts are banned at Acme by the platform policy for reasons.', remediation: 'Delete the account.' },
        check: (inv) => inv.identities.filter((i) => i.name.startsWith('batch')).map((i) => ({ resource: { provider: i.provider, kind: i.kind, id: i.id, name: i.name }, message: 'banned' })),
      }] };\n`,
    );
    writeFileSync(join(dir, 'nhiscan.config.yaml'), 'plugins:\n  - nhiscan-plugin-acme\n  - ./rules/acme.js\nsources:\n  - inventory-file:inventory.json\n');
    // A subprocess: the package is resolved from the project's node_modules by Node itself.
    const run = await runCli(['scan', '--out', 'out', '--now', NOW, '--quiet'], { cwd: dir, subprocess: true });
    expect(run.stderr).toBe('nhiscan: exit 1: gate failed: 1 finding(s) at or above high\n'); // --quiet still says why it exits 1, and nothing else
    const report = readReport(join(dir, 'out'));
    expect(report.sources[0].spec).toBe('inventory-file:inventory.json');
    expect(report.findings.find((f: any) => f.ruleId === 'acme-no-batch')).toMatchObject({ severity: 'high', resource: { name: 'batch-runner' } });
    expect(run.code).toBe(1);
    const rules = await runCli(['rules'], { cwd: dir, subprocess: true });
    expect(rules.stdout).toMatch(/^acme-no-batch {2}\[high\]/m);
    expect(rules.stdout).toMatch(/^example-service-account-naming/m);
  });

  it('a plugin that cannot be loaded is a config error naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ plugins: ['nhiscan-plugin-missing'] }));
    const run = await runCli(['scan', '--out', 'out'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot load plugin "nhiscan-plugin-missing"/);
    writeFileSync(join(dir, 'bad.js'), 'export default 42;\n');
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ plugins: ['./bad.js'] }));
    const bad = await runCli(['rules'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/plugin "\.\/bad\.js" must export an nhiscan plugin object/);
  });

  it('a rule that crashes is reported as incomplete analysis (exit 3), the other rules still run', async () => {
    const dir = tempDir();
    writeInventory(dir);
    writeFileSync(
      join(dir, 'crash.js'),
      `export default { name: 'crashy', rules: [{ meta: { id: 'crashy-rule', title: 'Crashes', category: 'reuse', defaultSeverity: 'low', owasp: [], description: 'A rule that always throws, to test isolation.', remediation: 'Fix the rule.' }, check() { throw new Error('boom'); } }] };\n`,
    );
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ plugins: [EXAMPLE_PLUGIN_ABS, './crash.js'] }));
    const run = await runCli(['scan', 'inventory-file:inventory.json', '--out', 'out', '--now', NOW, '--fail-on', 'none'], { cwd: dir });
    expect(run.code).toBe(3);
    const report = readReport(join(dir, 'out'));
    expect(report.scan.analysisErrors).toEqual([{ stage: 'rule', id: 'crashy-rule', message: 'boom' }]);
    expect(report.findings.some((f: any) => f.ruleId === 'credential-unused')).toBe(true);
    expect(readFileSync(join(dir, 'out', 'nhiscan-report.md'), 'utf8')).toMatch(/Analysis incomplete:.*crashy-rule/);
  });

  it('a plugin adds a report format: --format accepts it, the defaults stay the built-in three', async () => {
    const dir = tempDir();
    writeInventory(dir);
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ plugins: [EXAMPLE_PLUGIN_ABS] }));
    const run = await runCli(['scan', 'inventory-file:inventory.json', '--out', 'out', '--now', NOW, '--fail-on', 'none', '--format', 'json,csv', '--quiet'], {
      cwd: dir,
    });
    expect(run.code).toBe(0);
    const report = readReport(join(dir, 'out'));
    const csv = readFileSync(join(dir, 'out', 'nhiscan-findings.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('severity,rule,resource,fingerprint');
    expect(csv.slice(1).sort()).toEqual(report.findings.map((f: any) => [f.severity, f.ruleId, f.resource.name, f.fingerprint].join(',')).sort());
    const unknown = await runCli(['scan', 'inventory-file:inventory.json', '--out', 'out2', '--format', 'pdf'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown format "pdf" \(use json, md, sarif, html, csv\)/);
    const defaults = await runCli(['scan', 'inventory-file:inventory.json', '--out', 'out3', '--now', NOW, '--fail-on', 'none', '--quiet'], { cwd: dir });
    expect(defaults.code).toBe(0);
    expect(readdirSync(join(dir, 'out3')).sort()).toEqual(['nhiscan-report.json', 'nhiscan-report.md', 'nhiscan-report.sarif']);
  });
});

describe('plugin detectors', () => {
  it('a plugin adds a secret detector: the dir: scan (in worker threads) reports its tokens, and its examples hold', async () => {
    const plugin = (await import(EXAMPLE_PLUGIN_ABS)).default;
    const entry = plugin.detectors[0];
    const { positive, negative } = examplesOf(entry);
    const dir = tempDir();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'settings.env'), positive[0]!.text + negative[0]!.text);
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ plugins: [EXAMPLE_PLUGIN_ABS], sources: ['dir:app'] }));
    const run = await runCli(['scan', '--out', 'out', '--now', NOW, '--quiet', '--fail-on', 'none'], { cwd: dir });
    expect(run.stderr).toBe('');
    const report = JSON.stringify(readReport(join(dir, 'out')));
    expect(report.match(/"detector":"example-inventory-api-key"/g)?.length).toBeGreaterThan(0);
    expect(report).not.toContain(positive[0]!.text.trim().split('=')[1]); // no secret in the report
  });

  it('a plugin detector with the id of a built-in one is a config error naming the plugin', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'clash.js'),
      "export default { name: 'clash', detectors: [{ id: 'jwt', title: 't', provider: 'p', family: 'jwt', keywords: ['x'], pattern: /x/, confidence: 'generic', severity: 'low', references: [], examples: { positive: [], negative: [] } }] };\n",
    );
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ plugins: ['./clash.js'], sources: [] }));
    const run = await runCli(['scan', '--out', 'out', '--quiet'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/plugin .{0,40}clash.{0,40}: plugin detector jwt: a built-in detector has that id/);
  });
});
