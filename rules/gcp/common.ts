/** Helpers shared by the Google Cloud rules: they read src/model/gcp.ts and what src/gcp-iam derives. */
import type { Credential, Identity, Inventory } from '../../src/model/index.js';
import { gcpKeyAttributes, gcpKeys, gcpServiceAccountAttributes, gcpServiceAccounts } from '../../src/model/gcp.js';

/** Keys a customer created and must look after (system-managed keys are Google's, rotated by Google). */
export function userManagedKeys(inventory: Inventory): Credential[] {
  return gcpKeys(inventory).filter((k) => gcpKeyAttributes(k).keyType === 'USER_MANAGED');
}

/**
 * Enabled user-managed keys of enabled accounts: what can authenticate today. Keys of a disabled
 * account are judged once, by gcp-disabled-account-enabled-keys.
 */
export function liveUserManagedKeys(inventory: Inventory): Credential[] {
  const disabled = new Set(
    gcpServiceAccounts(inventory)
      .filter((a) => a.status !== 'active')
      .map((a) => a.id),
  );
  return userManagedKeys(inventory).filter((k) => k.status === 'active' && !(k.identityId && disabled.has(k.identityId)));
}

/** Customer service accounts (not Google's service agents). */
export function customerAccounts(inventory: Inventory): Identity[] {
  return gcpServiceAccounts(inventory).filter((a) => !gcpServiceAccountAttributes(a).providerManaged);
}

/** Active user-managed keys of each account, by account id. */
export function activeKeysByAccount(inventory: Inventory): Map<string, Credential[]> {
  const map = new Map<string, Credential[]>();
  for (const key of userManagedKeys(inventory)) {
    if (key.status !== 'active' || !key.identityId) continue;
    map.set(key.identityId, [...(map.get(key.identityId) ?? []), key]);
  }
  return map;
}

export function keyLabel(key: Credential): string {
  const a = gcpKeyAttributes(key);
  return `${a.keyId.slice(0, 12)}… of ${a.serviceAccountEmail}`;
}

export const GCP_KEY_KINDS = ['gcp-service-account-key'];
export const GCP_ACCOUNT_KINDS = ['gcp-service-account'];
