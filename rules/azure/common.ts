/** Helpers shared by the Azure Key Vault rules. */
import type { Credential, Inventory } from '../../src/model/index.js';
import {
  isAzurePrincipal,
  isKeyVault,
  isKeyVaultItem,
  KIND_KEY,
  KIND_PRINCIPAL,
  KIND_SECRET,
  KIND_VAULT,
  type AzurePrincipal,
  type KeyVault,
  type KeyVaultItem,
} from '../../src/model/azure.js';

export { KIND_KEY, KIND_PRINCIPAL, KIND_SECRET, KIND_VAULT };
export const ITEM_KINDS = [KIND_SECRET, KIND_KEY];

export function vaults(inventory: Inventory): KeyVault[] {
  return inventory.identities.filter(isKeyVault);
}

/** Access-policy and role-assignment principals. */
export function azurePrincipals(inventory: Inventory): AzurePrincipal[] {
  return inventory.identities.filter(isAzurePrincipal);
}

/** Secrets and keys managed in a vault (never secrets found in code). */
export function vaultItems(inventory: Inventory): KeyVaultItem[] {
  return inventory.credentials.filter(isKeyVaultItem);
}

export function itemLabel(item: Credential): string {
  return `${item.kind === KIND_KEY ? 'Key' : 'Secret'} "${item.name}"`;
}

/** CIS Azure 5.0 8.3.1-8.3.4 split the expiry controls by item type and vault permission model. */
export function expiryCisControl(item: KeyVaultItem): string {
  const rbac = item.attributes.vaultRbac;
  if (item.kind === KIND_KEY) return rbac ? 'CIS Azure 8.3.1' : 'CIS Azure 8.3.2';
  return rbac ? 'CIS Azure 8.3.3' : 'CIS Azure 8.3.4';
}
