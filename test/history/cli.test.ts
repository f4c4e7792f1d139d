/**
 * History through the CLI: `scan --history` (SQLite and a real PostgreSQL server), the report's history
 * section, `history`/`trend`/`diff`, and bad stores: corrupt, newer, unreachable, two writers at once.
 * Scans run as child processes (two of them at once prove concurrency); the read commands in-process.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { main } from '../../src/cli.js';
import { readReport, ROOT, runCli, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/schemas.js';
import { writeConfig, writeInventory } from '../cli/fixtures.js';
import { startPostgres, type PostgresServer } from '../../testkit/postgres.js';
import { ALICE, TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';

const BASE_ACCOUNTS = [
  { id: 'sa-1', name: 'svc-billing', owner: 'team-billing', keys: [{ id: 'key-old', createdAt: '2025-01-01T00:00:00Z', lastUsedAt: '2026-11-28T00:00:00Z' }] },
  { id: 'sa-2', name: 'batch-runner', keys: [{ id: 'key-never', createdAt: '2026-09-15T00:00:00Z' }] },
];

/** Runs a read command in-process and returns its exit code and stdout. */
async function read(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function estate(config: Record<string, unknown> = {}) {
  const dir = tempDir('nhiscan-history-cli-');
  writeInventory(dir, { accounts: BASE_ACCOUNTS });
  return { dir, config: writeConfig(dir, config) };
}

function scanArgs(dir: string, config: string, now: string, extra: string[]) {
  const out = join(dir, `out-${now.slice(0, 10)}-${Math.random().toString(36).slice(2, 7)}`);
  return {
    out,
    args: ['scan', `inventory-file:${join(dir, 'inventory.json')}`, '--config', config, '--out', out, '--fail-on', 'none', '--now', now, ...extra],
  };
}

/** A scan in-process (the CLI's own entry point); `scanProcess` runs one as a child process. */
async function scan(dir: string, config: string, now: string, extra: string[] = []) {
  const { out, args } = scanArgs(dir, config, now, extra);
  return { ...(await read(args)), out };
}

async function scanProcess(dir: string, config: string, now: string, extra: string[] = []) {
  const { out, args } = scanArgs(dir, config, now, extra);
  return { ...(await runCli(args, { cwd: dir })), out };
}

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(() => postgres?.stop());

describe('scan --history', () => {
  it('records each scan, puts since-last and trend into the JSON and Markdown reports, and the read commands show them (SQLite)', async () => {
    const { dir, config } = estate();
    const store = join(dir, 'history.sqlite');
    const first = await scan(dir, config, '2026-11-01T00:00:00Z', ['--history', store]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/recorded scan 1 in .*history\.sqlite/);
    expect(readReport(first.out).history).toMatchObject({ recorded: true, scanId: '1', store });
    expect(readReport(first.out).history.sinceLast).toBeUndefined();

    writeInventory(dir, { accounts: [BASE_ACCOUNTS[0]] }); // batch-runner and its key are gone
    const second = await scan(dir, config, '2026-11-15T00:00:00Z', ['--history', store]);
    const report = readReport(second.out);
    expect(reportSchemaErrors(report)).toBe('');
    const before = readReport(first.out).findings.length;
    const gone = before - report.findings.length;
    expect(gone).toBeGreaterThan(0);
    expect(report.history.sinceLast).toEqual({
      previousScanId: '1',
      previousScanAt: '2026-11-01T00:00:00.000Z',
      new: 0,
      resolved: gone,
      reopened: 0,
      persisting: report.findings.length,
      unknown: 0,
    });
    expect(report.history.trend.map((p: any) => [p.scanId, p.open])).toEqual([
      ['1', before],
      ['2', report.findings.length],
    ]);
    const markdown = readFileSync(join(second.out, 'nhiscan-report.md'), 'utf8');
    expect(markdown).toMatch(new RegExp(`## Since the last scan\\n\\n\\| New \\| Resolved .*\\n.*\\n\\| 0 \\| ${gone} \\| 0 \\|`));
    expect(markdown).toContain('### Trend');

    const history = await read(['history', '--history', store, '--json']);
    expect(history.code).toBe(0);
    const recorded = JSON.parse(history.stdout).scans;
    // The hash of the rule configuration: the same config, the same hash.
    expect(recorded[0].rulesHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(recorded[1].rulesHash).toBe(recorded[0].rulesHash);
    expect(recorded[0].inventory).toContainEqual({ provider: 'inventory-file', kind: 'service-account', ownerState: 'unowned', count: 1 });
    expect(recorded[1].inventory.filter((c: any) => c.kind === 'service-account').map((c: any) => c.count)).toEqual([1]);
    expect(recorded[0].sources).toEqual([{ spec: `inventory-file:${join(dir, 'inventory.json')}`, status: 'ok', fullyCovered: true }]);
    expect(recorded.map((s: any) => [s.scanId, s.resolved])).toEqual([
      ['1', 0],
      ['2', gone],
    ]);
    const trend = await read(['trend', '--history', store, '--since', '2026-10-01', '--by', 'rule', '--json']);
    const json = JSON.parse(trend.stdout);
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs/history.trend.schema.json'), 'utf8')));
    expect(validate(json) ? '' : ajv.errorsText(validate.errors)).toBe('');
    expect(json.scans[1].resolved).toBe(gone);
    expect(json.timeToFix.medium.fixed + json.timeToFix.low.fixed + json.timeToFix.high.fixed + json.timeToFix.critical.fixed).toBe(gone);
    expect((await read(['trend', '--history', store, '--since', '2026-10-01'])).stdout).toMatch(/Time to fix over the window:\nseverity\s+fixed/);
    const diff = await read(['diff', '1', '2', '--history', store]);
    expect(diff.stdout).toMatch(new RegExp(`0 added, ${gone} gone`));
    expect(diff.stdout).toContain('credential-unused');
    const fingerprint = readReport(first.out).findings.find((f: any) => f.ruleId === 'credential-unused').fingerprint;
    expect((await read(['history', '--history', store, '--finding', fingerprint])).stdout).toMatch(
      /resolved 2026-11-15[\s\S]*scan 2 .*: resolved after 14 day\(s\)/,
    );
  });

  it("records a baseline's resolved findings as resolved, not as present", async () => {
    const { dir, config } = estate();
    const store = join(dir, 'history.sqlite');
    const first = await scan(dir, config, '2026-11-01T00:00:00Z', ['--history', store]);
    writeInventory(dir, { accounts: [BASE_ACCOUNTS[0]] });
    const second = await scan(dir, config, '2026-11-15T00:00:00Z', ['--history', store, '--baseline', join(first.out, 'nhiscan-report.json')]);
    const report = readReport(second.out);
    const resolved = report.findings.filter((f: any) => f.status === 'resolved').length;
    expect(resolved).toBeGreaterThan(0);
    expect(report.history.sinceLast).toMatchObject({ new: 0, resolved, persisting: report.findings.length - resolved });
  });

  it('takes the store and fix-time targets from the config, and records into PostgreSQL', async () => {
    const url = await postgres.createDatabase('cli');
    const { dir, config } = estate({ history: { store: url, fixTargets: { medium: 1 } } });
    expect((await scan(dir, config, '2026-11-01T00:00:00Z')).code).toBe(0);
    const second = await scan(dir, config, '2026-11-05T00:00:00Z');
    const report = readReport(second.out);
    expect(report.history).toMatchObject({ recorded: true, scanId: '2', store: url.replace('nhiscan@', '***@') });
    // Every medium finding is four days old against a one-day target.
    const medium = report.summary.bySeverity.medium;
    expect(medium).toBeGreaterThan(0);
    expect(report.history.breaches).toContainEqual({ severity: 'medium', targetDays: 1, count: medium });
    const history = await read(['history', '--config', config, '--json']);
    expect(JSON.parse(history.stdout).scans).toHaveLength(2);
  });

  it('two scans writing to one SQLite store at once both land', async () => {
    const { dir, config } = estate();
    const store = join(dir, 'shared.sqlite');
    const runs = await Promise.all([
      scanProcess(dir, config, '2026-11-01T00:00:00Z', ['--history', store]),
      scanProcess(dir, config, '2026-11-02T00:00:00Z', ['--history', store]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const ids = runs.map((r) => readReport(r.out).history.scanId).sort();
    expect(ids).toEqual(['1', '2']);
    expect(JSON.parse((await read(['history', '--history', store, '--json'])).stdout).scans).toHaveLength(2);
  });
});

describe('bad history stores', () => {
  it('a corrupt SQLite file: the reports are written, exit 3, recorded false, the file untouched; the read commands exit 2', async () => {
    const { dir, config } = estate();
    const store = join(dir, 'corrupt.sqlite');
    const garbage = Buffer.from('this is not an SQLite database, just text pretending to be one\n'.repeat(100));
    writeFileSync(store, garbage);
    const run = await scan(dir, config, '2026-11-01T00:00:00Z', ['--history', store]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/not recorded in history: the history store .*corrupt\.sqlite is not a readable SQLite database .*left untouched/);
    const report = readReport(run.out);
    expect(report.history).toMatchObject({ recorded: false, store, error: expect.stringMatching(/not a readable SQLite database/) });
    expect(report.findings.length).toBeGreaterThan(0);
    expect(readFileSync(join(run.out, 'nhiscan-report.md'), 'utf8')).toContain('**History not recorded**');
    expect(readFileSync(store).equals(garbage)).toBe(true);
    const history = await read(['history', '--history', store]);
    expect(history.code).toBe(2);
    expect(history.stderr).toMatch(/corrupt\.sqlite is not a readable SQLite database/);
    expect((await read(['trend', '--history', join(dir, 'missing.sqlite')])).stderr).toMatch(/no history store at .*missing\.sqlite/);
  });

  it('a store written by a newer nhiscan is refused by name; nothing is written to it', async () => {
    const { dir, config } = estate();
    const store = join(dir, 'h.sqlite');
    await scan(dir, config, '2026-11-01T00:00:00Z', ['--history', store]);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(store);
    db.prepare(`UPDATE history_meta SET value = '99' WHERE key = 'schema_version'`).run();
    db.close();
    const run = await scan(dir, config, '2026-11-02T00:00:00Z', ['--history', store]);
    expect(run.code).toBe(3);
    expect(readReport(run.out).history.error).toMatch(/schema version 99, newer than this nhiscan understands/);
    const history = await read(['history', '--history', store]);
    expect(history.code).toBe(2);
    expect(history.stderr).toMatch(/schema version 99.*upgrade nhiscan/);
  });

  it('an unreachable PostgreSQL: the reports are written, exit 3, recorded false, and the password never shows', async () => {
    const { dir, config } = estate();
    const password = 'pw-never-printed-7d1e';
    const url = `postgres://nhiscan:${password}@127.0.0.1:${postgres.port + 1}/nhiscan`; // nothing listens there
    const run = await scan(dir, config, '2026-11-01T00:00:00Z', ['--history', url]);
    expect(run.code).toBe(3);
    const report = readReport(run.out);
    expect(report.history).toMatchObject({ recorded: false, store: `postgres://***@127.0.0.1:${postgres.port + 1}/nhiscan` });
    expect(report.history.error).toMatch(/ECONNREFUSED|connect/);
    const everything = [run.stdout, run.stderr, ...['json', 'md', 'sarif'].map((ext) => readFileSync(join(run.out, `nhiscan-report.${ext}`), 'utf8'))].join(
      '\n',
    );
    expect(everything).not.toContain(password);
    expect(report.findings.length).toBeGreaterThan(0);
  });
});

describe('--baseline with --since', () => {
  it('a finding outside the scanned range is unknown, not resolved', async () => {
    const repo = TestRepo.create();
    const old = fakeGithubToken('history-since-old');
    const added = fakeGithubToken('history-since-new');
    repo.commit('first', { 'deploy.sh': `export GITHUB_TOKEN=${old}\n` }, ALICE);
    const base = repo.commit('docs', { 'README.md': '# svc\n' });
    repo.commit('second', { 'ci.sh': `export GH_TOKEN=${added}\n` }, ALICE);
    const out = tempDir();
    const common = ['--format', 'json', '--fail-on', 'none', '--now', '2026-11-29T00:00:00Z', '--quiet', '--no-cache'];
    expect((await read(['scan', `git:${repo.dir}`, '--out', join(out, 'full'), ...common])).code).toBe(0);
    const full = readReport(join(out, 'full'));
    const run = await read([
      'scan',
      `git:${repo.dir}`,
      '--since',
      base,
      '--baseline',
      join(out, 'full', 'nhiscan-report.json'),
      '--out',
      join(out, 'since'),
      ...common,
    ]);
    expect(run.code).toBe(0);
    const since = readReport(join(out, 'since'));
    expect(since.sources[0].notCovered).toContainEqual({
      part: 'history',
      reason: `only what the refs add after ${base} was scanned; earlier history is out of range`,
    });
    const oldFindings = full.findings.filter((f: any) => !since.findings.some((s: any) => s.fingerprint === f.fingerprint));
    expect(oldFindings.length).toBeGreaterThan(0);
    expect(since.findings.filter((f: any) => f.status === 'resolved')).toEqual([]);
    expect(since.summary.baseline).toMatchObject({ resolved: 0, unknown: oldFindings.length });
    expect(reportSchemaErrors(since)).toBe('');
  });
});
