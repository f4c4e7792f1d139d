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
 * The source lists of resources, shared and never to be changed: resources reported by one source
 * (nearly all) share that source's one list, so a report of 50,000 resources makes a few lists rather
 * than one each, and what is derived from a list can be kept by the list (the history store's facts).
 */
export class SourceLists {
  private readonly single = new Map<string, readonly string[]>();

  /** A resource's sources so far (undefined: none yet) with `source` added: the same list when it holds it already. */
  add(list: readonly string[] | undefined, source: string | undefined): readonly string[] | undefined {
    if (!source) return list;
    if (!list) {
      let shared = this.single.get(source);
      if (!shared) this.single.set(source, (shared = [source]));
      return shared;
    }
    return list.includes(source) ? list : [...list, source].sort();
  }
}

/**
 * Calls `visit` with every inventory item's id, source and owner (identities and credentials; resources
 * have none), and again with each place a credential was found in (its id and that place's source).
 */
export function forEachSourced(inventory: Inventory, visit: (id: string, source: string | undefined, owner: string | undefined) => void): void {
  // Indexed loops: run once per scan, they are not optimised, and an iterator allocates per item.
  const { identities, credentials } = inventory;
  const resources = inventory.resources ?? [];
  for (let i = 0; i < identities.length; i++) visit(identities[i]!.id, identities[i]!.source, identities[i]!.owner?.id);
  for (let i = 0; i < credentials.length; i++) {
    const credential = credentials[i]!;
    visit(credential.id, credential.source, credential.owner?.id);
    const locations = credential.locations ?? [];
    for (let l = 0; l < locations.length; l++) visit(credential.id, locations[l]!.source, undefined);
  }
  for (let i = 0; i < resources.length; i++) visit(resources[i]!.id, resources[i]!.source, undefined);
}

/**
 * Resource id → the source specs that reported it (the item's own source and, for secrets found in code,
 * every place's source), as SourceLists' shared lists.
 */
export function sourcesByResource(inventory: Inventory): Map<string, readonly string[]> {
  const lists = new SourceLists();
  const byId = new Map<string, readonly string[]>();
  forEachSourced(inventory, (id, source) => {
    if (!source) return;
    const list = byId.get(id);
    const added = lists.add(list, source)!;
    if (added !== list) byId.set(id, added);
  });
  return byId;
}

export const NO_SOURCES: readonly string[] = [];

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
