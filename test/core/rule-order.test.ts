/**
 * The registry sorts rules by id in code-unit order (no ICU collator at start-up, see Registry.sortedRules).
 * For kebab-case ids, the only ids a plugin may register, that is the order localeCompare gives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadBuiltinPlugins } from '../../src/builtins.js';
import { Registry } from '../../src/registry.js';
import type { Rule } from '../../src/plugin.js';

const byLocale = (ids: string[]) => [...ids].sort((a, b) => a.localeCompare(b));

describe('rule order', () => {
  it('the built-in rules come in localeCompare order of their ids', async () => {
    const registry = new Registry();
    for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
    const ids = registry.sortedRules().map((rule) => rule.meta.id);
    expect(ids.length).toBeGreaterThan(80);
    expect(ids).toEqual(byLocale(ids));
  });

  it('any kebab-case ids come in localeCompare order', () => {
    const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/);
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 2, maxLength: 30 }), (ids) => {
        const registry = new Registry();
        const rules = ids.map((ruleId) => ({ meta: { id: ruleId }, check: () => [] }) as unknown as Rule);
        for (const rule of rules) registry.rules.set(rule.meta.id, rule);
        expect(registry.sortedRules().map((rule) => rule.meta.id)).toEqual(byLocale(ids));
      }),
      { numRuns: 300 },
    );
  });
});
