/**
 * `nhiscan merge REPORT... --out DIR`: joins the reports of a sharded scan into one. Each shard's raw
 * inventory (collected, not yet enriched) is merged as the engine merges sources, then enrichers and
 * rules run once on the whole, so what one shard collected can be correlated with what another did
 * (a key leaked in one shard's repository, matched to the IAM user another shard listed).
 *
 * A merged report carries its own raw inventory and the combined source reports, so merging merged
 * reports gives what merging all shards at once gives: merge is associative.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { lazySchema } from './zod-lazy.js';
import { analyse, mergeInventories, type AnalysisRequest, type ScanResult, type SourceReport } from './engine.js';
import { ImportCheck } from './import-check.js';
import { credential, identity, RISKIER_CREDENTIAL } from './import-report.js';
import type { Credential, Identity, Person, Resource } from './model/index.js';
import type { SourceError, SourceStatus } from './plugin.js';
import { UserError } from './user-error.js';

export class MergeError extends UserError {
  override name = 'MergeError';
}

const str = lazySchema((z) => z.string());
const sourceReport = lazySchema((z) =>
  z.looseObject({
    spec: str,
    status: z.enum(['ok', 'partial', 'failed']),
    errors: z.array(z.looseObject({ message: str, part: str.optional() })).default([]),
    stats: z.record(str, z.number()).default({}),
    notCovered: z.array(z.object({ part: str, reason: str })).default([]),
    durationMs: z.number().default(0),
    parent: str.optional(),
  }),
);
const resource = lazySchema((z) =>
  z.looseObject({
    id: str.min(1),
    provider: str.min(1),
    kind: str.min(1),
    nativeId: str,
    name: str,
    tags: z.record(str, str).default({}),
    attributes: z.record(str, z.unknown()).default({}),
    source: str.default(''),
  }),
);
const person = lazySchema((z) =>
  z.looseObject({
    id: str.min(1),
    aliases: z.array(str).default([]),
    status: z.enum(['active', 'departed', 'unknown']).default('unknown'),
    sources: z.array(str).default([]),
  }),
);
const header = lazySchema((z) =>
  z.looseObject({
    tool: z.looseObject({ name: z.literal('nhiscan') }),
    scan: z.looseObject({ startedAt: str, finishedAt: str, now: str.optional() }),
    inventory: z.looseObject({}),
    raw: z.looseObject({ inventory: z.looseObject({}) }).optional(),
  }),
);

/** One report to merge: its sources and the inventory to join (raw when the report has it). */
export interface MergeInput {
  file: string;
  sources: SourceReport[];
  inventory: { identities: Identity[]; credentials: Credential[]; resources?: Resource[]; people?: Person[] };
  /** False for a report written without --shard: its inventory was enriched already and is enriched again. */
  raw: boolean;
  startedAt: string;
  finishedAt: string;
  now?: string;
}

/** Reads and checks one report; entries that do not fit the model are skipped and named as not covered. */
export function readMergeInput(path: string): MergeInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MergeError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'not JSON')}`);
  }
  const head = header.safeParse(parsed);
  if (!head.success) throw new MergeError(`${path} is not an nhiscan JSON report (tool.name, scan and inventory are needed)`);
  const report = head.data;
  const inventory = (report.raw?.inventory ?? report.inventory) as Record<string, unknown>;
  const where = report.raw ? '$.raw.inventory' : '$.inventory';
  const check = new ImportCheck(basename(path));
  const sources = check.entries((parsed as { sources?: unknown }).sources, sourceReport, '$.sources') as SourceReport[];
  const items = {
    identities: check.entries(inventory.identities, identity, `${where}.identities`) as Identity[],
    credentials: check.entries(inventory.credentials, credential, `${where}.credentials`, RISKIER_CREDENTIAL) as Credential[],
    resources: check.entries(inventory.resources, resource, `${where}.resources`) as Resource[],
    people: check.entries(inventory.people, person, `${where}.people`) as Person[],
  };
  if (check.notCovered.length)
    sources.push({ spec: `merge:${basename(path)}`, status: 'partial', errors: [], stats: {}, notCovered: check.notCovered, durationMs: 0 });
  return {
    file: path,
    sources,
    inventory: items,
    raw: Boolean(report.raw),
    startedAt: report.scan.startedAt,
    finishedAt: report.scan.finishedAt,
    ...(report.scan.now ? { now: report.scan.now } : {}),
  };
}

const STATUS_RANK: Record<SourceStatus, number> = { ok: 0, partial: 1, failed: 2 };

function uniqueBy<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    return !seen.has(key) && !!seen.add(key);
  });
}

/**
 * One entry per source spec, in first-seen order. A source every shard ran (its units split between
 * them) is as covered as its least covered shard; counts add up; errors and gaps are listed once.
 */
export function combineSources(lists: SourceReport[][]): SourceReport[] {
  const bySpec = new Map<string, SourceReport>();
  for (const source of lists.flat()) {
    const seen = bySpec.get(source.spec);
    if (!seen) {
      bySpec.set(source.spec, { ...source, errors: [...source.errors], notCovered: [...source.notCovered], stats: { ...source.stats } });
      continue;
    }
    if (STATUS_RANK[source.status] > STATUS_RANK[seen.status]) seen.status = source.status;
    seen.errors = uniqueBy<SourceError>([...seen.errors, ...source.errors]);
    seen.notCovered = uniqueBy([...seen.notCovered, ...source.notCovered]);
    for (const [key, value] of Object.entries(source.stats)) seen.stats[key] = (seen.stats[key] ?? 0) + value;
    seen.durationMs = Math.max(seen.durationMs, source.durationMs);
  }
  return [...bySpec.values()];
}

const latest = (dates: string[]) => dates.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/** The time a merge judges ages against by default: the latest reference time of the reports it joins. */
export function mergedReferenceTime(inputs: MergeInput[]): Date {
  if (!inputs.length) throw new MergeError('merge needs at least one report');
  return new Date(latest(inputs.map((i) => i.now ?? i.startedAt)));
}

/** Merges the reports' inventories and analyses the whole; `now` defaults to mergedReferenceTime. */
export async function mergeReports(inputs: MergeInput[], request: AnalysisRequest): Promise<ScanResult> {
  const now = request.now ?? mergedReferenceTime(inputs);
  const inventory = mergeInventories(inputs.map((i) => i.inventory));
  const startedAt = inputs.map((i) => i.startedAt).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  const result = await analyse(inventory, combineSources(inputs.map((i) => i.sources)), { ...request, now, keepRaw: true }, startedAt);
  return { ...result, finishedAt: latest(inputs.map((i) => i.finishedAt)) };
}
