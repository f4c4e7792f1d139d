/**
 * Which environment a value names (a tag value, a branch, a path segment, an Actions environment, a part of a
 * vault's name): the one classification the environment-isolation and reuse rules share, with their defaults.
 */
export type Environment = 'production' | 'non-production';

export const ENVIRONMENT_DEFAULTS = {
  /** Tag keys that name an environment (on identities, credentials, or the account/project they live in). */
  environmentTagKeys: ['env', 'environment', 'Environment', 'stage'],
  /** Values, branch names and path segments that mean production, and those that mean anything else. */
  production: '^(prod|production|prd|live|main|master)$',
  nonProduction: '^(dev|develop|development|test|testing|qa|staging|stage|stg|sandbox|preview|nonprod|non-prod|uat|local)$',
};

/** A classifier for the two patterns: a value is production, non-production, or says nothing. */
export function environmentClassifier(production: string, nonProduction: string): (value: string) => Environment | undefined {
  const prod = new RegExp(production, 'i');
  const nonProd = new RegExp(nonProduction, 'i');
  return (value) => (prod.test(value) ? 'production' : nonProd.test(value) ? 'non-production' : undefined);
}
