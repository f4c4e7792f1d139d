import type { Inventory } from '../../src/model/index.js';
import { isAwsAccessKey, isAwsPrincipal, type AwsAccessKey, type AwsPrincipal, type AwsPrincipalKind } from '../../src/model/aws.js';

/** Live AWS access keys the provider manages (not key ids found in code: the leak rules judge those). */
export function awsAccessKeys(inventory: Inventory): AwsAccessKey[] {
  return inventory.credentials.filter((c): c is AwsAccessKey => isAwsAccessKey(c) && !c.secret);
}

export function awsIdentities<K extends AwsPrincipalKind>(inventory: Inventory, kind: K): AwsPrincipal<K>[] {
  return inventory.identities.filter((i): i is AwsPrincipal<K> => isAwsPrincipal(i, [kind]) && i.status !== 'deleted');
}

export function keyLabel(key: AwsAccessKey): string {
  // Keys known only from the credential report have no id: name their slot instead.
  const a = key.attributes;
  const id = a.accessKeyId ? a.accessKeyId : `in slot ${a.slot ?? '?'}`;
  return `${id} of ${a.isRoot ? 'the root user' : `IAM user "${a.userName}"`}${key.scope ? ` (account ${key.scope})` : ''}`;
}
