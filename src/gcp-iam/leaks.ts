/**
 * Leak correlation for Google Cloud (order 90, after the analysis): a service-account JSON key found
 * in code carries its `private_key_id` and `client_email` (decoded by the secrets engine, never the key
 * itself). The key id is matched to the live key, the email to the account, so the leak names whether
 * the key still works, the account's roles and the chain it can escalate through.
 */
import type { Credential, Inventory } from '../model/index.js';
import { gcpKeyAttributes, gcpKeys, gcpServiceAccountAttributes, gcpServiceAccounts, type GcpLeakMatchAttributes } from '../model/gcp.js';

export function leakedGcpKeyOf(credential: Credential): { keyId?: string; email?: string } | undefined {
  if (credential.kind !== 'leaked-secret' || credential.secret?.detector !== 'gcp-service-account-key') return undefined;
  const decoded = credential.secret.decoded ?? {};
  const keyId = typeof decoded.privateKeyId === 'string' ? decoded.privateKeyId : undefined;
  const email = typeof decoded.clientEmail === 'string' ? decoded.clientEmail : undefined;
  return keyId || email ? { keyId, email } : undefined;
}

export function correlateGcpLeaks(inventory: Inventory): number {
  const keys = new Map(gcpKeys(inventory).map((k) => [k.nativeId, k]));
  const accounts = new Map(gcpServiceAccounts(inventory).map((a) => [a.nativeId, a]));
  if (!keys.size && !accounts.size) return 0;
  let matched = 0;
  for (const leaked of inventory.credentials) {
    const ref = leakedGcpKeyOf(leaked);
    if (!ref) continue;
    const key = ref.keyId ? keys.get(ref.keyId) : undefined;
    const account = accounts.get(key ? gcpKeyAttributes(key).serviceAccountEmail : (ref.email ?? ''));
    if (!key && !account) continue;
    matched++;
    const effective = account ? gcpServiceAccountAttributes(account).effective : undefined;
    const match: Partial<GcpLeakMatchAttributes> & { gcpKeyNotFound?: boolean } = {
      ...(key ? { gcpMatchedKeyId: key.id, gcpMatchedKeyStatus: key.status } : { gcpKeyNotFound: true }),
      ...(account ? { gcpServiceAccount: account.name } : {}),
      ...(effective ? { gcpPrivilegeLevel: effective.privilegeLevel, gcpAdminRoles: effective.adminRoles } : {}),
    };
    Object.assign(leaked.attributes, match);
    if (account) leaked.identityId = account.id;
    if (key) {
      const attrs = gcpKeyAttributes(key);
      if (!(attrs.leakedAs ?? []).includes(leaked.id)) attrs.leakedAs = [...(attrs.leakedAs ?? []), leaked.id];
    }
  }
  return matched;
}
