import type { Rule } from '../../src/plugin.js';
import leakedSecret from './leaked-secret.js';
import secretReuse from './secret-reuse.js';

/** Rules over secrets found in code (any source that yields `leaked-secret` credentials). */
export const secretsRules: Rule[] = [leakedSecret, secretReuse];
