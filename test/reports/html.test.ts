/**
 * The HTML report as text: one self-contained file in reading order, every value escaped, no secret
 * beyond a redacted preview and a hash, history rendered only when present. What it does in a browser
 * is tested in html-browser.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderToString, reporters } from '../../reports/index.js';
import { main } from '../../src/cli.js';
import { tempDir } from '../support/cli.js';
import { writeConfig, writeInventory } from '../cli/fixtures.js';
import { HOSTILE, leadReport, syntheticHistory } from '../../testkit/report-builder.js';

const html = (report = leadReport()) => renderToString(reporters.html!, report);

describe('HTML report (as text)', () => {
  it('is registered as --format html, written only when asked for', () => {
    expect(reporters.html).toMatchObject({ format: 'html', fileName: 'nhiscan-report.html' });
    expect(reporters.html!.byDefault).toBeFalsy();
  });

  it('puts the sections in reading order: summary, top, trend, chains, findings, inventory, advice, coverage', async () => {
    const report = leadReport();
    report.history = syntheticHistory(4);
    const page = await html(report);
    const ids = ['summary', 'top', 'trend', 'chains', 'findings', 'inventory', 'rules', 'coverage'].map((id) => page.indexOf(`<section id="${id}"`));
    expect(ids.every((i) => i > 0)).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('is self-contained: no external reference, and a policy that allows only its own script and style', async () => {
    const page = await html();
    expect(page).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\((?!#)/);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-[A-Za-z0-9+/=]+&#39;/);
    // One executable script (the page's own); the data blocks are JSON, which browsers never run.
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(
      page
        .match(/<script[^>]*>/g)!
        .filter((s) => s !== '<script>')
        .every((s) => s.includes('type="application/json"')),
    ).toBe(true);
  });

  it('escapes hostile names, messages and paths in markup and in the data blocks', async () => {
    const page = await html();
    expect(page).not.toContain(HOSTILE.name);
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<svg onload');
    expect(page).not.toMatch(/<\/script>"'&|<\/td><\/tr><img/);
    // Each data block closes exactly where it should: nothing inside can end it early.
    for (const block of page.match(/<script type="application\/json" id="[^"]+">[\s\S]*?<\/script>/g)!) {
      const json = block.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '');
      expect(() => JSON.parse(json)).not.toThrow();
    }
    const findings = JSON.parse(page.match(/<script type="application\/json" id="nhiscan-findings">([\s\S]*?)<\/script>/)![1]!);
    expect(findings.rows.map((r: unknown[]) => r[3])).toContain(HOSTILE.name); // the value survives, as data
  });

  it('shows a leaked secret only as its redacted preview and a hash prefix', async () => {
    const report = leadReport();
    report.findings[4]!.evidence = { note: 'evidence is not dumped into the page' };
    const page = await html(report);
    expect(page).toContain('wJalrX…(40 chars)');
    expect(page).toContain(`sha256:${'ab'.repeat(6)}…`);
    expect(page).not.toContain('ab'.repeat(32));
    expect(page).not.toContain('evidence is not dumped');
  });

  it('renders the history when present and stays silent when absent', async () => {
    const without = await html();
    expect(without).not.toMatch(/id="trend"|Since the last scan|data-chart="open-trend"/);
    const report = leadReport();
    report.history = syntheticHistory(6);
    const page = await html(report);
    expect(page).toMatch(/Since the last scan/);
    expect(page).toMatch(/<div class="cards" id="since-last"><div class="card"><span class="n">3<\/span>new/);
    expect(page).toMatch(/data-chart="open-trend"/);
    expect(page).toMatch(/data-series="critical" data-points="6"/);
    expect(page.match(/<rect class="new"[^>]*data-value="\d+"/g)).toHaveLength(6);
    expect(page).toMatch(/2 findings open longer than 7 days/);
  });

  it('draws the riskiest chain from the leak to the departed owner', async () => {
    const page = await html();
    const chain = page.slice(page.indexOf('<section id="chains"'), page.indexOf('<section id="findings"'));
    const kinds = [...chain.matchAll(/<span class="kind">([^<]+)<\/span>/g)].map((m) => m[1]);
    expect(kinds).toEqual(['FOUND IN', 'LEAKED SECRET', 'LIVE CREDENTIAL', 'IDENTITY', 'PRIVILEGE', 'OWNER']);
    expect(chain).toMatch(/bob@corp\.example[^]*DEPARTED/);
    expect(chain).toMatch(/MANAGER CAROL@CORP\.EXAMPLE/);
  });
});

describe('HTML report of scans recorded with --history (CLI, in-process)', () => {
  it('shows the change since the last scan and a trend point per recorded scan', async () => {
    const dir = tempDir('nhiscan-html-history-');
    writeInventory(dir);
    const config = writeConfig(dir);
    const store = join(dir, 'history.sqlite');
    const scan = async (now: string) => {
      const out = join(dir, `out-${now.slice(0, 10)}`);
      const args = [
        'scan',
        'inventory-file:inventory.json',
        '--config',
        config,
        '--out',
        out,
        '--format',
        'json,html',
        '--fail-on',
        'none',
        '--now',
        now,
        '--history',
        store,
        '--quiet',
      ];
      const before = process.cwd();
      process.chdir(dir);
      try {
        expect(await main(args)).toBe(0);
      } finally {
        process.chdir(before);
      }
      return readFileSync(join(out, 'nhiscan-report.html'), 'utf8');
    };
    const first = await scan('2026-11-01T00:00:00Z');
    expect(first).toMatch(/This is the first scan recorded in/);
    const second = await scan('2026-11-08T00:00:00Z');
    expect(second).toMatch(/<h3>Since the last scan <span class="muted small">\(2026-11-01T00:00:00.000Z\)<\/span><\/h3><div class="cards" id="since-last">/);
    expect(second).toMatch(/<p class="muted">2 recorded scans in <code>[^<]*history\.sqlite<\/code>/);
    expect(second).toMatch(/data-series="all open" data-points="2"/);
  }, 120_000);
});
