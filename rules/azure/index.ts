import type { Rule } from '../../src/plugin.js';

/** Azure Key Vault rules: they read the attributes documented in connectors/azure/attributes.ts. */
export const azureRules: Rule[] = [];
