/**
 * Humans are not non-human identities: an IAM user with a console password, an MFA device and no
 * active access key is a person signing in. Its rights are still analysed and reported, but it is
 * marked `human` so reports rank it after the workloads (a report never leads with a human admin).
 */
import type { AwsPrincipalAttributes } from '../model/aws.js';
import type { Identity, Inventory } from '../model/index.js';

export function isHumanUser(identity: Identity, activeKeyHolders: ReadonlySet<string>): boolean {
  if (identity.provider !== 'aws' || identity.kind !== 'iam-user') return false;
  const a = identity.attributes as Partial<AwsPrincipalAttributes>;
  return a.passwordEnabled === true && a.mfaActive === true && !activeKeyHolders.has(identity.id);
}

/** Sets `human` on every IAM user that is a person; returns how many. */
export function markHumans(inventory: Inventory): number {
  const holders = new Set<string>();
  for (const c of inventory.credentials)
    if (c.provider === 'aws' && c.kind === 'aws-access-key' && c.status === 'active' && c.identityId) holders.add(c.identityId);
  let count = 0;
  for (const identity of inventory.identities) {
    if (isHumanUser(identity, holders)) {
      identity.human = true;
      count++;
    }
  }
  return count;
}
