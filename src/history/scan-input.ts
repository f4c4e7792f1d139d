/**
 * What the history store records of one scan, taken from the report: its time, sources with their
 * coverage, tool version and rule-configuration hash, every present finding (fingerprint, severity,
 * category, rule, resource, owner, sources) and inventory counts by provider, kind and owner state.
 */
import { createHash } from 'node:crypto';
import { coverageOf, sourcesByResource, sourcesOfFinding } from '../coverage.js';
import type { Category, Credential, Identity, Owner, Resource, Severity } from '../model/index.js';
import type { ScanReport } from '../report-model.js';

export interface FindingInput {
  fingerprint: string;
  ruleId: string;
  category: Category;
  severity: Severity;
  provider: string;
  resourceKind: string;
  resourceId: string;
  resourceName: string;
  /** The resource's owner (id), when one is known. */
  owner: string | null;
  /** The sources that reported the resource; empty when the finding is about no collected item. */
  sources: string[];
  suppressed: boolean;
}

/**
 * A scan's findings as parallel columns, index i being one finding: the recorder's cost is per finding,
 * and an object per finding (and the garbage collector's copying of it) was most of it.
 */
export interface FindingColumns {
  readonly length: number;
  readonly fingerprint: readonly string[];
  readonly ruleId: readonly string[];
  readonly category: readonly Category[];
  readonly severity: readonly Severity[];
  readonly provider: readonly string[];
  readonly resourceKind: readonly string[];
  readonly resourceId: readonly string[];
  readonly resourceName: readonly string[];
  readonly owner: ReadonlyArray<string | null>;
  readonly sources: ReadonlyArray<readonly string[]>;
  /** 1 when suppressed. */
  readonly suppressed: Uint8Array;
}

/** FindingColumns being filled. */
interface ColumnsBuilder extends FindingColumns {
  length: number;
  fingerprint: string[];
  ruleId: string[];
  category: Category[];
  severity: Severity[];
  provider: string[];
  resourceKind: string[];
  resourceId: string[];
  resourceName: string[];
  owner: Array<string | null>;
  sources: Array<readonly string[]>;
}

function columnsBuilder(capacity: number): ColumnsBuilder {
  return {
    length: 0,
    fingerprint: [],
    ruleId: [],
    category: [],
    severity: [],
    provider: [],
    resourceKind: [],
    resourceId: [],
    resourceName: [],
    owner: [],
    sources: [],
    suppressed: new Uint8Array(capacity),
  };
}

/** Appends one finding's own fields; pushResource appends its resource's. */
function append(
  c: ColumnsBuilder,
  f: { fingerprint: string; ruleId: string; category: Category; severity: Severity },
  owner: string | null,
  sources: readonly string[],
  suppressed: boolean,
) {
  c.fingerprint.push(f.fingerprint);
  c.ruleId.push(f.ruleId);
  c.category.push(f.category);
  c.severity.push(f.severity);
  c.owner.push(owner);
  c.sources.push(sources);
  c.suppressed[c.length++] = suppressed ? 1 : 0;
}

function pushResource(c: ColumnsBuilder, provider: string, kind: string, id: string, name: string) {
  c.provider.push(provider);
  c.resourceKind.push(kind);
  c.resourceId.push(id);
  c.resourceName.push(name);
}

/** FindingInput objects (tests, benches, hand-built inputs) as columns. */
export function findingColumns(findings: readonly FindingInput[]): FindingColumns {
  const c = columnsBuilder(findings.length);
  for (const f of findings) {
    append(c, f, f.owner, f.sources, f.suppressed);
    pushResource(c, f.provider, f.resourceKind, f.resourceId, f.resourceName);
  }
  return c;
}

/** Finding `i` of the columns as one object (for the few findings written or compared one by one). */
export function findingAt(c: FindingColumns, i: number): FindingInput {
  return {
    fingerprint: c.fingerprint[i]!,
    ruleId: c.ruleId[i]!,
    category: c.category[i]!,
    severity: c.severity[i]!,
    provider: c.provider[i]!,
    resourceKind: c.resourceKind[i]!,
    resourceId: c.resourceId[i]!,
    resourceName: c.resourceName[i]!,
    owner: c.owner[i]!,
    sources: [...c.sources[i]!],
    suppressed: c.suppressed[i] === 1,
  };
}

export interface SourceInput {
  spec: string;
  status: string;
  fullyCovered: boolean;
  notCovered: { part: string; reason: string }[];
}

export type OwnerState = 'owned' | 'departed' | 'unowned';

export interface InventoryCount {
  provider: string;
  kind: string;
  ownerState: OwnerState;
  count: number;
}

export interface ScanInput {
  /** The scan's reference time (`--now`, else when it started): ages and times to fix are measured on it. */
  at: string;
  startedAt: string;
  finishedAt: string;
  toolVersion: string;
  rulesHash: string;
  sources: SourceInput[];
  /** Findings present in this scan (a baseline's resolved findings are not). */
  findings: FindingColumns;
  inventory: InventoryCount[];
}

/** A stable hash of the resolved rule configuration (which rules ran, at which severity, with which options). */
export function rulesHashOf(rules: Array<{ id: string; enabled: boolean; severity: string; options: unknown }>): string {
  const canonical = JSON.stringify(
    [...rules].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, r.enabled, r.severity, r.options]),
    (_key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value,
  );
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

export function ownerStateOf(owner: Owner | undefined): OwnerState {
  if (!owner) return 'unowned';
  return owner.active === false ? 'departed' : 'owned';
}

function inventoryCounts(lists: Array<ReadonlyArray<Identity | Credential | Resource>>): InventoryCount[] {
  const counts = new Map<string, InventoryCount>();
  // Items of one kind come together: the last entry saves building a key for most of them.
  let last: InventoryCount | undefined;
  for (const items of lists)
    for (const item of items) {
      const ownerState = ownerStateOf('owner' in item ? item.owner : undefined);
      if (last && last.kind === item.kind && last.ownerState === ownerState && last.provider === item.provider) {
        last.count++;
        continue;
      }
      const key = `${item.provider}\0${item.kind}\0${ownerState}`;
      last = counts.get(key);
      if (last) last.count++;
      else counts.set(key, (last = { provider: item.provider, kind: item.kind, ownerState, count: 1 }));
    }
  return [...counts.values()];
}

export function scanInputOf(report: ScanReport, rulesHash: string): ScanInput {
  const coverage = coverageOf(report.sources);
  const byResource = sourcesByResource(report.inventory);
  const ownerOf = new Map<string, string>();
  for (const items of [report.inventory.identities, report.inventory.credentials])
    for (const item of items) if (item.owner) ownerOf.set(item.id, item.owner.id);
  const findings = columnsBuilder(report.findings.length);
  for (const f of report.findings) {
    if (f.status === 'resolved') continue;
    const resource = f.resource;
    append(findings, f, ownerOf.get(resource.id) ?? null, sourcesOfFinding(f, byResource), Boolean(f.suppressed));
    pushResource(findings, resource.provider, resource.kind, resource.id, resource.name);
  }
  return {
    at: report.scan.now ?? report.scan.startedAt,
    startedAt: report.scan.startedAt,
    finishedAt: report.scan.finishedAt,
    toolVersion: report.tool.version,
    rulesHash,
    sources: report.sources.map((s) => ({ spec: s.spec, status: s.status, fullyCovered: coverage.get(s.spec) === true, notCovered: s.notCovered ?? [] })),
    findings,
    inventory: inventoryCounts([report.inventory.identities, report.inventory.credentials, report.inventory.resources ?? []]),
  };
}
