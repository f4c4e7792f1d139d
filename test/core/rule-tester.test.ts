/** The rule tester itself: a case that should fail does fail, for each way a rule can disagree with it. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { runRule, testRule, verifyInvalid } from '../../testkit/rule-tester.js';
import { credential, identity } from '../../testkit/inventory/core.js';

/** Flags every credential named `bad*`; `loud` raises the severity; the key is the credential's tag `k`. */
const toy = defineRule<{ loud: boolean }>({
  meta: {
    id: 'toy',
    title: 'toy',
    category: 'reuse',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: z.object({ loud: z.boolean().default(false) }).strict(),
    description: 'toy',
    remediation: 'toy',
  },
  check(inventory, { loud }) {
    return inventory.credentials
      .filter((c) => c.name.startsWith('bad'))
      .map((c) => ({
        resource: refOf(c),
        message: `credential ${c.name} is bad`,
        severity: loud ? 'high' : undefined,
        key: c.tags.k,
        evidence: { name: c.name, list: [1, 2] },
      }));
  },
});

const cred = (name: string, tags: Record<string, string> = {}) => credential({ provider: 'test', kind: 'thing', nativeId: name, tags });

testRule(toy, {
  valid: [{ name: 'a good credential', inventory: [cred('good')] }],
  invalid: [
    {
      name: 'a bad one, by name or id',
      inventory: [cred('bad1'), cred('bad2')],
      findings: [{ resource: 'bad1' }, { resource: 'test:thing:bad2', severity: 'medium' }],
    },
  ],
});

describe('verifyInvalid', () => {
  const inventory = [cred('bad1', { k: 'x' }), identity({ provider: 'test', kind: 'owner', nativeId: 'o' })];

  it('passes when every finding is stated, in any order, with partial evidence', async () => {
    expect(
      await verifyInvalid(toy, { inventory, findings: [{ resource: 'bad1', severity: 'medium', key: 'x', message: 'is bad', evidence: { list: [1, 2] } }] }),
    ).toEqual({ missing: [], unexpected: [], unknownResources: [] });
    expect(
      (await verifyInvalid(toy, { inventory, findings: [{ resource: 'bad1', message: /^credential bad1/, evidence: { name: expect.stringMatching(/bad/) } }] }))
        .missing,
    ).toEqual([]);
  });

  it('reports a finding that does not match on resource, severity, key, message, evidence or location', async () => {
    for (const wrong of [
      { resource: 'bad2' },
      { resource: 'bad1', severity: 'high' as const },
      { resource: 'bad1', key: 'y' },
      { resource: 'bad1', key: null },
      { resource: 'bad1', message: 'is good' },
      { resource: 'bad1', evidence: { list: [1] } },
      { resource: 'bad1', location: { path: 'a' } },
    ]) {
      const result = await verifyInvalid(toy, { inventory, findings: [wrong] });
      expect(result.missing, JSON.stringify(wrong)).toEqual([wrong]);
      expect(result.unexpected).toHaveLength(1);
    }
  });

  it('reports findings nobody expected, options through the schema, and findings about resources not in the inventory', async () => {
    expect((await verifyInvalid(toy, { inventory: [cred('bad1'), cred('bad2')], findings: [{ resource: 'bad1' }] })).unexpected).toMatchObject([
      { resource: 'bad2' },
    ]);
    expect((await verifyInvalid(toy, { inventory, options: { loud: true }, findings: [{ resource: 'bad1', severity: 'high' }] })).missing).toEqual([]);
    await expect(runRule(toy, { inventory, options: { loud: 'yes' } })).rejects.toThrow();
    const stranger = defineRule({ ...toy, check: () => [{ resource: { provider: 'test', kind: 'thing', id: 'elsewhere', name: 'elsewhere' }, message: 'm' }] });
    expect((await verifyInvalid(stranger, { inventory, findings: [{ resource: 'elsewhere' }] })).unknownResources).toEqual(['elsewhere']);
  });

  it('runs `prepare` before the rule, with the case clock and config', async () => {
    const seen: unknown[] = [];
    const spy = defineRule({ ...toy, check: (inv, _o, ctx) => (seen.push(inv.credentials[0]!.tags.prepared, ctx.now.toISOString(), ctx.config.settings), []) });
    await runRule(spy, {
      inventory: [cred('a')],
      now: '2020-01-01T00:00:00Z',
      config: { settings: { aws: {} } },
      prepare: (inv) => void (inv.credentials[0]!.tags.prepared = 'yes'),
    });
    expect(seen).toEqual(['yes', '2020-01-01T00:00:00.000Z', { aws: {} }]);
  });
});
