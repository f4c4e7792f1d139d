import type { Connector } from './plugin.js';

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
