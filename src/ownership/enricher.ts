/**
 * Ownership (order 20, after owners from tags and before analysis): every identity and credential
 * gets its owner candidates with provenance (candidates.ts), a credential with none inherits its
 * identity's, and each owner is joined to the people directory so the rules know who has left.
 *
 * The directory is the merged `people` of the scan (people:FILE, and users providers list) plus
 * the Entra owners the scan saw, with the config's `people.aliases` for handles that do not match.
 */
import type { Credential, Identity, Inventory, Owner, Person } from '../model/index.js';
import { personId } from '../model/index.js';
import type { Enricher } from '../plugin.js';
import { PeopleDirectory } from '../people/directory.js';
import { mergePeople } from '../people/merge.js';
import { ownerCandidates } from './candidates.js';

const CONFIDENCE_RANK = { high: 0, medium: 1, low: 2 } as const;

/** Entra user owners the scan saw are people too: a deleted or disabled account is someone who left. */
function peopleFromEntraOwners(inventory: Inventory): Person[] {
  const out: Person[] = [];
  for (const identity of inventory.identities) {
    const owners = (
      identity.attributes as { owners?: { type?: string; userPrincipalName?: string; displayName?: string; accountEnabled?: boolean; deleted?: boolean }[] }
    ).owners;
    if (identity.provider !== 'entra' || !Array.isArray(owners)) continue;
    for (const o of owners) {
      if (o.type !== 'user' || !o.userPrincipalName) continue;
      const upn = o.userPrincipalName.toLowerCase();
      out.push({
        id: personId(upn),
        email: upn,
        aliases: [],
        ...(o.displayName ? { name: o.displayName } : {}),
        status: o.deleted || o.accountEnabled === false ? 'departed' : o.accountEnabled === true ? 'active' : 'unknown',
        sources: [identity.source],
      });
    }
  }
  return out;
}

function join(owner: Owner, directory: PeopleDirectory): Owner {
  const person = directory.find(owner.id) ?? (owner.displayName && owner.displayName.includes('@') ? directory.find(owner.displayName) : undefined);
  if (!person) return owner;
  const active = person.status === 'departed' ? false : owner.active === false ? false : person.status === 'active' ? true : owner.active;
  return { ...owner, personId: person.id, ...(active !== undefined ? { active } : {}) };
}

export function resolveOwnership(inventory: Inventory, ownerTagKeys: string[], aliases: Record<string, string> = {}): { directory: PeopleDirectory } {
  const people = mergePeople([...(inventory.people ?? []), ...peopleFromEntraOwners(inventory)]);
  if (people.length) inventory.people = people;
  const directory = new PeopleDirectory(people, aliases);
  const resolve = (item: Identity | Credential) => {
    const owners = ownerCandidates(item, ownerTagKeys).map((o) => join(o, directory));
    if (owners.length) {
      item.owners = owners;
      item.owner = owners[0];
    }
  };
  inventory.identities.forEach(resolve);
  inventory.credentials.forEach(resolve);
  // A credential is also owned by whoever owns its identity (after its own owners of the same trust).
  const identities = new Map(inventory.identities.map((i) => [i.id, i]));
  for (const credential of inventory.credentials) {
    const identity = credential.identityId ? identities.get(credential.identityId) : undefined;
    if (!identity?.owners?.length) continue;
    const own = credential.owners ?? [];
    const inherited = identity.owners
      .filter((o) => !own.some((c) => c.id.toLowerCase() === o.id.toLowerCase()))
      .map((o) => ({ ...o, reason: `${o.reason ?? o.source} (owner of ${identity.name})` }));
    credential.owners = [...own, ...inherited].sort((a, b) => CONFIDENCE_RANK[a.confidence ?? 'low'] - CONFIDENCE_RANK[b.confidence ?? 'low']);
    credential.owner = credential.owners[0];
  }
  return { directory };
}

export const ownershipEnricher: Enricher = {
  id: 'ownership',
  order: 20,
  enrich(inventory, { config, log }) {
    const aliases = ((config.settings as Record<string, Record<string, unknown>>).people?.aliases ?? {}) as Record<string, string>;
    const { directory } = resolveOwnership(inventory, config.ownerTagKeys, aliases);
    if (directory.size) log.debug(`ownership: ${directory.size} people in the directory`);
  },
};
