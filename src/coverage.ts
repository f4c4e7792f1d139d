/**
 * Which sources a finding came from, and whether a source was covered fully enough that a finding
 * gone from it can be called resolved. The one rule, shared by `--baseline` and the history store:
 * a finding is resolved only when it disappears from sources that were all fully covered; gone from
 * a source that was partial, failed, limited to a range (`--since`, `--range`) or not scanned at
 * all, its state is unknown.
 */
import type { Finding, Inventory } from './model/index.js';

/** What the resolution rule needs to know of a source's report. */
export interface SourceCoverageInput {
  spec: string;
  status: string;
  notCovered: unknown[];
}

/** Source spec → fully covered. */
export type Coverage = ReadonlyMap<string, boolean>;

/**
 * Fully covered: the source finished `ok` and reported nothing it could not look at. Any `notCovered`
 * part (a skipped file, an unreadable API, history outside `--since`) could be where the finding went,
 * so it never counts as proof of a fix.
 */
export function coverageOf(sources: readonly SourceCoverageInput[]): Coverage {
  return new Map(sources.map((s) => [s.spec, s.status === 'ok' && s.notCovered.length === 0]));
}

/**
 * Resource id → the source specs that reported it (the item's own source and, for secrets found in code,
 * every place's source). The lists are shared and must not be changed: resources reported by one source
 * (nearly all) share that source's one list, so a report of 50,000 resources makes a few lists rather
 * than one each, and what is derived from a list can be kept by the list (the history store's facts).
 */
export function sourcesByResource(inventory: Inventory): Map<string, readonly string[]> {
  const single = new Map<string, readonly string[]>();
  const byId = new Map<string, readonly string[]>();
  const add = (id: string, source: string | undefined) => {
    if (!source) return;
    const list = byId.get(id);
    if (!list) {
      let shared = single.get(source);
      if (!shared) single.set(source, (shared = [source]));
      byId.set(id, shared);
    } else if (!list.includes(source)) byId.set(id, [...list, source].sort());
  };
  for (const identity of inventory.identities) add(identity.id, identity.source);
  for (const credential of inventory.credentials) {
    add(credential.id, credential.source);
    for (const location of credential.locations ?? []) add(credential.id, location.source);
  }
  for (const resource of inventory.resources ?? []) add(resource.id, resource.source);
  return byId;
}

const NO_SOURCES: readonly string[] = [];

/** The sources of one finding; empty when its resource is not in the inventory (e.g. an expired suppression). */
export function sourcesOfFinding(finding: Finding, byResource: ReadonlyMap<string, readonly string[]>): readonly string[] {
  return byResource.get(finding.resource.id) ?? NO_SOURCES;
}

/**
 * Whether a finding last reported by `sources` and absent now is resolved. A finding of no known
 * source (one about the config itself) needs every source of this scan fully covered.
 */
export function goneMeansResolved(sources: readonly string[], coverage: Coverage): boolean {
  if (!sources.length) return coverage.size > 0 && [...coverage.values()].every(Boolean);
  return sources.every((spec) => coverage.get(spec) === true);
}
