/**
 * The riskiest chains of an inventory: leak → credential → identity → privilege → owner, the story a
 * security lead needs in one line. A chain starts at a secret found in code that was matched to its
 * identity; it is ranked by what it unlocks (admin first), whether the live credential still works,
 * whether the owner has left, and whether the secret is still at HEAD.
 */
import type { Credential, Identity, Inventory } from '../model/index.js';
import { matchedCredentialOf, privilegeOf } from './graph.js';

export interface ChainStep {
  type: 'location' | 'leaked-secret' | 'credential' | 'identity' | 'privilege' | 'owner';
  id: string;
  label: string;
  flags: string[];
}

export interface LineageChain {
  score: number;
  steps: ChainStep[];
}

function ownerSteps(item: Identity, people: Map<string, { status: string; manager?: string }>): ChainStep[] {
  return (item.owners ?? (item.owner ? [item.owner] : [])).slice(0, 2).map((o) => {
    const person = o.personId ? people.get(o.personId) : undefined;
    const departed = o.active === false || person?.status === 'departed';
    return {
      type: 'owner',
      id: o.personId ?? o.id,
      label: `${o.id} (${o.source})`,
      flags: departed ? ['departed', ...(person?.manager ? [`manager ${person.manager}`] : [])] : [],
    };
  });
}

function chainOf(
  leaked: Credential,
  credentials: Map<string, Credential>,
  identities: Map<string, Identity>,
  people: Map<string, { status: string; manager?: string }>,
): LineageChain | undefined {
  const identity = leaked.identityId ? identities.get(leaked.identityId) : undefined;
  if (!identity) return undefined;
  const matched = credentials.get(matchedCredentialOf(leaked) ?? '');
  const where = [...(leaked.locations ?? [])].sort((a, b) => Number(b.presentAtHead ?? false) - Number(a.presentAtHead ?? false))[0];
  const privilege = privilegeOf(identity);
  const steps: ChainStep[] = [
    ...(where
      ? [
          {
            type: 'location' as const,
            id: `${where.repository ?? where.source}:${where.path}`,
            label: `${where.repository ?? where.source}: ${where.path}`,
            flags: where.presentAtHead ? ['at HEAD'] : ['in history'],
          },
        ]
      : []),
    { type: 'leaked-secret', id: leaked.id, label: leaked.secret?.preview ?? leaked.name, flags: [leaked.secret?.detector ?? 'secret'] },
    ...(matched ? [{ type: 'credential' as const, id: matched.id, label: `${matched.kind} ${matched.name}`, flags: [matched.status] }] : []),
    { type: 'identity', id: identity.id, label: `${identity.kind} ${identity.name}`, flags: [] },
    ...(privilege ? [{ type: 'privilege' as const, id: `privilege:${identity.id}`, label: privilege.label, flags: privilege.admin ? ['admin'] : [] }] : []),
    ...ownerSteps(identity, people),
  ];
  const owners = steps.filter((s) => s.type === 'owner');
  const score =
    (privilege?.admin ? 8 : 0) +
    (matched?.status === 'active' ? 4 : 0) +
    (owners.length && owners.every((o) => o.flags.includes('departed')) ? 2 : owners.length ? 0 : 1) +
    (where?.presentAtHead ? 1 : 0);
  return { score, steps };
}

export function riskiestChains(inventory: Inventory, limit = 5): LineageChain[] {
  const credentials = new Map(inventory.credentials.map((c) => [c.id, c]));
  const identities = new Map(inventory.identities.map((i) => [i.id, i]));
  const people = new Map((inventory.people ?? []).map((p) => [p.id, p]));
  return inventory.credentials
    .filter((c) => c.secret && c.identityId)
    .map((c) => chainOf(c, credentials, identities, people))
    .filter((c): c is LineageChain => !!c)
    .sort((a, b) => b.score - a.score || a.steps[0]!.id.localeCompare(b.steps[0]!.id))
    .slice(0, limit);
}
