/**
 * The scan engine: collect → enrich → evaluate. Reporting is separate (reports/).
 *
 * Sources run concurrently (p-limit) and are isolated: a source that throws is recorded as
 * `failed` with its error, and the others go on. The merged inventory then passes through the
 * enrichers in order, and every enabled rule evaluates it.
 */
import pLimit from 'p-limit';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { mergePeople } from './people/merge.js';
import { emptyInventory, type Credential, type Finding, type Identity, type Inventory, type Resource, type Severity } from './model/index.js';
import type { CollectResult, ConnectorContext, Importer, SourceError, SourceSpec, SourceStatus } from './plugin.js';

type ImportInput = Parameters<Importer['read']>[0];
import type { Registry } from './registry.js';
import { evaluateRules } from './evaluate.js';
import { applyPolicy, type Gate } from './policy.js';
import { coverageOf } from './coverage.js';
import { cleanCollectedItems } from './collected-text.js';
import { redactText } from './redact.js';
import { parseSourceSpec } from './sources.js';
import { MAX_IMPORT_DEPTH, tooDeepAt } from './import-check.js';
import { expandListSources, shardOwns, type Shard } from './shard.js';
import { loadImporters } from './lazy-connector.js';

export interface SourceReport {
  spec: string;
  status: SourceStatus;
  errors: SourceError[];
  stats: Record<string, number>;
  notCovered: { part: string; reason: string }[];
  durationMs: number;
  /** Set on a sub-source (e.g. one account of an AWS Organization): the spec of the source it belongs to. */
  parent?: string;
  /** See `CollectResult.repositoryPrefix`. */
  repositoryPrefix?: string;
}

/** A rule or enricher that crashed: its part of the analysis is missing, which the report must say. */
export interface AnalysisError {
  stage: 'enricher' | 'rule';
  id: string;
  message: string;
}

export interface ScanResult {
  startedAt: string;
  finishedAt: string;
  sources: SourceReport[];
  /** Empty when every enricher and rule ran. */
  analysisErrors: AnalysisError[];
  inventory: Inventory;
  /** The rules' findings after the policy: suppressions marked, expired suppressions and resolved baseline findings added. */
  findings: Finding[];
  gate: Gate;
  /** Suppressions in force that matched no finding. */
  unusedSuppressions: string[];
  /** The merged inventory as collected, before any enricher ran; with `keepRaw`. */
  rawInventory?: Inventory;
  /** With a baseline: its findings gone from a source that was not fully covered, so neither open nor resolved. */
  baselineUnknown?: number;
}

export interface ScanRequest {
  registry: Registry;
  config: Config;
  sources: string[];
  /** CLI option values plus anything the caller wants connectors to see. */
  options?: Record<string, unknown>;
  now?: Date;
  log: Logger;
  progress?: (source: string, message: string) => void;
  /** Called as each source finishes, for the progress display. */
  onSourceDone?: (report: SourceReport) => void;
  /** How many sources collect at once. */
  concurrency?: number;
  baseDir?: string;
  /** Findings of a previous report (see readBaseline): only new findings count for the gate. */
  baseline?: Finding[];
  /** The gate's threshold (default: the config's `failOn`, else `high`). */
  failOn?: Severity | 'none';
  /** This scan is one shard of several (`--shard`): it collects only its share of the work units. */
  shard?: Shard;
  /** Keep a copy of the inventory as collected, before enrichment (`ScanResult.rawInventory`), for `nhiscan merge`. */
  keepRaw?: boolean;
}

/** What analysis needs besides the inventory: everything of a scan request but what to collect. */
export type AnalysisRequest = Omit<ScanRequest, 'sources' | 'progress' | 'onSourceDone' | 'concurrency' | 'shard'>;

