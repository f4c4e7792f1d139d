/**
 * What findings share, kept once (schema 5): a finding's rule, category, severity, provider, resource
 * kind, owner, sources and suppression are one row of `finding_facts`, and the finding points to it.
 * An estate has far fewer of these than findings, so the catalogue is read whole at every recording,
 * and a finding is matched, compared and written with one number.
 */
import type { Column, Db } from './db.js';
import type { ScanFindings } from './scan-input.js';
import { NEW, sourcesJson, type FactsParts, type Present } from './transitions.js';

const FACT_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'int' },
  ...['rule_id', 'category', 'severity', 'provider', 'resource_kind', 'owner', 'sources'].map((name) => ({ name, type: 'text' as const })),
  { name: 'suppressed', type: 'int' },
];

function factsParts(severity: string, category: string, suppressed: number, sources: string, owner: string | null): FactsParts {
  return { severity, category, suppressed, sources, owner };
}

/** Facts ids by their parts, one map a part: finding the id of a finding's facts builds no key string. */
type Tree = Map<unknown, Tree | number>;

export class FactsCatalog {
  /** Id → the parts a scan's finding is compared with (and a store's first recording counts its new findings by). */
  readonly partsById: FactsParts[] = [];
  /** rule → provider → resource kind → severity → category → suppressed (0/1) → sources' JSON → owner → id. */
  private readonly ids: Tree = new Map();
  private readonly added: unknown[][] = [];
  private nextId = 1;
  /** A resource's findings share one sources array (src/coverage.ts): its JSON is built once. */
  private readonly sourcesJson = new Map<readonly string[], string>();
  private readonly parts: unknown[] = [];

  static async load(db: Db): Promise<FactsCatalog> {
    const catalog = new FactsCatalog();
    const rows = await db.rows(`SELECT id, rule_id, provider, resource_kind, severity, category, suppressed, sources, owner FROM finding_facts`);
    for (const row of rows) {
      const id = Number(row[0]);
      row[6] = Number(row[6]) ? 1 : 0;
      catalog.partsById[id] = factsParts(row[4] as string, row[5] as string, row[6] as number, row[7] as string, row[8] as string | null);
      catalog.leaf(row.slice(1, 9)).set(row[8], id);
      if (id >= catalog.nextId) catalog.nextId = id + 1;
    }
    return catalog;
  }

  /** The map of the last part (the owner) under `parts`' others, made as needed. */
  private leaf(parts: readonly unknown[]): Tree {
    let node = this.ids;
    for (let p = 0; p < parts.length - 1; p++) {
      let next = node.get(parts[p]) as Tree | undefined;
      if (!next) node.set(parts[p], (next = new Map()));
      node = next;
    }
    return node;
  }

  /** The parts of a stored finding's facts id; undefined for an id the catalogue does not hold. */
  partsOf(id: number): FactsParts | undefined {
    return this.partsById[id];
  }

  /** The id of finding `i`'s facts; a row not stored yet is added (written by `write`). */
  idOf(findings: ScanFindings, i: number): number {
    const f = findings.items[i]!;
    const owner = findings.owner[i]!;
    const sourceList = findings.sources[i]!;
    let sources = this.sourcesJson.get(sourceList);
    if (sources === undefined) this.sourcesJson.set(sourceList, (sources = sourcesJson(sourceList)));
    const suppressed = f.suppressed ? 1 : 0;
    const { resource } = f;
    // A known set's id by a chain of lookups, no array of parts and no loop: nearly every finding's. In a
    // fresh process (a store's first recording: 55,578 findings) the loop's steps cost more than its lookups.
    let node = this.ids.get(f.ruleId) as Tree | undefined;
    node = node?.get(resource.provider) as Tree | undefined;
    node = node?.get(resource.kind) as Tree | undefined;
    node = node?.get(f.severity) as Tree | undefined;
    node = node?.get(f.category) as Tree | undefined;
    node = node?.get(suppressed) as Tree | undefined;
    node = node?.get(sources) as Tree | undefined;
    const known = node?.get(owner) as number | undefined;
    if (known !== undefined) return known;
    const parts = this.parts;
    parts[0] = f.ruleId;
    parts[1] = f.resource.provider;
    parts[2] = f.resource.kind;
    parts[3] = f.severity;
    parts[4] = f.category;
    parts[5] = suppressed;
    parts[6] = sources;
    parts[7] = owner;
    const leaf = this.leaf(parts);
    let id = leaf.get(owner) as number | undefined;
    if (id === undefined) {
      leaf.set(owner, (id = this.nextId++));
      this.partsById[id] = factsParts(f.severity, f.category, suppressed, sources, owner);
      this.added.push([id, f.ruleId, f.category, f.severity, f.resource.provider, f.resource.kind, owner, sources, suppressed]);
    }
    return id;
  }

  /**
   * The facts id of every new finding, into `present.factsId`, once: the rows written and the scan's
   * statistics (which count a new facts set's findings together) both read it. Returns how many are new.
   */
  idsOfNew(present: Present): number {
    const { kind, factsId, findings } = present;
    let added = 0;
    for (let i = 0; i < kind.length; i++)
      if (kind[i] === NEW) {
        factsId[i] = this.idOf(findings, i);
        added++;
      }
    return added;
  }

  /** Writes the rows added since the catalogue was read. */
  async write(db: Db): Promise<void> {
    await db.insertMany('finding_facts', FACT_COLUMNS, this.added);
    this.added.length = 0;
  }
}
