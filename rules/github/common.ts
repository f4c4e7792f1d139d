import type { Credential, Identity, Inventory } from '../../src/model/index.js';
import { GITHUB_PROVIDER } from '../../src/model/github.js';

export { KINDS, SECRET_KINDS } from '../../src/model/github.js';

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
