/**
 * Sharded scans and `nhiscan merge`: the shards of the sample estate, merged, give the report one run
 * gives (same findings, fingerprints, severities, counts), correlation across shards included; a merge
 * of merges equals one merge.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { expandListSources, parseShard, shardFromJobIndex, shardOwns } from '../../src/shard.js';
import { generatePaymentsRepo } from '../../examples/estate/generate.js';
import { ROOT, tempDir } from '../support/cli.js';
import { reportSchemaErrors } from '../support/schemas.js';

const NOW = '2026-11-29T00:00:00Z';
const CONFIG = 'examples/estate/nhiscan.config.json';

async function cli(args: string[]): Promise<number> {
  const before = process.cwd();
  process.chdir(ROOT);
  try {
    return await main(args);
  } finally {
    process.chdir(before);
  }
}

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'nhiscan-report.json'), 'utf8'));

/** What must not change between one run and a merge: every finding as the user sees it, and the counts. */
function essence(report: any) {
  return {
    findings: report.findings
      .map((f: any) => `${f.fingerprint} ${f.ruleId} ${f.severity} ${f.resource.id} ${f.message}`)
      .sort()
      .join('\n'),
    bySeverity: report.summary.bySeverity,
    byRule: report.summary.byRule,
    total: report.summary.total,
    identities: report.inventory.identities.map((i: any) => i.id).sort(),
    credentials: report.inventory.credentials.map((c: any) => c.id).sort(),
    sources: report.sources.map((s: any) => `${s.spec} ${s.status}`).sort(),
  };
}

describe('shards', () => {
  it('partition units deterministically: every unit in exactly one shard, whatever the listing order', () => {
    const units = Array.from({ length: 500 }, (_, i) => `acme/repo-${i}`);
    const count = 7;
    const owners = units.map((u) => Array.from({ length: count }, (_, index) => index).filter((index) => shardOwns({ index, count }, u)));
    expect(owners.every((o) => o.length === 1)).toBe(true);
    const sizes = Array.from({ length: count }, (_, index) => owners.filter((o) => o[0] === index).length);
    expect(Math.min(...sizes)).toBeGreaterThan(40); // ~71 each
    expect(parseShard('3/7')).toEqual({ index: 2, count: 7 });
    expect(() => parseShard('0/7')).toThrow(/--shard must be I\/N/);
    expect(() => parseShard('8/7')).toThrow(/--shard must be I\/N/);
    expect(shardFromJobIndex('6', '7')).toEqual({ index: 6, count: 7 });
    expect(() => shardFromJobIndex(undefined, '7')).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => shardFromJobIndex('7', '7')).toThrow(/not below --shard-count 7/);
  });

  it('expand SCHEME:@FILE into one source per line', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'repos.txt'), '# payments\nhttps://git.example/a.git\n\n  ./b  \n');
    expect(expandListSources(['git:@repos.txt', 'aws'], dir)).toEqual(['git:https://git.example/a.git', 'git:./b', 'aws']);
    expect(() => expandListSources(['git:@missing.txt'], dir)).toThrow(/git:@missing.txt: cannot read the list missing.txt: ENOENT/);
  });

  it('of the sample estate, (4 shards), merged, equal one run; a merge of merges equals one merge', async () => {
    generatePaymentsRepo();
    const work = tempDir();
    const base = ['--config', CONFIG, '--format', 'json', '--fail-on', 'none', '--now', NOW, '--quiet'];
    expect(await cli(['scan', ...base, '--out', join(work, 'single')])).toBe(0);
    for (const i of [1, 2, 3, 4]) expect(await cli(['scan', ...base, '--shard', `${i}/4`, '--out', join(work, `shard-${i}`)])).toBe(0);
    const shards = [1, 2, 3, 4].map((i) => join(work, `shard-${i}`, 'nhiscan-report.json'));
    const shardReports = shards.map((s) => JSON.parse(readFileSync(s, 'utf8')));

    // Every source in exactly one shard; the leaked key's repository and the IAM export it unlocks in different ones.
    const specsOf = (r: any) => r.sources.map((s: any) => s.spec);
    expect(shardReports.flatMap(specsOf).sort()).toEqual(specsOf(read(join(work, 'single'))).sort());
    const shardOf = (spec: string) => shardReports.findIndex((r) => specsOf(r).includes(spec));
    expect(shardOf('git:.generated/payments-api')).not.toBe(shardOf('import:aws/authorization-details.json'));
    for (const r of shardReports) {
      expect(r.raw.shard).toMatch(/^[1-4]\/4$/);
      expect(reportSchemaErrors(r)).toBe('');
    }
    // No shard alone sees the leaked key as an active admin key: that takes the merge.
    expect(shardReports.some((r) => r.findings.some((f: any) => f.ruleId === 'aws-leaked-key-active'))).toBe(false);

    expect(await cli(['merge', ...shards, '--out', join(work, 'merged'), '--fail-on', 'none', '--quiet', '--config', CONFIG])).toBe(0);
    const single = read(join(work, 'single'));
    const merged = read(join(work, 'merged'));
    expect(reportSchemaErrors(merged)).toBe('');
    expect(merged.findings.some((f: any) => f.ruleId === 'aws-leaked-key-active')).toBe(true);
    expect(essence(merged)).toEqual(essence(single));
    expect(merged.scan.now).toBe(single.scan.now);
    for (const file of ['nhiscan-report.md', 'nhiscan-report.sarif']) expect(readFileSync(join(work, 'merged', file), 'utf8').length).toBeGreaterThan(0);

    // Associative: (1 + 2) + (3 + 4) == 1 + 2 + 3 + 4.
    const mergeTo = async (out: string, inputs: string[]) => {
      expect(await cli(['merge', ...inputs, '--out', join(work, out), '--format', 'json', '--fail-on', 'none', '--quiet', '--config', CONFIG])).toBe(0);
      return join(work, out, 'nhiscan-report.json');
    };
    const halves = [await mergeTo('m12', shards.slice(0, 2)), await mergeTo('m34', shards.slice(2))];
    await mergeTo('m1234', halves);
    expect(essence(read(join(work, 'm1234')))).toEqual(essence(merged));
  }, 300_000);

  it('merge refuses what is not an nhiscan report (exit 2, naming the file)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await cli(['merge', join(dir, 'other.json'), '--out', join(dir, 'out')])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toMatch(/other\.json is not an nhiscan JSON report/);
  });
});
