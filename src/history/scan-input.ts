/**
 * What the history store records of one scan, taken from the report: its time, sources with their
 * coverage, tool version and rule-configuration hash, every present finding (fingerprint, severity,
 * category, rule, resource, owner, sources) and inventory counts by provider, kind and owner state.
 */
import { createHash } from 'node:crypto';
import { coverageOf, forEachSourced, NO_SOURCES, SourceLists } from '../coverage.js';
import type { Category, Credential, Identity, Inventory, Owner, Resource, Severity } from '../model/index.js';
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

/** What the recorder reads of a finding: a report's findings have this shape, so that they are recorded without a copy. */
export interface RecordedFinding {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly resource: { readonly provider: string; readonly kind: string; readonly id: string; readonly name: string };
  /** Truthy when suppressed. */
  readonly suppressed?: unknown;
}

/**
 * A scan's findings as the recorder takes them: the findings themselves (a report's own objects) and,
 * index for index, what the store keeps of each that the report only implies. Nothing per finding is
 * copied: copies of 50,000 findings, and the garbage collector's work on them, were most of a daily
 * recording's cost.
 */
export interface ScanFindings {
  readonly length: number;
  readonly items: readonly RecordedFinding[];
  /** The resource's owner (id), when one is known. */
  readonly owner: ReadonlyArray<string | null>;
  /** The sources that reported the resource. */
  readonly sources: ReadonlyArray<readonly string[]>;
}

/** FindingInput objects (tests, benches, hand-built inputs) as ScanFindings. */
export function scanFindings(findings: readonly FindingInput[]): ScanFindings {
  return {
    length: findings.length,
    items: findings.map((f) => ({
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity,
      resource: { provider: f.provider, kind: f.resourceKind, id: f.resourceId, name: f.resourceName },
      suppressed: f.suppressed,
    })),
    owner: findings.map((f) => f.owner),
    sources: findings.map((f) => f.sources),
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
  findings: ScanFindings;
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

const OWNER_STATES: Record<OwnerState, number> = { owned: 0, departed: 1, unowned: 2 };

function inventoryCounts(lists: Array<ReadonlyArray<Identity | Credential | Resource>>): InventoryCount[] {
  // Provider → kind → one count per owner state: no key string built per item.
  const counts = new Map<string, Map<string, Array<InventoryCount | undefined>>>();
  const out: InventoryCount[] = [];
  // Indexed loops: run once per recording, they are not optimised, and an iterator allocates per item.
  for (const items of lists)
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const ownerState = ownerStateOf('owner' in item ? item.owner : undefined);
      let kinds = counts.get(item.provider);
      if (!kinds) counts.set(item.provider, (kinds = new Map()));
      let states = kinds.get(item.kind);
      if (!states) kinds.set(item.kind, (states = []));
      const entry = states[OWNER_STATES[ownerState]];
      if (entry) entry.count++;
      else out.push((states[OWNER_STATES[ownerState]] = { provider: item.provider, kind: item.kind, ownerState, count: 1 }));
    }
  return out;
}

/**
 * The owner and sources of each present finding's resource. One pass over the inventory gives each
 * resource id a slot, and each finding one lookup: a map of owners and another of sources took two
 * passes and two lookups a finding, ~60 ms of every recording of 50,000 findings.
 */
function ownersAndSources(inventory: Inventory, items: readonly RecordedFinding[]): Pick<ScanFindings, 'owner' | 'sources'> {
  const lists = new SourceLists();
  const slotOf = new Map<string, number>();
  const ownerOf: Array<string | null> = [];
  const sourcesOf: Array<readonly string[] | undefined> = [];
  forEachSourced(inventory, (id, source, owner) => {
    let slot = slotOf.get(id);
    if (slot === undefined) {
      slotOf.set(id, (slot = ownerOf.length));
      ownerOf.push(null);
      sourcesOf.push(undefined);
    }
    if (owner !== undefined) ownerOf[slot] = owner;
    sourcesOf[slot] = lists.add(sourcesOf[slot], source);
  });
  const owner = new Array<string | null>(items.length);
  const sources = new Array<readonly string[]>(items.length);
  for (let i = 0; i < items.length; i++) {
    const slot = slotOf.get(items[i]!.resource.id);
    owner[i] = slot === undefined ? null : ownerOf[slot]!;
    // Empty when the resource is not in the inventory (e.g. an expired suppression).
    sources[i] = (slot === undefined ? undefined : sourcesOf[slot]) ?? NO_SOURCES;
  }
  return { owner, sources };
}

export function scanInputOf(report: ScanReport, rulesHash: string): ScanInput {
  const coverage = coverageOf(report.sources);
  // A report holds resolved findings only with --baseline (its summary counts them); they are not present.
  // Looking for them in every finding cost a recording ~20 to 30 ms in a fresh process.
  const items = report.summary.baseline?.resolved ? report.findings.filter((f) => f.status !== 'resolved') : report.findings;
  const findings: ScanFindings = { length: items.length, items, ...ownersAndSources(report.inventory, items) };
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
