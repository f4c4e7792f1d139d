/**
 * The tenant's users as people (never as identities): who is still around, for the ownership join.
 * A deleted user (kept 30 days in `deletedItems`) or a disabled account is someone who left; the date
 * it was deleted is when.
 */
import { personId, type Person } from '../../src/model/index.js';
import type { EntraSnapshot, GraphUser } from './snapshot.js';

/** Entra renames a deleted user's UPN to its object id (without hyphens) followed by the original UPN. */
function originalUpn(user: GraphUser): string | undefined {
  const upn = typeof user.userPrincipalName === 'string' ? user.userPrincipalName.trim().toLowerCase() : undefined;
  if (!upn) return undefined;
  const prefix = user.id.replace(/-/g, '').toLowerCase();
  return upn.startsWith(prefix) && upn.length > prefix.length ? upn.slice(prefix.length) : upn;
}

function personOfUser(user: GraphUser, deleted: boolean, source: string): Person | undefined {
  const upn = originalUpn(user);
  const mail = typeof user.mail === 'string' ? user.mail.trim().toLowerCase() || undefined : undefined;
  const primary = mail ?? upn;
  if (!primary) return undefined;
  const aliases = [
    ...new Set([upn, ...(Array.isArray(user.otherMails) ? user.otherMails : []).filter((m) => typeof m === 'string').map((m) => m.trim().toLowerCase())]),
  ].filter((h): h is string => !!h && h !== primary);
  const status: Person['status'] = deleted || user.accountEnabled === false ? 'departed' : user.accountEnabled === true ? 'active' : 'unknown';
  return {
    id: personId(primary),
    email: primary,
    aliases,
    ...(typeof user.displayName === 'string' && user.displayName ? { name: user.displayName } : {}),
    status,
    ...(deleted && typeof user.deletedDateTime === 'string' ? { endDate: user.deletedDateTime } : {}),
    sources: [source],
  };
}

/** A list from an imported snapshot may be anything: only objects with a string id are users. */
function usersIn(list: unknown): GraphUser[] {
  return Array.isArray(list) ? list.filter((u): u is GraphUser => !!u && typeof u === 'object' && typeof (u as GraphUser).id === 'string') : [];
}

/** Users and deleted users of the snapshot, as people (none when the snapshot did not read them). */
export function peopleOfSnapshot(snapshot: EntraSnapshot, source: string): Person[] {
  return [
    ...usersIn(snapshot.users).map((u) => personOfUser(u, false, source)),
    ...usersIn(snapshot.deletedUsers).map((u) => personOfUser(u, true, source)),
  ].filter((p): p is Person => !!p);
}
