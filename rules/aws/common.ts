import type { Credential, Identity, Inventory } from '../../src/model/index.js';

/** Live AWS access keys the provider manages (not key ids found in code: the leak rules judge those). */
export function awsAccessKeys(inventory: Inventory): Credential[] {
  return inventory.credentials.filter((c) => c.provider === 'aws' && c.kind === 'aws-access-key' && !c.secret);
}

export function awsIdentities(inventory: Inventory, kind: 'iam-user' | 'iam-role' | 'iam-root'): Identity[] {
  return inventory.identities.filter((i) => i.provider === 'aws' && i.kind === kind && i.status !== 'deleted');
}

export function keyLabel(key: Credential): string {
  // Keys known only from the credential report have no id: name their slot instead.
  const id = key.attributes.accessKeyId ? String(key.attributes.accessKeyId) : `in slot ${key.attributes.slot ?? '?'}`;
  return `${id} of ${key.attributes.isRoot ? 'the root user' : `IAM user "${key.attributes.userName}"`}${key.scope ? ` (account ${key.scope})` : ''}`;
}
