/**
 * The built-in report formats. A new format is one module in reports/ and one line here; plugins add
 * theirs the same way (`reporters` in their plugin object), and `--format` accepts every registered one.
 *
 * Markdown, SARIF and HTML load when a report in that format is written: `nhiscan scan staged:. --out -`
 * in a pre-commit hook writes JSON only, and should not load the others at start-up.
 */
import { definePlugin, type Reporter } from '../src/plugin.js';
import { jsonReporter } from './json.js';

function lazyReporter(meta: Omit<Reporter, 'write'>, load: () => Promise<Reporter>): Reporter {
  return {
    ...meta,
    async write(report, sink) {
      await (await load()).write(report, sink);
    },
  };
}

export const reportsPlugin = definePlugin({
  name: 'nhiscan:reports',
  reporters: [
    jsonReporter,
    lazyReporter({ format: 'md', byDefault: true, fileName: 'nhiscan-report.md' }, async () => (await import('./markdown.js')).markdownReporter),
    lazyReporter({ format: 'sarif', byDefault: true, fileName: 'nhiscan-report.sarif' }, async () => (await import('./sarif.js')).sarifReporter),
    lazyReporter({ format: 'html', fileName: 'nhiscan-report.html' }, async () => (await import('./html.js')).htmlReporter),
  ],
});
