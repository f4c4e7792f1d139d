import type { ScanReport } from './report-model.js';
import { writeJson, type ReportSink } from './sink.js';

export const jsonReporter = {
  format: 'json',
  fileName: 'nhiscan-report.json',
  /** The same bytes as `JSON.stringify(report, null, 2)`, written finding by finding. */
  write(report: ScanReport, sink: ReportSink): void {
    writeJson(sink, report, 2); // down to each identity, credential and finding
    sink.write('\n');
  },
};
