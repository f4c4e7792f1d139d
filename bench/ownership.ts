/**
 * Ownership join benchmark: 100,000 identities whose owners are joined against a 50,000-person
 * directory, by the ownership enricher (one index of every handle, one lookup per owner) and by a naive
 * join that scans the directory for each owner, in the same run (the naive join runs on a sample and is
 * extrapolated, since the full run would take minutes: the sample size is printed).
 *
 *   npx tsx bench/ownership.ts [--quick]
 */
import { pathToFileURL } from 'node:url';
import type { Identity, Inventory, Person } from '../src/model/index.js';
import { resolveOwnership } from '../src/ownership/enricher.js';

function estate(identities: number, people: number): Inventory {
  const directory: Person[] = Array.from({ length: people }, (_, i) => ({
    id: `person:p${i}@acme.example`,
    email: `p${i}@acme.example`,
    aliases: [`p${i}`, `p${i}@contoso.example`],
    status: i % 10 ? 'active' : 'departed',
    sources: ['people:bench'],
  }));
  const ids: Identity[] = Array.from({ length: identities }, (_, i) => ({
    id: `aws:iam-user:u${i}`,
    provider: 'aws',
    kind: 'iam-user',
    nativeId: `u${i}`,
    name: `u${i}`,
    tags: { owner: i % 3 ? `p${(i * 7) % people}@acme.example` : `p${(i * 7) % people}` },
    grants: [],
    attributes: {},
    source: 'bench',
  }));
  return { identities: ids, credentials: [], people: directory };
}

function naiveJoin(inventory: Inventory, sample: number): number {
  let joined = 0;
  for (const identity of inventory.identities.slice(0, sample)) {
    const handle = (identity.tags.owner ?? '').toLowerCase();
    const person = inventory.people!.find((p) => p.email === handle || p.aliases.includes(handle));
    if (person) joined++;
  }
  return joined;
}

export async function run({ quick }: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const [identities, people] = quick ? [10_000, 5_000] : [100_000, 50_000];
  const inventory = estate(identities, people);
  let started = performance.now();
  resolveOwnership(inventory, ['owner']);
  const ms = performance.now() - started;
  const joined = inventory.identities.filter((i) => i.owner?.personId).length;
  const sample = Math.min(2_000, identities);
  started = performance.now();
  const naiveJoined = naiveJoin(estate(identities, people), sample);
  const naiveMs = ((performance.now() - started) / sample) * identities;
  if (joined !== identities || naiveJoined !== sample) throw new Error(`joined ${joined}/${identities}, naive ${naiveJoined}/${sample}`);
  return {
    name: `ownership join: ${identities} identities against ${people} people`,
    lines: [
      `nhiscan (handle index, one lookup per owner): ${ms.toFixed(0)} ms, all ${joined} joined`,
      `naive (scan the directory per owner):         ${(naiveMs / 1000).toFixed(1)} s extrapolated from ${sample} owners`,
      `ratio: ${(naiveMs / ms).toFixed(0)}× faster`,
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}`);
}
