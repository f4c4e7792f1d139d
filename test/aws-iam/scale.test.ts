import { describe, expect, it } from 'vitest';
import { estate } from '../../bench/aws-privilege.js';
import { analyseInventory } from '../../src/aws-iam/index.js';
import type { EffectiveSummary } from '../../src/aws-iam/types.js';

// Speed is measured in bench/aws-privilege.ts; this only checks that identical principals cost once
// and share results without mixing up who is who.
describe('estate-scale analysis', () => {
  it('evaluates each distinct policy set once and gives every principal its own summary', async () => {
    const inventory = estate(600, 300);
    const stats = await analyseInventory(inventory);
    expect(stats.principals).toBe(900);
    expect(stats.distinctPolicySets).toBeLessThanOrEqual(90);
    for (const identity of inventory.identities) {
      const e = identity.attributes.effective as EffectiveSummary;
      expect(e.privilegeLevel).toMatch(/^(admin|high|write|read|none)$/);
      for (const p of e.escalationPaths) if (p.targets && p.reason.includes('own')) expect(p.targets).toContain(identity.name);
    }
  }, 60_000);
});