export async function runScan(request: ScanRequest): Promise<ScanResult> {
  const now = request.now ?? new Date();
  const startedAt = new Date().toISOString();
  const limit = pLimit(request.concurrency ?? 4);
  const controller = new AbortController();
  const specs = sourcesOfShard(request);

  const collected = await Promise.all(
    specs.map((source) =>
      limit(async () => {
        const outcome = await collectOne(source, request, now, controller.signal);
        request.onSourceDone?.(outcome.report);
        return outcome;
      }),
    ),
  );

  const inventory = mergeInventories(collected.map((c) => c.result));
  const sources = collected.flatMap((c) => [c.report, ...c.subReports]);
  return analyse(inventory, sources, { ...request, now }, startedAt);
}

/**
 * The sources this scan collects: `SCHEME:@FILE` lists expanded, then, in a shard, the sources whose
 * connector splits its own units (run by every shard) and the whole sources this shard owns.
 */
function sourcesOfShard(request: ScanRequest): SourceSpec[] {
  const specs = expandListSources(request.sources, request.baseDir ?? process.cwd()).map(parseSourceSpec);
  if (!request.shard) return specs;
  return specs.filter((source) => splitsUnits(source, request) || shardOwns(request.shard, source.spec));
}

function splitsUnits(source: SourceSpec, request: Pick<ScanRequest, 'registry' | 'config' | 'options'>): boolean {
  const connector = request.registry.connectors.get(source.scheme);
  return connector?.shardsUnits?.(source, { ...(request.config.settings[source.scheme] ?? {}), ...(request.options ?? {}) }) ?? false;
}

/** Enrich, evaluate and apply the policy to a merged inventory: the half of a scan after collection, shared with `nhiscan merge`. */
export async function analyse(inventory: Inventory, sources: SourceReport[], request: AnalysisRequest, startedAt: string): Promise<ScanResult> {
  const now = request.now ?? new Date();
  // The providers' analyses a registry deferred load now, for the providers this inventory holds.
  await request.registry.loadDeferred(inventory);
  const rawInventory = request.keepRaw ? structuredClone(inventory) : undefined;
  const enricherContext = { config: request.config, now, log: request.log };
  const analysisErrors: AnalysisError[] = [];
  for (const enricher of request.registry.sortedEnrichers()) {
    try {
      await enricher.enrich(inventory, enricherContext);
    } catch (error) {
      request.log.warn(`enricher ${enricher.id} failed: ${errorMessage(error)}`);
      analysisErrors.push({ stage: 'enricher', id: enricher.id, message: redactText(errorMessage(error)) });
    }
  }

  const findings = evaluateRules(request.registry, inventory, request.config, now, request.log, (id, error) =>
    analysisErrors.push({ stage: 'rule', id, message: redactText(errorMessage(error)) }),
  );
  const policy = applyPolicy(findings, { ...request, now, coverage: coverageOf(sources) });
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    analysisErrors,
    sources,
    inventory,
    findings: policy.findings,
    gate: policy.gate,
    unusedSuppressions: policy.unusedSuppressions,
    ...(rawInventory ? { rawInventory } : {}),
    ...(policy.baselineUnknown !== undefined ? { baselineUnknown: policy.baselineUnknown } : {}),
  };
}

