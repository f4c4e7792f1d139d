import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinPlugins } from '../../src/builtins.js';
import { defaultConfig } from '../../src/config.js';
import { runScan, type ScanResult } from '../../src/engine.js';
import { silentLogger } from '../../src/log.js';
import { Registry } from '../../src/registry.js';
import { ROOT } from '../support/cli.js';

const ESTATE = join(ROOT, 'examples/estate');
const NOW = new Date('2026-11-29T00:00:00Z');

async function importFiles(files: Record<string, string>): Promise<ScanResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nhiscan-import-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const registry = new Registry();
  for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
  return runScan({ registry, config: defaultConfig(), sources: Object.keys(files).map((f) => `import:${f}`), log: silentLogger, now: NOW, baseDir: dir });
}

const estateJson = (path: string) => JSON.parse(readFileSync(join(ESTATE, path), 'utf8'));
const source = (result: ScanResult, file: string) => result.sources.find((s) => s.spec === `import:${file}`)!;

describe('hostile imports: GitHub snapshots', () => {
  it('reads read_only: "false" (a string) as writable, keeps the write-access finding and says so', async () => {
    const snapshot = estateJson('github/acme-org.json');
    const key = snapshot.repos[0].deployKeys.find((k: { read_only: boolean }) => k.read_only === false);
    key.read_only = 'false';
    const result = await importFiles({ 'org.json': JSON.stringify(snapshot) });
    const report = source(result, 'org.json');
    expect(report.status).toBe('partial');
    expect(report.notCovered).toContainEqual({
      part: expect.stringMatching(/^org\.json \$\.repos\[0\]\.deployKeys\[\d+\]\.read_only$/),
      reason: expect.stringMatching(/the string "false".*read as false, the riskier reading/),
    });
    expect(result.findings.filter((f) => f.ruleId === 'github-deploy-key-write-access').map((f) => f.resource.name)).toContain(
      `${snapshot.repos[0].repo.full_name} ${key.title}`,
    );
  });

  it('skips null entries at any level, naming each, and imports the rest', async () => {
    const snapshot = estateJson('github/acme-org.json');
    const repos = snapshot.repos.length;
    snapshot.repos.push(null, { repo: 42 });
    snapshot.repos[0].deployKeys.push(null);
    snapshot.orgActionsSecrets = [null, ...(snapshot.orgActionsSecrets ?? [])];
    snapshot.installations = 'nope';
    const result = await importFiles({ 'org.json': JSON.stringify(snapshot) });
    const report = source(result, 'org.json');
    expect(report.status).toBe('partial');
    const parts = report.notCovered.map((n) => n.part);
    expect(parts).toEqual(
      expect.arrayContaining([
        `org.json $.repos[${repos}]`,
        `org.json $.repos[${repos + 1}].repo`,
        'org.json $.repos[0].deployKeys[2]',
        'org.json $.orgActionsSecrets[0]',
        'org.json $.installations',
      ]),
    );
    expect(report.stats.repositories).toBe(repos);
    expect(report.errors.map((e) => e.message).join()).not.toMatch(/TypeError|Cannot read/);
  });
});

describe('hostile imports: AWS exports', () => {
  it('skips a null principal and a wrong-typed policy entry, naming them; the rest is analysed', async () => {
    const details = estateJson('aws/authorization-details.json');
    const users = details.UserDetailList.length;
    details.UserDetailList.push(null);
    details.Policies.push({ Arn: 7 });
    const result = await importFiles({ 'details.json': JSON.stringify(details) });
    const report = source(result, 'details.json');
    expect(report.status).toBe('partial');
    expect(report.notCovered.map((n) => n.part)).toEqual(
      expect.arrayContaining([`details.json $.UserDetailList[${users}]`, `details.json $.Policies[${details.Policies.length - 1}].Arn`]),
    );
    expect(report.stats.users).toBe(users);
  });

  it('refuses a Condition nested 6,000 deep with a clear error naming the file and the path, without overflowing the stack', async () => {
    const details = estateJson('aws/authorization-details.json');
    // Built as text: JSON.stringify itself would overflow on it.
    const condition = `${'{"ForAnyValue":'.repeat(6000)}{"StringEquals":{"aws:x":"y"}}${'}'.repeat(6000)}`;
    details.UserDetailList[0].UserPolicyList = [
      { PolicyName: 'deep', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: '@DEEP@' }] } },
    ];
    const text = JSON.stringify(details).replace('"@DEEP@"', condition);
    expect(text.length).toBeGreaterThan(48_000);
    const result = await importFiles({ 'deep.json': text, 'keys.json': readFileSync(join(ESTATE, 'aws/access-keys.json'), 'utf8') });
    const report = source(result, 'deep.json');
    expect(report.status).toBe('failed');
    expect(report.errors[0]!.message).toMatch(
      /^deep\.json is nested more than 100 levels deep at \$\.UserDetailList\[0\]\.UserPolicyList\[0\]\.PolicyDocument\.Statement\[0\]\.Condition\.ForAnyValue.*…; not imported$/,
    );
    expect(source(result, 'keys.json').status).toBe('ok'); // the other sources go on
  });

  it('skips a null access-key entry in list-access-keys output', async () => {
    const result = await importFiles({
      'keys.json': JSON.stringify({
        AccessKeyMetadata: [null, { UserName: 'ci', AccessKeyId: 'AKIARZPUZDIKPJ7IA6BH', Status: 'Active', CreateDate: '2024-03-12T09:41:17+00:00' }],
      }),
    });
    const report = source(result, 'keys.json');
    expect(report.status).toBe('partial');
    expect(report.notCovered).toContainEqual({ part: 'keys.json $.AccessKeyMetadata[0]', reason: expect.stringContaining('found null') });
    expect(result.inventory.credentials).toHaveLength(1);
  });
});

