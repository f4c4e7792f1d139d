import type { ScanReport } from './report-model.js';
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';

export interface Reporter {
  format: string;
  fileName: string;
  render(report: ScanReport): string;
}

export const reporters: Record<string, Reporter> = {
  json: jsonReporter,
  md: markdownReporter,
  sarif: sarifReporter,
};
