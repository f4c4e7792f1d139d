import type { Connector, Enricher } from './plugin.js';
import type { Inventory } from './model/index.js';

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
