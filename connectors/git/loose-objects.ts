/**
 * The ids of a repository's loose objects (its own and its alternates'), read from the `objects/xx/`
 * directories once. The in-commit-order listing names trees as well as blobs, and the pack layouts keep
 * only blobs: an id that no layout holds is a loose object (read by git) or else a packed tree or tag.
 * git packs loose objects once a few thousand pile up (gc.auto), so the set stays small.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { objectDirectories } from './pack/packed-objects.js';

export function looseObjectIds(gitDir: string): Set<string> {
  const ids = new Set<string>();
  for (const dir of objectDirectories(gitDir)) {
    for (let byte = 0; byte < 256; byte++) {
      const prefix = byte.toString(16).padStart(2, '0');
      let names: string[];
      try {
        names = readdirSync(join(dir, prefix));
      } catch {
        continue; // no object starts with these two digits
      }
      for (const name of names) if (/^[0-9a-f]{38}$/.test(name)) ids.add(prefix + name);
    }
  }
  return ids;
}
