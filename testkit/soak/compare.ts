/**
 * The fault soak's verdict: a faulted collection against the fault-free one of the same estate.
 *
 * Every entity (identity, credential, resource, person) of the fault-free inventory is
 * - `equal`: present in the faulted inventory with the same content (arrays compared as sets: concurrent
 *   requests may finish in any order);
 * - `explained`: missing or different, and a `notCovered` entry of the faulted run covers it (the
 *   connector's `covers` says which entities a part name stands for: its scope, kind or parent);
 * - `unexplained`: missing or different with nothing saying so. A bug.
 * An entity only the faulted run has is unexplained too. Every `notCovered` entry the faults caused must
 * come with a source error naming the same part (the connector saw that read fail, it did not guess);
 * one without is `unbacked`. Entries that cover only entities that came through equal (`unchanged`: the
 * read failed, but what it would have returned was empty, such as a repository without CODEOWNERS) or
 * none at all (`empty`: a repository-level workflow token that does not exist) are counted, not failed.
 * A faulted run that reports `ok` with a `notCovered` entry is inconsistent. Parts the fault-free run
 * also names are left out: they are not the faults' doing.
 */
import type { CollectResult } from '../../src/plugin.js';

/** The part a source that failed outright stands for: all of it. */
export const WHOLE_SOURCE = '(the whole source)';

export type Entity = { id: string; kind: string; scope?: string } & Record<string, unknown>;

/** Does this `notCovered` part name cover this entity? */
export type Covers = (part: string, entity: Entity) => boolean;

export interface SoakVerdict {
  entities: number;
  equal: number;
  explained: number;
  unexplained: { id: string; why: 'missing' | 'different' | 'extra'; detail?: string }[];
  notCovered: number;
  unbacked: string[];
  unchanged: string[];
  empty: string[];
  statusConsistent: boolean;
}

export function entitiesOf(result: CollectResult): Map<string, Entity> {
  const all = [
    ...result.identities,
    ...result.credentials,
    ...(result.resources ?? []),
    ...((result.people ?? []).map((p) => ({ ...p, kind: 'person' })) as Entity[]),
  ];
  return new Map(all.map((e) => [`${e.kind}:${e.id}`, e as unknown as Entity]));
}

/** JSON with object keys sorted and arrays sorted by their canonical text: equal content, whatever the order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (canonical(a) === canonical(b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path || '.'}: ${canonical(a).slice(0, 120)} → ${canonical(b).slice(0, 120)}`;
}

export function compareRuns(clean: CollectResult, faulted: CollectResult, covers: Covers): SoakVerdict {
  const before = entitiesOf(clean);
  const after = entitiesOf(faulted);
  // Parts the fault-free run could not read either (an endpoint the credential may not call) are not the faults' doing.
  const always = new Set((clean.notCovered ?? []).map((n) => n.part));
  const parts = (faulted.notCovered ?? []).map((n) => n.part).filter((p) => !always.has(p));
  const failedParts = new Set([...(faulted.errors ?? []).map((e) => e.part), WHOLE_SOURCE]);
  const coveredBy = new Map(parts.map((p) => [p, { covered: 0, changed: 0 }]));
  const verdict: SoakVerdict = {
    entities: before.size,
    equal: 0,
    explained: 0,
    unexplained: [],
    notCovered: parts.length,
    unbacked: [],
    unchanged: [],
    empty: [],
    statusConsistent: parts.length === 0 || faulted.status !== 'ok',
  };
  for (const [key, entity] of before) {
    const other = after.get(key);
    const same = other !== undefined && canonical(entity) === canonical(other);
    const claims = parts.filter((p) => covers(p, entity));
    for (const p of claims) {
      const c = coveredBy.get(p)!;
      c.covered++;
      if (!same) c.changed++;
    }
    if (same) verdict.equal++;
    else if (claims.length) verdict.explained++;
    else verdict.unexplained.push({ id: key, why: other ? 'different' : 'missing', ...(other ? { detail: firstDifference(entity, other) } : {}) });
  }
  for (const key of after.keys()) if (!before.has(key)) verdict.unexplained.push({ id: key, why: 'extra' });
  for (const [part, c] of coveredBy) {
    if (c.covered === 0) verdict.empty.push(part);
    else if (c.changed === 0) verdict.unchanged.push(part);
    if (!failedParts.has(part)) verdict.unbacked.push(part);
  }
  return verdict;
}
