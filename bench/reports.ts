/**
 * Report writers at scale: synthetic reports of 250,000 and 1,000,000 findings written in every
 * format (streamed, atomically) to a temporary directory. The baseline is the JSON writer in the
 * same run: Markdown, SARIF and HTML are reported as ratios of its time, which shows Markdown's grouping
 * staying linear (it used to copy its array per finding: 65 s against 7.5 s for JSON at 100,000).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reporters } from '../reports/index.js';
import { writeAtomicStream } from '../src/atomic-write.js';
import { syntheticReport } from '../testkit/report-builder.js';

export async function run(args: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const sizes = args.quick
    ? [25_000]
    : process.env.NHISCAN_BENCH_REPORT_SIZES
      ? process.env.NHISCAN_BENCH_REPORT_SIZES.split(',').map(Number)
      : [250_000, 1_000_000];
  const lines: string[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-bench-reports-'));
    try {
      const report = syntheticReport(size);
      const ms: Record<string, number> = {};
      const parts: string[] = [];
      for (const format of ['json', 'md', 'sarif', 'html']) {
        const reporter = reporters[format]!;
        const started = performance.now();
        const path = await writeAtomicStream(dir, reporter.fileName, (sink) => reporter.write(report, sink));
        ms[format] = performance.now() - started;
        parts.push(`${format} ${(ms[format]! / 1000).toFixed(1)} s, ${(statSync(path).size / 2 ** 20).toFixed(0)} MiB`);
      }
      lines.push(`${size.toLocaleString('en')} findings: ${parts.join('; ')}`);
      lines.push(
        `  ratios to JSON: md ${(ms.md! / ms.json!).toFixed(2)}x, sarif ${(ms.sarif! / ms.json!).toFixed(2)}x, html ${(ms.html! / ms.json!).toFixed(2)}x; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { name: 'reports', lines };
}
