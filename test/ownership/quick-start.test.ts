/**
 * The README quick start (`npm install && npm start`, then open the Markdown report) shows the sample
 * estate's chain: a leaked key → its live credential → the identity → its privilege → the owner who
 * has left. The scan runs in-process with exactly the arguments of the `start` script (a subprocess
 * would prove nothing more: `test/cli/estate.test.ts` spawns the built CLI on the same estate).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { riskiestChains } from '../../src/lineage/chains.js';
import { generatePaymentsRepo } from '../../examples/estate/generate.js';
import { readReport, ROOT, tempDir } from '../support/cli.js';

/** The `nhiscan scan …` arguments of the package's `start` script, with the output sent to `out`. */
function startScanArgs(out: string): string[] {
  const start = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start as string;
  const scan = start
    .split('&&')
    .map((s) => s.trim())
    .find((s) => /^node dist\/cli\/cli\.js scan /.test(s));
  expect(scan, 'npm start runs a scan').toBeDefined();
  const args = scan!.split(/\s+/).slice(2);
  return args.map((arg, i) => (args[i - 1] === '--out' ? out : args[i - 1] === '--config' ? join(ROOT, arg) : arg));
}

describe('the README quick start', () => {
  it('npm start scans the sample estate: its Markdown report opens with the chain to a departed owner and shows a cloud-stored secret reused', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/npm install && npm start\s+# scans the bundled sample estate \(examples\/estate\/\)/);
    expect(readme).toMatch(/`npm start` writes `nhiscan-report\/nhiscan-report\.\{json,md,sarif,html\}`/);

    generatePaymentsRepo(); // what `npm start` runs before the scan
    const out = tempDir();
    const args = startScanArgs(out);
    expect(args.slice(0, 3)).toEqual(['scan', '--config', join(ROOT, 'examples/estate/nhiscan.config.json')]);
    expect(await main([...args, '--quiet'])).toBe(0);

    // Every format the README names is written, the HTML report among them.
    for (const format of ['json', 'md', 'sarif', 'html']) expect(existsSync(join(out, `nhiscan-report.${format}`)), format).toBe(true);

    // The chain, step by step, from the report's inventory.
    const report = readReport(out);
    const [top] = riskiestChains(report.inventory, 1);
    expect(top!.steps.map((s) => s.type)).toEqual(['location', 'leaked-secret', 'credential', 'identity', 'privilege', 'owner']);
    const step = (type: string) => top!.steps.find((s) => s.type === type)!;
    expect(step('location').label).toMatch(/deploy\/gcp-deployer\.json$/);
    expect(step('credential').flags).toEqual(['active']);
    expect(step('identity').label).toMatch(/payments-deployer/);
    expect(step('privilege').flags).toEqual(['admin']);
    expect(step('owner').label).toMatch(/^bob/);
    expect(step('owner').flags).toEqual(['departed', 'manager alice.martin@acme.example']);
    expect(report.inventory.people.find((p: { id: string }) => p.id === step('owner').id)).toMatchObject({ status: 'departed' });

    // What the quick start tells the reader to open shows it as the first chain, in that order.
    const md = readFileSync(join(out, 'nhiscan-report.md'), 'utf8');
    const chains = md.slice(md.indexOf('## Riskiest chains'));
    expect(chains).not.toBe(md);
    const first = chains.split('\n').find((l) => l.startsWith('1. '))!;
    expect(first).toMatch(/deploy\/gcp-deployer\.json.* → .* → .*payments-deployer.* → .*admin.* → bob.*departed/);
    expect(chains).toContain('```mermaid');

    // One cloud-stored secret kept in four places: the leaked ci-deployer key, a Key Vault secret tagged with its
    // key id, and two Actions environment secrets of the same name set minutes later (production and staging).
    const reuse = report.findings.filter(
      (f: { ruleId: string; evidence?: { members?: { from: string }[] } }) =>
        f.ruleId === 'secret-reuse' && f.evidence?.members?.some((m) => m.from === 'store'),
    );
    expect(reuse).toHaveLength(1);
    expect(reuse[0]).toMatchObject({
      severity: 'critical',
      resource: { id: 'aws:aws-access-key:AKIARZPUZDIKPJ7IA6BH' },
      evidence: { confidence: 'exact', environments: ['non-production', 'production'], places: expect.arrayContaining(['azure:keyvault/contoso-platform-kv']) },
    });
    expect(reuse[0].remediationCommands).toContain('gh secret set AWS_SECRET_ACCESS_KEY --repo acme-corp/web --env staging');
    expect(md).toContain('is kept in 4 places (exact confidence)');
  }, 180_000);
});
