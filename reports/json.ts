import type { ScanReport } from './report-model.js';

export const jsonReporter = {
  format: 'json',
  fileName: 'nhiscan-report.json',
  render(report: ScanReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
  },
};
