/**
 * Google Cloud analysis: who holds what, who can act as whom, the shortest impersonation chain to an
 * admin account (analyse.ts, order 50), and leaked keys matched to live ones (leaks.ts, order 90).
 * The gcp plugin registers `gcpEnrichers`; rules/gcp reads what they write.
 */
import type { Enricher } from '../plugin.js';
import { analyseGcp } from './analyse.js';
import { correlateGcpLeaks } from './leaks.js';

export const gcpAnalysisEnricher: Enricher = {
  id: 'gcp-iam-analysis',
  order: 50,
  enrich(inventory, { log }) {
    const { accounts, chains } = analyseGcp(inventory);
    if (accounts) log.debug(`gcp: analysed ${accounts} service account(s), ${chains} impersonation chain(s) to admin`);
  },
};

export const gcpLeakCorrelationEnricher: Enricher = {
  id: 'gcp-leak-correlation',
  order: 90,
  enrich(inventory, { log }) {
    const matched = correlateGcpLeaks(inventory);
    if (matched) log.debug(`gcp: matched ${matched} leaked service-account key(s) to live keys or accounts`);
  },
};

export const gcpEnrichers: Enricher[] = [gcpAnalysisEnricher, gcpLeakCorrelationEnricher];
export { analyseGcp, correlateGcpLeaks };
