/**
 * What findings share, kept once (schema 5): a finding's rule, category, severity, provider, resource
 * kind, owner, sources and suppression are one row of `finding_facts`, and the finding points to it.
 * An estate has far fewer of these than findings, so the catalogue is read whole at every recording,
 * and a finding is matched, compared and written with one number.
 */
import type { Column, Db } from './db.js';
import type { ScanFindings } from './scan-input.js';
import { FACTS_SEPARATOR, factsString, sourcesJson } from './transitions.js';

/**
 * `facts` (src/history/transitions.ts, factsOf) built by the database from a finding_facts row: the
 * string the recorder compares a scan's finding with. `||` and COALESCE are the same on both; only the
 * separator's function differs.
 */
export function factsSql(db: Db): string {
  const sep = db.dialect === 'postgres' ? 'chr(31)' : 'char(31)';
  return `severity || ${sep} || category || ${sep} || suppressed || ${sep} || sources || ${sep} || COALESCE('=' || owner, '-')`;
}

const FACT_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'int' },
  ...['rule_id', 'category', 'severity', 'provider', 'resource_kind', 'owner', 'sources'].map((name) => ({ name, type: 'text' as const })),
  { name: 'suppressed', type: 'int' },
];

export class FactsCatalog {
  /** Id → facts string (factsSql's), for the comparison with a scan's finding. */
  private readonly factsById = new Map<number, string>();
  /** Every column of a row, as one key → its id. */
  private readonly idByKey = new Map<string, number>();
  private readonly added: unknown[][] = [];
  private nextId = 1;
  /** The last finding interned and its key's parts: findings of one resource share owner and sources. */
  private lastSources: readonly string[] | undefined;
  private lastSourcesJson = '';

  static async load(db: Db): Promise<FactsCatalog> {
    const catalog = new FactsCatalog();
    const rows = await db.rows(`SELECT id, rule_id, provider, resource_kind, ${factsSql(db)} FROM finding_facts`);
    for (const [id, ruleId, provider, kind, facts] of rows) {
      const n = Number(id);
      catalog.factsById.set(n, facts as string);
      catalog.idByKey.set(keyOf(ruleId as string, provider as string, kind as string, facts as string), n);
      if (n >= catalog.nextId) catalog.nextId = n + 1;
    }
    return catalog;
  }

  /** The facts string of a stored finding's facts id. */
  facts(id: number): string {
    return this.factsById.get(id) ?? '';
  }

  /** The sources' JSON of finding `i` (the same array as the finding before it: built once). */
  sourcesJsonAt(findings: ScanFindings, i: number): string {
    const sources = findings.sources[i]!;
    if (sources !== this.lastSources) {
      this.lastSources = sources;
      this.lastSourcesJson = sourcesJson(sources);
    }
    return this.lastSourcesJson;
  }

  /** The id of finding `i`'s facts; a row not stored yet is added (written by `write`). */
  idOf(findings: ScanFindings, i: number): number {
    const f = findings.items[i]!;
    const owner = findings.owner[i]!;
    const sources = this.sourcesJsonAt(findings, i);
    const facts = factsString(f.severity, f.category, f.suppressed, sources, owner);
    const key = keyOf(f.ruleId, f.resource.provider, f.resource.kind, facts);
    let id = this.idByKey.get(key);
    if (id === undefined) {
      id = this.nextId++;
      this.idByKey.set(key, id);
      this.factsById.set(id, facts);
      this.added.push([id, f.ruleId, f.category, f.severity, f.resource.provider, f.resource.kind, owner, sources, f.suppressed ? 1 : 0]);
    }
    return id;
  }

  /** Writes the rows added since the catalogue was read. */
  async write(db: Db): Promise<void> {
    await db.insertMany('finding_facts', FACT_COLUMNS, this.added);
    this.added.length = 0;
  }
}

function keyOf(ruleId: string, provider: string, kind: string, facts: string): string {
  const s = FACTS_SEPARATOR;
  return `${ruleId}${s}${provider}${s}${kind}${s}${facts}`;
}
