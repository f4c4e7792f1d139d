/** Helpers shared by the Azure Key Vault rules. */
import type { Credential, Identity, Inventory } from '../../src/model/index.js';
import { KIND_KEY, KIND_PRINCIPAL, KIND_SECRET, KIND_VAULT, type KeyVaultAttributes, type KeyVaultItemAttributes } from '../../src/model/azure.js';

export { KIND_KEY, KIND_PRINCIPAL, KIND_SECRET, KIND_VAULT };
export const ITEM_KINDS = [KIND_SECRET, KIND_KEY];

export function vaults(inventory: Inventory): Identity[] {
  return inventory.identities.filter((i) => i.provider === 'azure' && i.kind === KIND_VAULT);
}

export function vaultAttributes(vault: Identity): KeyVaultAttributes {
  return vault.attributes as unknown as KeyVaultAttributes;
}

/** Secrets and keys managed in a vault (never secrets found in code). */
export function vaultItems(inventory: Inventory): Credential[] {
  return inventory.credentials.filter((c) => c.provider === 'azure' && ITEM_KINDS.includes(c.kind) && !c.secret);
}

export function itemAttributes(item: Credential): KeyVaultItemAttributes {
  return item.attributes as unknown as KeyVaultItemAttributes;
}

export function itemLabel(item: Credential): string {
  return `${item.kind === KIND_KEY ? 'Key' : 'Secret'} "${item.name}"`;
}

/** CIS Azure 5.0 8.3.1-8.3.4 split the expiry controls by item type and vault permission model. */
export function expiryCisControl(item: Credential): string {
  const rbac = itemAttributes(item).vaultRbac;
  if (item.kind === KIND_KEY) return rbac ? 'CIS Azure 8.3.1' : 'CIS Azure 8.3.2';
  return rbac ? 'CIS Azure 8.3.3' : 'CIS Azure 8.3.4';
}
