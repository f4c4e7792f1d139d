/** Helpers shared by the Entra rules: typed views of the inventory (src/model/entra.ts). */
import type { Credential, Identity, Inventory } from '../../src/model/index.js';
import {
  applicationAttributes,
  entraCredentialAttributes,
  isEntraApplication,
  isEntraCredential,
  isEntraServicePrincipal,
  KIND_APPLICATION,
  KIND_CERTIFICATE,
  KIND_CLIENT_SECRET,
  KIND_SERVICE_PRINCIPAL,
  servicePrincipalAttributes,
  type EntraApplicationAttributes,
  type EntraCredentialAttributes,
  type EntraOwner,
  type EntraServicePrincipalAttributes,
} from '../../src/model/entra.js';

export { KIND_APPLICATION, KIND_CERTIFICATE, KIND_CLIENT_SECRET, KIND_SERVICE_PRINCIPAL };
export const ENTRA_CREDENTIAL_KINDS = [KIND_CLIENT_SECRET, KIND_CERTIFICATE];
export const ENTRA_IDENTITY_KINDS = [KIND_APPLICATION, KIND_SERVICE_PRINCIPAL];

export interface AppView {
  identity: Identity;
  attrs: EntraApplicationAttributes;
}
export interface SpView {
  identity: Identity;
  attrs: EntraServicePrincipalAttributes;
}
export interface CredentialView {
  credential: Credential;
  attrs: EntraCredentialAttributes;
}

export function applications(inventory: Inventory): AppView[] {
  return inventory.identities.filter(isEntraApplication).map((identity) => ({ identity, attrs: applicationAttributes(identity) }));
}

export function servicePrincipals(inventory: Inventory): SpView[] {
  return inventory.identities.filter(isEntraServicePrincipal).map((identity) => ({ identity, attrs: servicePrincipalAttributes(identity) }));
}

export function entraCredentials(inventory: Inventory): CredentialView[] {
  return inventory.credentials.filter(isEntraCredential).map((credential) => ({ credential, attrs: entraCredentialAttributes(credential) }));
}

/** Credentials grouped by the application (appId) they authenticate, wherever they are held. */
export function credentialsByAppId(inventory: Inventory): Map<string, CredentialView[]> {
  const out = new Map<string, CredentialView[]>();
  for (const view of entraCredentials(inventory)) {
    const key = view.attrs.appId.toLowerCase();
    out.set(key, [...(out.get(key) ?? []), view]);
  }
  return out;
}

export function credentialLabel(view: CredentialView): string {
  const what = view.credential.kind === KIND_CLIENT_SECRET ? 'Client secret' : 'Certificate';
  return `${what} "${view.attrs.displayName ?? view.attrs.keyId}" of ${view.attrs.on === 'servicePrincipal' ? 'service principal' : 'application'} "${view.credential.name.split('/')[0]}"`;
}

export function ownerLabel(owner: EntraOwner): string {
  return owner.userPrincipalName ?? owner.displayName ?? owner.id;
}
