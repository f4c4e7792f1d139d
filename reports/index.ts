import type { Reporter } from '../src/plugin.js';
import type { ScanReport } from '../src/report-model.js';
import { stringSink } from './sink.js';
import { reportsPlugin } from './plugin.js';

export type { Reporter };

/** The built-in reporters by format (the CLI uses the registry, which plugins can extend). */
export const reporters: Record<string, Reporter> = Object.fromEntries((reportsPlugin.reporters ?? []).map((r) => [r.format, r]));

/** The whole report as a string: for small reports and tests. */
export async function renderToString(reporter: Reporter, report: ScanReport): Promise<string> {
  const sink = stringSink();
  await reporter.write(report, sink);
  return sink.text();
}
