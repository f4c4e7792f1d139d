/**
 * SARIF as GitHub code scanning reads it: uris relative to the repository root whatever folder was
 * scanned, logical locations (never a made-up file) for what is not a file of this repository, a
 * per-result security-severity matching the finding's severity, automationDetails.id, start columns.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { generatePaymentsRepo } from '../../examples/estate/generate.js';
import { fakeGithubToken } from '../../testkit/fake-tokens.js';
import { ROOT, tempDir } from '../support/cli.js';
import { sarifSchemaErrors } from '../support/schemas.js';

const SECURITY_SEVERITY: Record<string, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

async function scanSarif(args: string[], cwd: string): Promise<any> {
  const out = tempDir();
  const before = process.cwd();
  process.chdir(cwd);
  try {
    await main(['scan', ...args, '--out', out, '--format', 'sarif', '--fail-on', 'none', '--now', '2026-11-29T00:00:00Z', '--quiet']);
  } finally {
    process.chdir(before);
  }
  const log = JSON.parse(readFileSync(join(out, 'nhiscan-report.sarif'), 'utf8'));
  expect(sarifSchemaErrors(log)).toBe('');
  return log;
}

describe('SARIF for code scanning', () => {
  it('names files relative to the repository root when a subfolder is scanned, with start columns', async () => {
    const repo = tempDir();
    execFileSync('git', ['init', '-q', repo]);
    mkdirSync(join(repo, 'services', 'api', 'deploy'), { recursive: true });
    writeFileSync(join(repo, 'services', 'api', 'deploy', 'ci.env'), `# deploy\nexport   GITHUB_TOKEN=${fakeGithubToken()}\n`);
    for (const cwd of [repo, join(repo, 'services')]) {
      const log = await scanSarif([`dir:${join(repo, 'services', 'api')}`], cwd);
      const [result] = log.runs[0].results;
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('services/api/deploy/ci.env');
      expect(result.locations[0].physicalLocation.region).toMatchObject({ startLine: 2, startColumn: expect.any(Number) });
      expect(result.locations[0].physicalLocation.region.startColumn).toBeGreaterThan(1);
      expect(log.runs[0].automationDetails.id).toMatch(/^nhiscan\/[0-9a-f]{12}\/$/);
    }
  });

  it('of the sample estate: files of the scanned repository exist there; cloud findings and other repositories get logical locations only', async () => {
    generatePaymentsRepo();
    const log = await scanSarif(['--config', 'examples/estate/nhiscan.config.json'], ROOT);
    const results = log.runs[0].results as any[];
    const withFile = results.filter((r) => r.locations[0].physicalLocation);
    const logical = results.filter((r) => !r.locations[0].physicalLocation);
    expect(withFile.length).toBeGreaterThan(0);
    expect(logical.length).toBeGreaterThan(0);
    // The estate's only checkout is the generated payments-api repository: every file named is one of its files.
    for (const r of withFile)
      expect(existsSync(join(ROOT, 'examples/estate/.generated/payments-api', decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri)))).toBe(
        true,
      );
    // No config file stands in for a cloud finding any more.
    expect(results.some((r) => /nhiscan\.config\.json/.test(r.locations[0].physicalLocation?.artifactLocation.uri ?? ''))).toBe(false);
    for (const r of logical) expect(r.locations[0].logicalLocations[0]).toMatchObject({ kind: 'resource', fullyQualifiedName: r.properties.resource.id });
    // A secret-scanning alert of another repository is named there, not as a path here.
    const alerts = results.filter((r) => r.ruleId === 'github-secret-scanning-alert');
    expect(alerts.length).toBeGreaterThan(0);
    for (const r of alerts) {
      expect(r.locations[0].physicalLocation).toBeUndefined();
      expect(r.locations[0].logicalLocations[1]).toMatchObject({ kind: 'file', fullyQualifiedName: expect.stringMatching(/^acme-corp\/[\w.-]+:/) });
    }
    // Each result's security-severity is its own finding's severity, not its rule's default.
    for (const r of results) expect(r.properties['security-severity']).toBe(SECURITY_SEVERITY[r.properties.severity]);
    const rulesById = new Map(log.runs[0].tool.driver.rules.map((rule: any) => [rule.id, rule]));
    expect(results.some((r) => (rulesById.get(r.ruleId) as any).properties['security-severity'] !== r.properties['security-severity'])).toBe(true);
  });
});
