import { definePlugin } from './plugin.js';
import { coreRules } from '../rules/core/index.js';
import { ownerEnricher } from './enrichers/owners.js';
import { nhiscanReportImporter } from './import-report.js';

/** Provider-neutral pieces: the neutral rules, owner resolution from tags, re-reading a saved report. */
export const corePlugin = definePlugin({
  name: 'nhiscan:core',
  rules: coreRules,
  enrichers: [ownerEnricher],
  importers: [nhiscanReportImporter],
});
