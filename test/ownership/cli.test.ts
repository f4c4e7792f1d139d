/** `people:` and `nhiscan graph` through the built CLI. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, runCli, tempDir } from '../support/cli.js';

describe('people: and nhiscan graph', () => {
  it('a people directory is read with its bad row named; graph renders the report and refuses bad usage', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'hr.csv'),
      'email,login,status,end_date,manager\nbob@acme.example,bob,departed,2026-08-31,alice@acme.example\nalice@acme.example,alice,active,,\nbroken-row,,,,\n',
    );
    const out = join(dir, 'out');
    const run = await runCli(['scan', `people:${join(dir, 'hr.csv')}`, '--out', out, '--format', 'json', '--fail-on', 'none', '--quiet']);
    const report = readReport(out);
    expect(report.sources[0]).toMatchObject({ spec: `people:${join(dir, 'hr.csv')}`, status: 'partial' });
    expect(report.sources[0].errors).toEqual([{ part: `${join(dir, 'hr.csv')}:4`, message: 'skipped: "broken-row" is not an email address' }]);
    expect(report.inventory.people.map((p: { id: string; status: string }) => `${p.id}:${p.status}`)).toEqual([
      'person:bob@acme.example:departed',
      'person:alice@acme.example:active',
    ]);
    expect(run.code).toBe(3);

    const graph = await runCli(['graph', join(out, 'nhiscan-report.json'), '--format', 'mermaid']);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/^flowchart LR\n/);
    expect(graph.stdout).toContain('[departed]');
    const bad = await runCli(['graph', join(out, 'nhiscan-report.json'), '--format', 'svg']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of json, dot, mermaid');
    const missing = await runCli(['graph', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the report');
  }, 120_000);
});
