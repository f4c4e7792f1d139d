import type { Connector, Enricher, Importer, NhiscanPlugin } from './plugin.js';
import type { Inventory } from './model/index.js';
import { loadZod } from './zod-lazy.js';

/**
 * A connector whose implementation (and the provider SDK it pulls in) loads only when one of its
 * sources runs. The CLI registers every built-in at start-up, so eager SDK imports would make every
 * scan, and `nhiscan rules`, pay for all providers' SDKs.
 */
export function lazyConnector(meta: Omit<Connector, 'collect'>, load: () => Promise<Connector>): Connector {
  return {
    ...meta,
    async collect(ctx) {
      return (await load()).collect(ctx);
    },
  };
}

/**
 * An enricher whose implementation loads only when the inventory holds what it works on (`needed`),
 * such as the AWS policy evaluator and its action catalogue for AWS principals: a scan that starts many
 * times a day, such as a pre-commit hook, does not load analyses that would find nothing to do. `id`
 * and `order` are known up front, so the enrichers still run in the same order. `needed` must be true
 * whenever the enricher would change anything.
 */
export function lazyEnricher(meta: Pick<Enricher, 'id' | 'order'>, needed: (inventory: Inventory) => boolean, load: () => Promise<Enricher>): Enricher {
  return {
    ...meta,
    async enrich(inventory, ctx) {
      if (needed(inventory)) await (await load()).enrich(inventory, ctx);
    },
  };
}

const LOAD_IMPORTER = Symbol('nhiscan.loadImporter');
type LazyImporter = Importer & { [LOAD_IMPORTER]?: () => Promise<void> };

/**
 * Importers whose modules (a provider's readers and normalisers) load only when an `import:` source
 * runs: detection needs them, but a scan without `import:`, such as a pre-commit hook, never detects.
 * `ids` are the implementation's importer ids in its order, so detection keeps the registration
 * order; loading checks them. Detection and reading work after `loadImporters`, which the engine calls
 * before it picks an importer.
 */
export function lazyImporters(ids: string[], load: () => Promise<Importer[]>): Importer[] {
  let loaded: Map<string, Importer> | undefined;
  let loading: Promise<void> | undefined;
  const ensureLoaded = (): Promise<void> =>
    (loading ??= load().then((importers) => {
      const got = importers.map((importer) => importer.id);
      if (got.join(',') !== ids.join(',')) throw new Error(`importers ${ids.join(', ')} loaded as ${got.join(', ')}`);
      loaded = new Map(importers.map((importer) => [importer.id, importer]));
    }));
  const implementation = (id: string): Importer => {
    const importer = loaded?.get(id);
    if (!importer) throw new Error(`importer ${id} used before it was loaded (loadImporters)`);
    return importer;
  };
  return ids.map((id): LazyImporter => ({
    id,
    get description() {
      return loaded?.get(id)?.description ?? `${id} (loaded when an import: source runs)`;
    },
    detect: (input) => implementation(id).detect(input),
    read: (input, ctx) => implementation(id).read(input, ctx),
    [LOAD_IMPORTER]: ensureLoaded,
  }));
}

/**
 * Loads every lazy importer among `importers`. One that cannot load (a broken install) is left out
 * of detection, its error returned, so the other formats are still recognised.
 */
export async function loadImporters(importers: Importer[]): Promise<string[]> {
  const loaders = new Set(importers.map((importer) => (importer as LazyImporter)[LOAD_IMPORTER]).filter((load) => load !== undefined));
  const results = await Promise.allSettled([...loaders].map((load) => load()));
  return results.flatMap((result) => (result.status === 'rejected' ? [errorText(result.reason)] : []));
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/**
 * The analysis half of a built-in provider plugin: its enrichers and rules, which judge that provider's
 * items. The CLI's scan loads it only when the collected inventory holds an item of one of `providers`
 * (`Registry.defer`): a pre-commit hook scanning a staged change does not load the AWS, Azure, Entra or
 * GCP rules to run them over an inventory without a single item of theirs, where they find nothing.
 */
export interface DeferredAnalysis {
  providers: readonly string[];
  load: () => Promise<NhiscanPlugin>;
}

/**
 * An analysis loader for rules that build their zod schemas when their modules load: zod is loaded
 * (in its jitless mode, src/zod-lazy.ts) before them. The analyses on a pre-commit hook's path (GitHub,
 * for a leaked GitHub token) build theirs on first use and declare their defaults instead.
 */
export function withZod(load: () => Promise<NhiscanPlugin>): () => Promise<NhiscanPlugin> {
  return async () => {
    await loadZod();
    return load();
  };
}
