import { beforeAll, describe, expect, it } from 'vitest';
import { analyseInventory, getExpander } from '../../src/aws-iam/index.js';
import { reachRank } from '../../src/aws-iam/types.js';
import { effectiveOf } from './helpers.js';
import { labelledEstates, type Label } from './labelled.js';
import type { Identity } from '../../src/model/index.js';

const NOW = new Date('2026-12-01T00:00:00Z');

interface Outcome {
  name: string;
  positive: boolean;
  flagged: boolean;
  detail: string;
}

function outcome(name: string, principal: Identity, expect: Label): Outcome {
  const e = effectiveOf(principal);
  const paths = e.escalationPaths.map((p) => `${p.id}:${p.reach}${p.conditional ? '?' : ''}`).join(', ');
  if (expect === 'not-exploitable') {
    // Flagged: administrator, or a path beyond its own privileges that holds without conditions.
    const flagged = e.adminEquivalent || e.escalationPaths.some((p) => !p.conditional && reachRank(p.reach) >= reachRank('escalation'));
    return { name, positive: false, flagged, detail: `admin=${e.adminEquivalent} ${paths}` };
  }
  const want = expect;
  const flagged = e.escalationPaths.some((p) => want.paths.includes(p.id) && !p.conditional && reachRank(p.reach) >= reachRank(want.reach));
  return { name, positive: true, flagged, detail: paths };
}

describe('escalation accuracy on labelled accounts', () => {
  let outcomes: Outcome[] = [];
  beforeAll(async () => {
    await getExpander();
    outcomes = [];
    for (const estate of labelledEstates()) {
      await analyseInventory({ identities: estate.identities, credentials: [], ...(estate.resources ? { resources: estate.resources } : {}) }, undefined, {
        now: NOW,
      });
      for (const j of estate.judged) outcomes.push(outcome(j.name, j.principal, j.expect));
    }
  }, 120_000);

  it('has many cases on both sides', () => {
    expect(outcomes.filter((o) => o.positive).length).toBeGreaterThanOrEqual(60);
    expect(outcomes.filter((o) => !o.positive).length).toBeGreaterThanOrEqual(15);
  });

  it('recall >= 95% and precision >= 95%', () => {
    const tp = outcomes.filter((o) => o.positive && o.flagged).length;
    const fn = outcomes.filter((o) => o.positive && !o.flagged);
    const fp = outcomes.filter((o) => !o.positive && o.flagged);
    const recall = tp / (tp + fn.length);
    const precision = tp / (tp + fp.length);
    const report = `recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}; missed: ${fn.map((o) => `${o.name} [${o.detail}]`).join(' | ')}; false alarms: ${fp.map((o) => `${o.name} [${o.detail}]`).join(' | ')}`;
    expect(recall, report).toBeGreaterThanOrEqual(0.95);
    expect(precision, report).toBeGreaterThanOrEqual(0.95);
  });

  it('catches every false-negative trap and raises no false-positive trap', () => {
    const traps = outcomes.filter((o) => !o.name.startsWith('table: '));
    expect(traps.filter((o) => o.positive !== o.flagged).map((o) => `${o.name} [${o.detail}]`)).toEqual([]);
  });
});
