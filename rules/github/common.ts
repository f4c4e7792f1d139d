import type { Credential, Identity, Inventory } from '../../src/model/index.js';
import { isGithub, type GithubItem, type GithubKind } from '../../src/model/github.js';

export { KINDS, SECRET_KINDS } from '../../src/model/github.js';

/** GitHub credentials of `kinds`, their attributes typed by kind. */
export function githubCredentials<K extends GithubKind>(inventory: Inventory, kinds: readonly K[]): GithubItem<Credential, K>[] {
  return inventory.credentials.filter((c) => isGithub(c, kinds));
}

/** GitHub identities of `kinds`, their attributes typed by kind. */
export function githubIdentities<K extends GithubKind>(inventory: Inventory, kinds: readonly K[]): GithubItem<Identity, K>[] {
  return inventory.identities.filter((i) => isGithub(i, kinds));
}

/** GitHub's levels ordered: `read` < `write` < `admin`. */
export function isWriteOrAdmin(level: unknown): boolean {
  return level === 'write' || level === 'admin';
}
