import type { ScanReport } from '../src/report-model.js';
import { writeJson, type ReportSink } from './sink.js';
import { defineReporter } from '../src/plugin.js';

export const jsonReporter = defineReporter({
  format: 'json',
  byDefault: true,
  fileName: 'nhiscan-report.json',
  /** The same bytes as `JSON.stringify(report, null, 2)`, written finding by finding. */
  write(report: ScanReport, sink: ReportSink): void {
    writeJson(sink, report, 2); // down to each identity, credential and finding
    sink.write('\n');
  },
});
