/**
 * Owner resolution from tags: the first configured owner tag key (default `owner`, `Owner`, `team`,
 * `contact`) present on an identity or credential becomes its owner, unless a connector already
 * resolved a better one (CODEOWNERS, the person who added a key).
 */
import type { Owner } from '../model/index.js';
import type { Enricher } from '../plugin.js';

export function ownerFromTags(tags: Record<string, string>, keys: string[]): Owner | undefined {
  for (const key of keys) {
    const value = tags[key]?.trim();
    if (!value) continue;
    const kind: Owner['kind'] = value.includes('@') ? 'email' : key.toLowerCase() === 'team' ? 'team' : 'unknown';
    return { id: value, kind, source: `tag:${key}` };
  }
  return undefined;
}

export const ownerEnricher: Enricher = {
  id: 'owners-from-tags',
  order: 10,
  enrich(inventory, { config }) {
    for (const item of [...inventory.identities, ...inventory.credentials]) {
      if (!item.owner) item.owner = ownerFromTags(item.tags, config.ownerTagKeys);
    }
  },
};
