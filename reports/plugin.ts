/**
 * The built-in report formats. A new format is one module in reports/ and one line here; plugins add
 * theirs the same way (`reporters` in their plugin object), and `--format` accepts every registered one.
 */
import { definePlugin } from '../src/plugin.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';

export const reportsPlugin = definePlugin({
  name: 'nhiscan:reports',
  reporters: [jsonReporter, markdownReporter, sarifReporter, htmlReporter],
});