async function collectOne(
  source: SourceSpec,
  request: ScanRequest,
  now: Date,
  signal: AbortSignal,
): Promise<{ report: SourceReport; subReports: SourceReport[]; result: CollectResult }> {
  const started = Date.now();
  const ctx: ConnectorContext = {
    source,
    options: { ...(request.config.settings[source.scheme] ?? {}), ...(request.options ?? {}) },
    config: request.config,
    log: request.log,
    progress: (message) => request.progress?.(source.spec, message),
    now,
    signal,
    baseDir: request.baseDir ?? process.cwd(),
    connector: (scheme) => request.registry.connectors.get(scheme),
    ...(request.shard && splitsUnits(source, request) ? { shard: request.shard } : {}),
  };
  try {
    const result = source.scheme === 'import' ? await runImport(source, ctx, request.registry) : await runConnector(source, ctx, request.registry);
    // Names, tags and descriptions come from whoever could edit the estate or the export: no secret in them reaches a report.
    cleanCollectedItems([...result.identities, ...result.credentials, ...(result.resources ?? []), ...(result.people ?? [])]);
    const errors = (result.errors ?? []).map(redactError);
    const notCovered = (result.notCovered ?? []).map(redactNotCovered);
    const durationMs = Date.now() - started;
    const subReports = (result.subSources ?? []).map((sub): SourceReport => {
      const subErrors = (sub.errors ?? []).map(redactError);
      const subNotCovered = (sub.notCovered ?? []).map(redactNotCovered);
      return {
        spec: `${source.spec}#${sub.spec}`,
        parent: source.spec,
        status: sub.status ?? (subErrors.length || subNotCovered.length ? 'partial' : 'ok'),
        errors: subErrors,
        stats: sub.stats ?? {},
        notCovered: subNotCovered,
        durationMs,
      };
    });
    let status: SourceStatus = result.status ?? (errors.length || notCovered.length ? 'partial' : 'ok');
    // A source is only as complete as its parts.
    if (status === 'ok' && subReports.some((r) => r.status !== 'ok')) status = 'partial';
    return {
      report: {
        spec: source.spec,
        status,
        errors,
        stats: result.stats ?? {},
        notCovered,
        durationMs,
        ...(result.repositoryPrefix !== undefined ? { repositoryPrefix: result.repositoryPrefix } : {}),
      },
      subReports,
      result: {
        ...result,
        identities: stamp(result.identities, source.spec),
        credentials: stamp(result.credentials, source.spec),
        ...(result.resources ? { resources: stamp(result.resources, source.spec) } : {}),
      },
    };
  } catch (error) {
    // Recorded in the source's report; the caller says it once (the CLI's closing summary).
    request.log.debug(`${source.spec}: ${errorMessage(error)}`);
    return {
      report: {
        spec: source.spec,
        status: 'failed',
        errors: [{ message: redactText(errorMessage(error)) }],
        stats: {},
        notCovered: [{ part: source.spec, reason: 'source failed' }],
        durationMs: Date.now() - started,
      },
      subReports: [],
      result: { identities: [], credentials: [] },
    };
  }
}

async function runConnector(source: SourceSpec, ctx: ConnectorContext, registry: Registry): Promise<CollectResult> {
  const connector = registry.connectors.get(source.scheme);
  if (!connector) {
    const known = [...registry.connectors.keys(), 'import'].sort().join(', ');
    throw new Error(`unknown source type "${source.scheme}:" (known: ${known})`);
  }
  return connector.collect(ctx);
}

async function runImport(source: SourceSpec, ctx: ConnectorContext, registry: Registry): Promise<CollectResult> {
  if (!source.target) throw new Error('import: needs a file, e.g. import:report.json');
  const path = resolve(ctx.baseDir, source.target);
  let text: string;
  try {
    // Only a regular file is read: a FIFO (or a device) would block the scan forever.
    const info = await stat(path);
    if (!info.isFile() && !info.isDirectory()) throw new Error('it is not a regular file (a FIFO, socket or device); not read');
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : errorMessage(error);
    throw new Error(`cannot read ${source.target}: ${why}`);
  }
  // Built-in importers load here, not at start-up (a scan without import: never needs them).
  for (const failure of await loadImporters(registry.importers)) ctx.log.warn(`${source.spec}: some import formats could not be loaded: ${failure}`);
  const { importer, input } = findImporter(registry.importers, path, text);
  // Importers and rules recurse into what they read: bound the nesting before any of them does.
  const deep = input.parsed === undefined ? undefined : tooDeepAt(input.parsed);
  if (deep) throw new Error(`${source.target} is nested more than ${MAX_IMPORT_DEPTH} levels deep at ${deep}; not imported`);
  if (!importer) {
    const known = registry.importers.map((i) => `${i.id} (${i.description})`).join('; ');
    throw new Error(`cannot tell what export ${source.target} is; supported formats: ${known}`);
  }
  ctx.log.debug(`${source.spec}: reading as ${importer.id}`);
  return importer.read(input, ctx);
}