describe('hostile imports: credential report CSV', () => {
  const csv = readFileSync(join(ESTATE, 'aws/credential-report.csv'), 'utf8');
  const users = csv.trim().split('\n').length - 2; // minus header and root

  it('reads CR-only line endings', async () => {
    const result = await importFiles({ 'report.csv': csv.replace(/\r?\n/g, '\r') });
    expect(source(result, 'report.csv').stats.users).toBe(users);
  });

  it('recognises a fully quoted header, as spreadsheets save it', async () => {
    const [header, ...rest] = csv.split('\n');
    const quoted = [
      header!
        .split(',')
        .map((c) => `"${c}"`)
        .join(','),
      ...rest,
    ].join('\n');
    const result = await importFiles({ 'report.csv': quoted });
    expect(source(result, 'report.csv').status).toBe('ok');
    expect(source(result, 'report.csv').stats.users).toBe(users);
  });

  it('says second keys are not covered when the access_key_2 columns are missing', async () => {
    const rows = csv
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const keep = rows[0]!.map((c, i) => (c.startsWith('access_key_2_') ? -1 : i)).filter((i) => i >= 0);
    const trimmed = rows.map((r) => keep.map((i) => r[i]).join(',')).join('\n');
    const report = source(await importFiles({ 'report.csv': trimmed }), 'report.csv');
    expect(report.status).toBe('partial');
    expect(report.notCovered).toContainEqual({
      part: 'credential-report',
      reason: expect.stringMatching(/lacks access_key_2_active.*access key 2 are not covered/),
    });
  });

  it('skips a damaged row, naming its line, and reads the others', async () => {
    const lines = csv.trim().split('\n');
    lines.splice(2, 0, 'broken,row');
    const report = source(await importFiles({ 'report.csv': lines.join('\n') }), 'report.csv');
    expect(report.status).toBe('partial');
    expect(report.notCovered).toContainEqual({ part: 'credential-report', reason: expect.stringMatching(/line 3 has 2 columns.*row skipped/) });
    expect(report.stats.users).toBe(users);
  });
});

describe('hostile imports: saved nhiscan reports and Azure snapshots', () => {
  it('skips null and mistyped inventory entries of a saved report; an unknown credential status reads as active', async () => {
    const report = {
      tool: { name: 'nhiscan' },
      sources: [null],
      inventory: {
        identities: [null, { id: 'x:user:1', provider: 'x', kind: 'user', nativeId: '1', name: 'u', grants: 'all' }],
        credentials: [{ id: 'x:key:1', provider: 'x', kind: 'key', nativeId: '1', name: 'k', status: 'ACTIVE??' }],
      },
    };
    const result = await importFiles({ 'saved.json': JSON.stringify(report) });
    const s = source(result, 'saved.json');
    expect(s.status).toBe('partial');
    expect(s.notCovered.map((n) => n.part)).toEqual(
      expect.arrayContaining([
        'saved.json $.sources[0]',
        'saved.json $.inventory.identities[0]',
        'saved.json $.inventory.identities[1].grants',
        'saved.json $.inventory.credentials[0].status',
      ]),
    );
    expect(result.inventory.credentials.map((c) => c.status)).toEqual(['active']);
  });

  it('reads an Azure protection setting of the wrong type as off and skips null secrets', async () => {
    const snapshot = estateJson('azure/contoso.json');
    snapshot.vaults[0].vault.properties.enableSoftDelete = 'false';
    snapshot.vaults[0].secrets = [null, ...(snapshot.vaults[0].secrets ?? [])];
    const result = await importFiles({ 'az.json': JSON.stringify(snapshot) });
    const s = source(result, 'az.json');
    expect(s.status).toBe('partial');
    expect(s.notCovered).toContainEqual({ part: 'az.json $.vaults[0].vault.properties.enableSoftDelete', reason: expect.stringContaining('read as false') });
    expect(s.notCovered.map((n) => n.part)).toContain('az.json $.vaults[0].secrets[0]');
  });
});
