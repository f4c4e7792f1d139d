import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, runCli, tempDir } from '../support/cli.js';
import { EXAMPLE_PLUGIN_ABS, NOW, writeInventory } from './fixtures.js';

const META = `{ title: 'T', category: 'reuse', defaultSeverity: 'low', owasp: [], description: 'A test rule.', remediation: 'Fix it.' }`;

describe('plugins of the wrong shape', () => {
  it.each([
    ['a rule without meta', `{ name: 'p', rules: [{ check: () => [] }] }`, /invalid plugin "\.\/p\.js":\n {2}- rules\.0\.meta: /],
    ['rules: [null]', `{ name: 'p', rules: [null] }`, /invalid plugin "\.\/p\.js":\n {2}- rules\.0: /],
    ['a connector without a scheme', `{ name: 'p', connectors: [{ description: 'x', collect: async () => ({}) }] }`, /- connectors\.0\.scheme: /],
    [
      'a rule with an unknown category',
      `{ name: 'p', rules: [{ meta: { ...${META}, id: 'r', category: 'bad-things' }, check: () => [] }] }`,
      /- rules\.0\.meta\.category: /,
    ],
  ])('%s is a config error naming the plugin and the entry (exit 2)', async (_name, plugin, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.js'), `export default ${plugin};\n`);
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ plugins: ['./p.js'] }));
    const run = await runCli(['rules'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('plugin rules that return garbage', () => {
  it.each([
    ['a string', `'oops'`, /returned string instead of a list of findings/],
    ['drafts without resource', `[{ message: 'x' }]`, /returned an invalid finding at \[0\]\.resource: /],
    ['a null draft', `[null]`, /returned an invalid finding at \[0\]: /],
  ])('%s is treated like a rule that threw: analysisErrors, exit 3, the report still written', async (_name, result, message) => {
    const dir = tempDir();
    writeInventory(dir);
    writeFileSync(join(dir, 'bad.js'), `export default { name: 'bad', rules: [{ meta: { ...${META}, id: 'bad-rule' }, check: () => ${result} }] };\n`);
    writeFileSync(join(dir, 'nhiscan.config.json'), JSON.stringify({ plugins: [EXAMPLE_PLUGIN_ABS, './bad.js'] }));
    const run = await runCli(['scan', 'inventory-file:inventory.json', '--out', 'out', '--now', NOW, '--fail-on', 'none'], { cwd: dir });
    expect(run.code).toBe(3);
    const report = readReport(join(dir, 'out'));
    expect(report.scan.analysisErrors).toEqual([{ stage: 'rule', id: 'bad-rule', message: expect.stringMatching(message) }]);
    expect(report.findings.some((f: { ruleId: string }) => f.ruleId === 'credential-unused')).toBe(true);
    expect(run.stderr).not.toMatch(/internal error/);
  });
});
