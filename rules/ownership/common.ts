/** Helpers shared by the ownership rules: which items are NHIs to own, how risky they are, who takes over. */
import type { Credential, Identity, Inventory, Owner, Person } from '../../src/model/index.js';
import { PeopleDirectory } from '../../src/people/directory.js';

/** Identities a person should own: not resources modelled as identities, not provider-managed ones, not deleted, not people's own accounts. */
export function ownableIdentities(inventory: Inventory): Identity[] {
  return inventory.identities.filter(
    (i) => i.attributes.resource !== true && i.attributes.providerManaged !== true && i.status !== 'deleted' && i.human !== true && i.attributes.human !== true,
  );
}

/** Live credentials a provider manages (secrets found in code have no lifecycle to own). */
export function ownableCredentials(inventory: Inventory): Credential[] {
  return inventory.credentials.filter((c) => c.status === 'active' && !c.secret);
}

/**
 * The owners accountable for an item. Whoever last changed it (e.g. pushed a secret past GitHub push
 * protection) is shown as a weak owner but does not take over from owners who left; when nobody else is
 * known, that person is all there is.
 */
export function accountableOwners(item: Identity | Credential): Owner[] {
  const owners = item.owners ?? (item.owner ? [item.owner] : []);
  const accountable = owners.filter((o) => !o.source.startsWith('last-changed:'));
  return accountable.length ? accountable : owners;
}

/** Admin-equivalent in the provider's own analysis (AWS effective permissions, GCP roles, a grant at admin level). */
export function isAdminEquivalent(identity: Identity): boolean {
  const effective = identity.attributes.effective as { adminEquivalent?: boolean; privilegeLevel?: string } | undefined;
  return effective?.adminEquivalent === true || effective?.privilegeLevel === 'admin' || identity.grants.some((g) => g.level === 'admin');
}

/** An active credential that never expires or lives for more than a year. */
export function isLongLived(credential: Credential, now: Date): boolean {
  if (credential.status !== 'active' || credential.secret) return false;
  if (!credential.expiresAt) return true;
  return Date.parse(credential.expiresAt) - now.getTime() > 365 * 86_400_000;
}

export function directoryOf(inventory: Inventory): PeopleDirectory {
  return new PeopleDirectory(inventory.people ?? []);
}

export function personOf(owner: Owner, directory: PeopleDirectory): Person | undefined {
  return (owner.personId ? directory.get(owner.personId) : undefined) ?? directory.find(owner.id);
}

export function ownerLabel(owner: Owner): string {
  return owner.displayName && owner.displayName !== owner.id ? `${owner.displayName} <${owner.id}>` : owner.id;
}

/** Credentials by identity id, for "does this identity hold a live long-lived credential". */
export function credentialsByIdentity(inventory: Inventory): Map<string, Credential[]> {
  const map = new Map<string, Credential[]>();
  for (const c of inventory.credentials) if (c.identityId) map.set(c.identityId, [...(map.get(c.identityId) ?? []), c]);
  return map;
}
