import { definePlugin } from './plugin.js';
import { coreRules } from '../rules/core/index.js';
import { secretsRules } from '../rules/secrets/index.js';
import { ownerEnricher } from './enrichers/owners.js';
import { ownershipEnricher } from './ownership/enricher.js';
import { ownershipRules } from '../rules/ownership/index.js';
import { nhiscanReportImporter } from './import-report.js';

/**
 * Provider-neutral pieces: the neutral rules, the secret rules (they judge what every secret-scanning
 * source finds: git:, dir:, GitHub history), owner resolution from tags, ownership with provenance
 * joined to the people directory and its offboarding rules, re-reading a saved report.
 */
export const corePlugin = definePlugin({
  name: 'nhiscan:core',
  rules: [...coreRules, ...secretsRules, ...ownershipRules],
  enrichers: [ownerEnricher, ownershipEnricher],
  importers: [nhiscanReportImporter],
});
