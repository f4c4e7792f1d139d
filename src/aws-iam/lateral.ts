/**
 * Data and credential access of a principal, for lateral reach: a role that is no more privileged
 * than the principal but reads data or credentials it cannot is still worth taking over.
 */
import type { ActionCatalog } from './catalog.js';
import { isConditional, type EffectiveAccess } from './evaluate.js';
import { SENSITIVE_ACTIONS } from './sensitive-actions.js';

/** sts:AssumeRole is an edge of the chain search, not data: it would make every role "lateral". */
const DATA_ACTIONS = SENSITIVE_ACTIONS.map((s) => s.action).filter((a) => a !== 'sts:AssumeRole');

export interface DataAccess {
  /** Action → resource patterns it is allowed on without conditions. */
  map: Map<string, string[]>;
  /** Content key (same key, same access). */
  key: string;
}

export function dataAccessOf(access: EffectiveAccess, catalog: ActionCatalog): DataAccess {
  const map = new Map<string, string[]>();
  for (const action of DATA_ACTIONS) {
    const id = catalog.byName.get(action.toLowerCase());
    const grants = id === undefined ? undefined : access.allowed.get(id);
    if (!grants) continue;
    const resources = new Set<string>();
    for (const g of grants) {
      if (isConditional(g)) continue;
      for (const r of g.notResources?.length ? ['*'] : g.resources) resources.add(r);
    }
    if (resources.size) map.set(action, [...resources].sort());
  }
  const key = [...map].map(([a, r]) => `${a}=${r.join(',')}`).join(';');
  return { map, key };
}
