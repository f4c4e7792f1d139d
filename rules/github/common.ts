import type { Credential, Identity, Inventory } from '../../src/model.js';
import { GITHUB_PROVIDER } from '../../connectors/github/attributes.js';

export { KINDS, SECRET_KINDS } from '../../connectors/github/attributes.js';

export function githubCredentials(inventory: Inventory, kinds: string[]): Credential[] {
  return inventory.credentials.filter((c) => c.provider === GITHUB_PROVIDER && kinds.includes(c.kind));
}

export function githubIdentities(inventory: Inventory, kinds: string[]): Identity[] {
  return inventory.identities.filter((i) => i.provider === GITHUB_PROVIDER && kinds.includes(i.kind));
}

/** GitHub's levels ordered: `read` < `write` < `admin`. */
export function isWriteOrAdmin(level: unknown): boolean {
  return level === 'write' || level === 'admin';
}
