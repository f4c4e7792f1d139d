/**
 * Service control policies over each scanned account, from the inventory's `aws-account` (where the
 * account sits: root, OUs) and `aws-scp` (policy, document, targets) resources. At every level from
 * the root down to the account some attached SCP must allow an action, and a Deny in any of them
 * removes it; the management account is not restricted by SCPs.
 */
import { createHash } from 'node:crypto';
import type { AwsAccountAttributes, AwsScpAttributes } from '../model/aws.js';
import type { Inventory, Resource } from '../model/index.js';
import type { ScpSet } from './evaluate.js';

function ofKind<T>(inventory: Inventory, kind: string): { resource: Resource; attrs: T }[] {
  return (inventory.resources ?? []).filter((r) => r.provider === 'aws' && r.kind === kind).map((resource) => ({ resource, attrs: resource.attributes as T }));
}

/** Account id → the SCPs over it, level by level. Accounts with no SCP in the inventory are absent. */
export function scpSetsByAccount(inventory: Inventory): Map<string, ScpSet> {
  const scps = ofKind<AwsScpAttributes>(inventory, 'aws-scp').filter((s) => s.attrs.document && Array.isArray(s.attrs.targets));
  const out = new Map<string, ScpSet>();
  if (!scps.length) return out;
  const byTarget = new Map<string, { resource: Resource; attrs: AwsScpAttributes }[]>();
  for (const s of scps) {
    for (const t of s.attrs.targets) {
      let list = byTarget.get(t);
      if (!list) byTarget.set(t, (list = []));
      list.push(s);
    }
  }
  const accounts = new Map<string, AwsAccountAttributes>();
  for (const { attrs } of ofKind<AwsAccountAttributes>(inventory, 'aws-account')) if (attrs.accountId) accounts.set(attrs.accountId, attrs);
  // Accounts named only as SCP targets still get the SCPs attached to them directly.
  for (const target of byTarget.keys()) if (/^\d{12}$/.test(target) && !accounts.has(target)) accounts.set(target, { accountId: target, parents: [] });
  for (const [accountId, account] of accounts) {
    if (account.managementAccount) continue;
    const levels = [...(account.parents ?? []), accountId]
      .map((id) => ({ label: id, documents: (byTarget.get(id) ?? []).map((s) => ({ name: s.resource.name, document: s.attrs.document })) }))
      // A level with no SCP in the inventory was not read (AWS requires one at every level): no cap.
      .filter((level) => level.documents.length > 0);
    if (!levels.length) continue;
    const h = createHash('sha1');
    for (const level of levels) {
      h.update(level.label);
      for (const d of level.documents) h.update('\u0000').update(d.name).update(JSON.stringify(d.document));
      h.update('\u0001');
    }
    out.set(accountId, { id: h.digest('base64url'), levels });
  }
  return out;
}
