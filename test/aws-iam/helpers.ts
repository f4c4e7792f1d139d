/** AWS analysis helpers for these tests; the inventory builders live in testkit/inventory/aws.ts. */
import type { Identity, Inventory } from '../../src/model/index.js';
import { analyseInventory } from '../../src/aws-iam/index.js';
import type { EffectiveSummary, EscalationFinding } from '../../src/aws-iam/types.js';

export * from '../../testkit/inventory/aws.js';

export function inventoryOf(...identities: Identity[]): Inventory {
  return { identities, credentials: [] };
}

export function effectiveOf(identity: Identity): EffectiveSummary {
  const e = identity.attributes.effective as EffectiveSummary | undefined;
  if (!e) throw new Error(`no effective summary on ${identity.name}`);
  return e;
}

/** Analyses the given principals together and returns the first one's summary. */
export async function analyse(...identities: Identity[]): Promise<EffectiveSummary> {
  await analyseInventory(inventoryOf(...identities));
  return effectiveOf(identities[0]!);
}

export function path(summary: EffectiveSummary, id: string): EscalationFinding | undefined {
  return summary.escalationPaths.find((p) => p.id === id);
}
