/**
 * The screenshot in docs/html-report.png: a saved JSON report rendered as HTML and photographed in
 * headless Chromium (the same browser the HTML tests use).
 *
 *   npm start && npm run build --silent && node dist/testkit/html-screenshot.js nhiscan-report/nhiscan-report.json docs/html-report.png
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { reporters } from '../reports/index.js';
import { writeAtomicStream } from '../src/atomic-write.js';
import type { ScanReport } from '../src/report-model.js';

export async function screenshot(reportJson: string, png: string, chromium = process.env.NHISCAN_CHROMIUM ?? '/usr/bin/chromium'): Promise<void> {
  const report = JSON.parse(readFileSync(reportJson, 'utf8')) as ScanReport;
  const dir = mkdtempSync(join(tmpdir(), 'nhiscan-shot-'));
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, pipe: true, args: ['--no-sandbox', '--proxy-server=127.0.0.1:9'] });
  try {
    const html = await writeAtomicStream(dir, 'report.html', (sink) => reporters.html!.write(report, sink));
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1700 });
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    await page.screenshot({ path: png as `${string}.png` });
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [reportJson, png] = process.argv.slice(2);
  if (!reportJson || !png) throw new Error('usage: html-screenshot.js REPORT.json OUT.png');
  await screenshot(resolve(reportJson), resolve(png));
}