/**
 * Picks the importer for an export by its content: the first whose `detect` says yes. The text is
 * parsed as JSON once for all of them (undefined when it is not JSON). A detector that throws
 * counts as a no; parse errors are not surfaced, since they may quote the input, secrets included.
 */
export function findImporter(importers: Importer[], path: string, text: string): { importer?: Importer; input: ImportInput } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const input = { path, text, parsed };
  const importer = importers.find((i) => {
    try {
      return i.detect(input);
    } catch {
      return false;
    }
  });
  return { importer, input };
}

/** Records the collecting source on each item unless the connector already did. */
function stamp<T extends Identity | Credential | Resource>(items: T[], spec: string): T[] {
  for (const item of items) item.source ??= spec;
  return items;
}

/**
 * Merges the slices of all sources. Items with the same id are one item: the same secret found in
 * two repositories is one credential with both locations; an identity seen by two exports keeps
 * the facts of both (later sources fill what earlier ones lacked).
 */
export function mergeInventories(results: Pick<CollectResult, 'identities' | 'credentials' | 'resources' | 'people'>[]): Inventory {
  const inventory = emptyInventory();
  const identities = new Map<string, Identity>();
  const credentials = new Map<string, Credential>();
  const resources = new Map<string, Resource>();
  for (const result of results) {
    for (const resource of result.resources ?? []) {
      const existing = resources.get(resource.id);
      if (!existing) resources.set(resource.id, resource);
      else mergeInto(existing, resource);
    }
    for (const identity of result.identities) {
      const existing = identities.get(identity.id);
      if (!existing) identities.set(identity.id, identity);
      else mergeInto(existing, identity);
    }
    for (const credential of result.credentials) {
      const existing = credentials.get(credential.id);
      if (!existing) credentials.set(credential.id, credential);
      else {
        const locations = mergeLocations(existing.locations, credential.locations);
        mergeInto(existing, credential);
        if (locations) existing.locations = locations;
      }
    }
  }
  inventory.identities = [...identities.values()];
  inventory.credentials = [...credentials.values()];
  if (resources.size) inventory.resources = [...resources.values()];
  const people = mergePeople(results.flatMap((r) => r.people ?? []));
  if (people.length) inventory.people = people;
  return inventory;
}

function mergeInto<T extends Identity | Credential | Resource>(target: T, extra: T): void {
  for (const [key, value] of Object.entries(extra) as [keyof T, unknown][]) {
    if (value === undefined) continue;
    const current = target[key];
    if (current === undefined) (target as Record<keyof T, unknown>)[key] = value;
    else if (key === 'attributes' || key === 'tags') Object.assign(current as object, { ...(value as object), ...(current as object) });
    else if (key === 'grants' && Array.isArray(current) && Array.isArray(value)) {
      // A grant is a fact: the same one seen twice (two shards reading one organisation's settings) is one grant.
      const seen = new Set(current.map((g) => JSON.stringify(g)));
      current.push(...value.filter((g) => !seen.has(JSON.stringify(g))));
    }
  }
}

function mergeLocations(a: Credential['locations'], b: Credential['locations']): Credential['locations'] {
  if (!a) return b;
  if (!b) return a;
  const key = (l: NonNullable<Credential['locations']>[number]) =>
    `${l.source}\u0000${l.repository ?? ''}\u0000${l.path}\u0000${l.line ?? ''}\u0000${l.commit ?? ''}`;
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((l) => !seen.has(key(l)))];
}

function redactNotCovered(part: { part: string; reason: string }): { part: string; reason: string } {
  return { part: redactText(part.part), reason: redactText(part.reason) };
}

function redactError(error: SourceError): SourceError {
  return { ...error, message: redactText(error.message) };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
