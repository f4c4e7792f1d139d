/**
 * AWS privilege analysis: effective permissions per principal, escalation paths, sensitive actions,
 * trust-policy analysis and leak correlation. The aws plugin registers `awsEnrichers`; the
 * aws-privilege rules read what they store.
 */
import type { Enricher } from '../plugin.js';
import { effectivePermissionsEnricher } from './enricher.js';
import { leakCorrelationEnricher } from './leaks.js';

export const awsEnrichers: Enricher[] = [effectivePermissionsEnricher, leakCorrelationEnricher];

export { analyseInventory, effectivePermissionsEnricher, getExpander, isAwsPrincipal } from './enricher.js';
export { correlateLeaks, leakCorrelationEnricher, leakedKeyIdOf } from './leaks.js';
export { loadCatalog, ActionExpander, type ActionCatalog } from './catalog.js';
export { PolicyEvaluator, policySetHash, coversAllResources, isConditional, type EffectiveAccess, type ResourceGrant } from './evaluate.js';
export { ESCALATION_PATHS, type EscalationPath } from './escalation-paths.js';
export { SENSITIVE_ACTIONS } from './sensitive-actions.js';
export { analyseTrustPolicy, trustStatements, type TrustIssue } from './trust.js';
export * from './types.js';
