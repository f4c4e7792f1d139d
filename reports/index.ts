import type { ScanReport } from './report-model.js';
import { stringSink, type ReportSink } from './sink.js';
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';

/** One report format. `write` streams the report to the sink in chunks; it never builds it as one string. */
export interface Reporter {
  format: string;
  fileName: string;
  write(report: ScanReport, sink: ReportSink): void | Promise<void>;
}

export const reporters: Record<string, Reporter> = {
  json: jsonReporter,
  md: markdownReporter,
  sarif: sarifReporter,
};

/** The whole report as a string: for small reports and tests. */
export async function renderToString(reporter: Reporter, report: ScanReport): Promise<string> {
  const sink = stringSink();
  await reporter.write(report, sink);
  return sink.text();
}
