import ownershipConcentration from '../../rules/ownership/ownership-concentration.js';
import type { Identity, Owner } from '../../src/model/index.js';
import { describe, expect, it } from 'vitest';
import { runRule, testRule } from '../../testkit/rule-tester.js';
import { user } from '../../testkit/inventory/aws.js';

const alice: Owner = { id: 'alice@acme.example', kind: 'email', source: 'tag:owner', personId: 'person:alice@acme.example' };
const platform: Owner = { id: '@acme/platform', kind: 'team', source: 'codeowners' };
const ADMIN = [{ resource: '*', actions: ['*'], level: 'admin' as const }];

/** An IAM user owned by `owner`, admin-equivalent unless `admin` is false. */
const owned = (name: string, owner: Owner, admin = true): Identity => user(name, { fields: { owner, ...(admin ? { grants: ADMIN } : {}) } });

testRule(ownershipConcentration, {
  valid: [
    { name: 'at the limit', options: { maxCriticalPerOwner: 2 }, inventory: [owned('a', alice), owned('b', alice)] },
    {
      name: 'a team owning many is what the rule asks for',
      options: { maxCriticalPerOwner: 2 },
      inventory: [owned('a', platform), owned('b', platform), owned('c', platform)],
    },
    {
      name: 'identities that are not critical do not count',
      options: { maxCriticalPerOwner: 2 },
      inventory: [owned('a', alice), owned('b', alice), owned('c', alice, false)],
    },
  ],
  // Its finding names a person, not an item of the inventory: checked below through runRule.
  invalid: [],
});

describe('ownership-concentration', () => {
  it('one person over the limit: one informational finding on the person, naming the identities', async () => {
    const drafts = await runRule(ownershipConcentration, {
      options: { maxCriticalPerOwner: 2 },
      inventory: [owned('a', alice), owned('b', alice), owned('c', alice), owned('d', platform)],
    });
    expect(drafts).toEqual([
      {
        resource: { provider: 'people', kind: 'person', id: 'person:alice@acme.example', name: 'alice@acme.example' },
        message: 'alice@acme.example owns 3 critical non-human identities (limit 2).',
        evidence: { count: 3, identities: ['a', 'b', 'c'] },
      },
    ]);
  });
});
