/**
 * Runs on the merged inventory, before owners and analysis: when a credential report and a
 * list-access-keys export (or several sources) describe the same keys, it
 * - links keys listed without an ARN to their IAM user (same account and user name), and
 * - folds a report-slot key (no key id, see `idFromReportSlot`) into the listed key of the same user
 *   created at the same second, keeping the report's last-use facts and the listing's id and status.
 */
import type { Identity } from '../../src/model/index.js';
import { isAwsAccessKey, isAwsPrincipal, type AwsAccessKey } from '../../src/model/aws.js';
import type { Enricher } from '../../src/plugin.js';

export const awsKeyReconciler: Enricher = {
  id: 'aws-access-key-reconciler',
  order: 5,
  enrich(inventory) {
    const keys = inventory.credentials.filter(isAwsAccessKey);
    if (!keys.length) return;
    linkUsers(keys, inventory.identities);
    const folded = foldSlots(keys);
    if (folded.size) inventory.credentials = inventory.credentials.filter((c) => !(isAwsAccessKey(c) && folded.has(c)));
  },
};

function linkUsers(keys: AwsAccessKey[], identities: Identity[]): void {
  const users = identities.filter((i) => isAwsPrincipal(i, ['iam-user']));
  const byAccountAndName = new Map(users.map((u) => [`${u.scope ?? ''}/${u.name}`, u]));
  const byName = new Map<string, Identity[]>();
  for (const u of users) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
  for (const key of keys) {
    if (key.identityId) continue;
    const attrs = key.attributes;
    if (!attrs.userName) continue;
    const user =
      (attrs.accountId ? byAccountAndName.get(`${attrs.accountId}/${attrs.userName}`) : undefined) ??
      (byName.get(attrs.userName)?.length === 1 ? byName.get(attrs.userName)![0] : undefined);
    if (!user) continue;
    key.identityId = user.id;
    key.scope ??= user.scope;
    if (!attrs.accountId && user.scope) attrs.accountId = user.scope;
  }
}

function foldSlots(keys: AwsAccessKey[]): Set<AwsAccessKey> {
  const folded = new Set<AwsAccessKey>();
  const byUser = new Map<string, AwsAccessKey[]>();
  for (const key of keys) if (key.identityId) byUser.set(key.identityId, [...(byUser.get(key.identityId) ?? []), key]);
  for (const userKeys of byUser.values()) {
    const slots = userKeys.filter((k) => k.attributes.idFromReportSlot);
    const listed = userKeys.filter((k) => !k.attributes.idFromReportSlot && !slotTaken(k));
    if (!slots.length || !listed.length) continue;
    const unmatched: AwsAccessKey[] = [];
    for (const slot of slots) {
      const i = listed.findIndex((k) => sameSecond(k.createdAt, slot.createdAt));
      if (i >= 0) fold(slot, listed.splice(i, 1)[0]!, folded);
      else unmatched.push(slot);
    }
    if (unmatched.length === 1 && listed.length === 1) fold(unmatched[0]!, listed[0]!, folded);
  }
  return folded;
}

function slotTaken(key: AwsAccessKey): boolean {
  return typeof key.attributes.slot === 'number';
}

function fold(slot: AwsAccessKey, listed: AwsAccessKey, folded: Set<AwsAccessKey>): void {
  const from = slot.attributes;
  const to = listed.attributes;
  listed.lastUsedAt ??= slot.lastUsedAt;
  to.slot ??= from.slot;
  to.lastUsedService ??= from.lastUsedService;
  to.lastUsedRegion ??= from.lastUsedRegion;
  folded.add(slot);
}

function sameSecond(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}
