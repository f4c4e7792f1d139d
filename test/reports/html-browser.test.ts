/**
 * The HTML report in a real headless Chromium (Debian's `chromium`, driven by puppeteer-core; .ci/run
 * installs it when missing; NHISCAN_CHROMIUM names another binary): it loads with no console error
 * and no request leaving the file, a hostile name stays text, the charts draw their data, and the
 * findings table filters, searches, sorts and pages, also with 100,000 findings.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reporters } from '../../reports/index.js';
import { writeAtomicStream } from '../../src/atomic-write.js';
import type { ScanReport } from '../../src/report-model.js';
import { HOSTILE, leadReport, syntheticHistory, syntheticReport } from '../../testkit/report-builder.js';

const CHROMIUM = process.env.NHISCAN_CHROMIUM ?? '/usr/bin/chromium';
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set NHISCAN_CHROMIUM`);
  dir = mkdtempSync(join(tmpdir(), 'nhiscan-html-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    // No sandbox as root in CI; every Chromium background service off, and any request it tried would meet a dead proxy.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--proxy-server=127.0.0.1:9'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
  url: string;
  /** From navigation to the load event (the page's script has built its tables by then). */
  loadMs: number;
}

/** Writes the report's HTML and opens it; every request but the file itself is recorded and refused. */
async function open(report: ScanReport, name: string): Promise<Loaded> {
  const path = await writeAtomicStream(dir, `${name}.html`, (sink) => reporters.html!.write(report, sink));
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    requests.push(request.url());
    if (request.url() === `file://${path}`) void request.continue();
    else void request.abort();
  });
  const started = performance.now();
  await page.goto(`file://${path}`, { waitUntil: 'load', timeout: 120_000 });
  return { page, errors, requests, url: `file://${path}`, loadMs: performance.now() - started };
}

const rowCount = (page: Page, table: string) => page.$$eval(`#${table}-table tbody tr:not(.detail)`, (rows) => rows.length);
const countText = (page: Page, table: string) => page.$eval(`#${table}-count`, (e) => e.textContent ?? '');
/** The first text of each row's cell `index`: the value, without the small print under it. */
const column = (page: Page, table: string, index: number) =>
  page.$$eval(
    `#${table}-table tbody tr:not(.detail)`,
    (rows, i) =>
      rows.map((r) => {
        const cell = (r as HTMLTableRowElement).cells[i]!;
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        return walker.nextNode()?.textContent ?? '';
      }),
    index,
  );
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

