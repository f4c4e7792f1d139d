/**
 * Reading access-policy grants back out of `azure-principal` identities: one grant per permission
 * category, actions written `category/permission` (see connectors/azure/normalise.ts).
 */
import type { Identity } from '../../src/model/index.js';

export type Category = 'keys' | 'secrets' | 'certificates' | 'storage';

/**
 * Every permission a category had before the newest additions: holding all of them is "all
 * permissions" even when the literal `all` was not used (the portal's "select all" and Microsoft's
 * own examples write them out).
 */
export const FULL_PERMISSION_SETS: Record<Category, string[]> = {
  keys: [
    'encrypt',
    'decrypt',
    'wrapkey',
    'unwrapkey',
    'sign',
    'verify',
    'get',
    'list',
    'create',
    'update',
    'import',
    'delete',
    'backup',
    'restore',
    'recover',
    'purge',
  ],
  secrets: ['get', 'list', 'set', 'delete', 'backup', 'restore', 'recover', 'purge'],
  certificates: [
    'get',
    'list',
    'delete',
    'create',
    'import',
    'update',
    'managecontacts',
    'getissuers',
    'listissuers',
    'setissuers',
    'deleteissuers',
    'manageissuers',
    'recover',
    'purge',
  ],
  storage: ['get', 'list', 'delete', 'set', 'update', 'regeneratekey', 'recover', 'purge', 'backup', 'restore', 'setsas', 'listsas', 'getsas', 'deletesas'],
};

/** vault resource id → category → permissions (lower case), from a principal's grants. */
export function permissionsByVault(principal: Identity): Map<string, Map<Category, Set<string>>> {
  const out = new Map<string, Map<Category, Set<string>>>();
  for (const grant of principal.grants) {
    if (grant.effect === 'deny' || !grant.via?.startsWith('access-policy')) continue;
    const byCategory = out.get(grant.resource) ?? new Map<Category, Set<string>>();
    for (const action of grant.actions) {
      const [category, permission] = action.toLowerCase().split('/') as [Category, string];
      if (!permission || !(category in FULL_PERMISSION_SETS)) continue;
      const set = byCategory.get(category) ?? new Set<string>();
      set.add(permission);
      byCategory.set(category, set);
    }
    out.set(grant.resource, byCategory);
  }
  return out;
}

export function hasAll(category: Category, permissions: Set<string>): boolean {
  return permissions.has('all') || FULL_PERMISSION_SETS[category].every((p) => permissions.has(p));
}

/** Can read secret values: `get` (or `all`). */
export function canReadSecrets(permissions: Set<string> | undefined): boolean {
  return !!permissions && (permissions.has('get') || permissions.has('all'));
}