describe('HTML report in headless Chromium', () => {
  it('loads with no console error and no request leaving the file; hostile strings stay text', async () => {
    const report = leadReport();
    report.history = syntheticHistory(6);
    const { page, errors, requests, url } = await open(report, 'lead');
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$('img, iframe, object, embed')).toHaveLength(0);
    const resources = await column(page, 'findings', 3);
    expect(resources.some((text) => text.startsWith(HOSTILE.name))).toBe(true);
    await page.close();
  }, 120_000);

  it('draws the charts with their data', async () => {
    const report = leadReport();
    report.history = syntheticHistory(6);
    const { page } = await open(report, 'charts');
    const severity = await page.$$eval('svg[data-chart="severity"] g[data-severity]', (gs) =>
      gs.map((g) => [g.getAttribute('data-severity'), Number(g.getAttribute('data-value'))]),
    );
    expect(Object.fromEntries(severity)).toEqual(report.summary.bySeverity);
    const series = await page.$$eval('svg[data-chart="open-trend"] g.series', (gs) =>
      gs.map((g) => ({ name: g.getAttribute('data-series'), points: g.querySelector('polyline')!.getAttribute('points')!.split(' ').length })),
    );
    expect(series.map((s) => s.name)).toEqual(['all open', 'critical', 'high', 'medium', 'low']);
    expect(series.every((s) => s.points === 6)).toBe(true);
    // The bars are laid out: real boxes of different heights for different values.
    const heights = await page.$$eval('svg[data-chart="flow"] g.bars rect.new', (rects) => rects.map((r) => (r as SVGGraphicsElement).getBBox().height));
    expect(heights).toHaveLength(6);
    expect(new Set(heights.map((x) => Math.round(x))).size).toBeGreaterThan(1);
    await page.close();
  }, 120_000);

  it('reads in light and dark, marks severity with text, and prints without its controls', async () => {
    const { page } = await open(leadReport(), 'media');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    expect(await background()).toBe('rgb(13, 17, 23)');
    // Colour is never the only cue: every severity mark and owner state says itself in words.
    const marks = await page.$$eval('.badge, td span[class^="state-"]', (els) => els.map((e) => e.textContent?.trim() ?? ''));
    expect(marks.length).toBeGreaterThan(10);
    expect(marks.every((text) => /^(CRITICAL|HIGH|MEDIUM|LOW|INFO|active|departed|unverified|no owner)$/.test(text))).toBe(true);
    await page.emulateMediaType('print');
    expect(await page.$eval('.controls', (e) => getComputedStyle(e).display)).toBe('none');
    expect(await page.$eval('nav.toc', (e) => getComputedStyle(e).display)).toBe('none');
    expect(await background()).toBe('rgb(255, 255, 255)');
    const pdf = await page.pdf({ format: 'A4' });
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  }, 120_000);

  it('filters, searches, sorts and pages the findings table', async () => {
    const { page, errors } = await open(syntheticReport(500), 'table');
    const active = 500 - Math.ceil(500 / 13); // every 13th synthetic finding is suppressed
    expect(await rowCount(page, 'findings')).toBe(50);
    expect(await countText(page, 'findings')).toBe(`Rows 1–50 of ${active}`);

    await page.select('#findings-filter-severity', 'critical');
    expect(await countText(page, 'findings')).toMatch(/^Rows 1–50 of \d+ \(filtered from \d+\)$/);
    expect(new Set(await column(page, 'findings', 1))).toEqual(new Set(['CRITICAL']));
    await page.select('#findings-filter-severity', '');

    await page.type('#findings-search', 'secret 42');
    await page.waitForFunction(() => document.querySelectorAll('#findings-table tbody tr').length < 50);
    const found = await column(page, 'findings', 3);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((text) => text.includes('secret 42'))).toBe(true);
    await page.$eval('#findings-search', (e) => ((e as HTMLInputElement).value = ''));
    await page.type('#findings-search', ' ');
    await page.keyboard.press('Backspace');
    await page.waitForFunction(() => document.querySelectorAll('#findings-table tbody tr').length === 50);

    await page.click('#findings-table th button[data-col="3"]');
    const ascending = await column(page, 'findings', 3);
    expect(ascending).toEqual([...ascending].sort(natural));
    expect(ascending.slice(0, 3)).toEqual(['secret 1', 'secret 2', 'secret 3']); // numbers in names sort as numbers
    expect(await page.$eval('#findings-table th:nth-child(4)', (th) => th.getAttribute('aria-sort'))).toBe('ascending');
    await page.click('#findings-table th button[data-col="3"]');
    expect(await page.$eval('#findings-table th:nth-child(4)', (th) => th.getAttribute('aria-sort'))).toBe('descending');
    const descending = await column(page, 'findings', 3);
    expect(descending).toEqual([...descending].sort(natural).reverse());

    await page.click('#findings-next');
    expect(await countText(page, 'findings')).toBe(`Rows 51–100 of ${active}`);
    await page.click('#findings-table tbody tr button');
    expect(await page.$eval('#findings-table tr.detail', (tr) => tr.textContent)).toMatch(/What to do.*Rotate it\..*Fingerprint/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('explores the inventory by provider and owner state', async () => {
    const { page } = await open(leadReport(), 'inventory');
    expect(await countText(page, 'inventory')).toBe('Rows 1–5 of 5');
    await page.select('#inventory-filter-owner', 'departed');
    // The key and its leaked copy inherit their identity's owner.
    expect(await column(page, 'inventory', 3)).toEqual(['deploy-admin', 'deploy-admin/AKIA0', 'AWS key AKIA0…']);
    await page.select('#inventory-filter-owner', '');
    await page.select('#inventory-filter-provider', 'git');
    expect(await column(page, 'inventory', 3)).toEqual(['AWS key AKIA0…']);
    await page.close();
  }, 120_000);

  it('opens 100,000 findings without building 100,000 rows, and filters them', async () => {
    const report = syntheticReport(100_000);
    const { page, errors, loadMs } = await open(report, 'large');
    expect(await rowCount(page, 'findings')).toBe(50);
    expect(await countText(page, 'findings')).toBe(`Rows 1–50 of ${report.summary.total}`);
    const filterStarted = performance.now();
    await page.select('#findings-filter-severity', 'high');
    const filterMs = performance.now() - filterStarted;
    expect(await countText(page, 'findings')).toBe(`Rows 1–50 of ${report.summary.bySeverity.high} (filtered from ${report.summary.total})`);
    expect(errors).toEqual([]);
    // Figures for the record (bench territory, never asserted): size, time to load, time to filter.
    console.log(
      `html 100k: ${(statSync(join(dir, 'large.html')).size / 2 ** 20).toFixed(1)} MiB, loaded in ${(loadMs / 1000).toFixed(1)} s, filtered in ${filterMs.toFixed(0)} ms`,
    );
    await page.close();
  }, 240_000);
});
