import type { Connector } from './plugin.js';

export class NotYetSupportedError extends Error {
  constructor(scheme: string) {
    super(`the "${scheme}:" source is not yet supported by this version of nhiscan`);
    this.name = 'NotYetSupportedError';
  }
}

/** A connector that fails clearly; used for source forms whose connector has not landed. */
export function notYetSupported(scheme: string): Connector {
  return {
    scheme,
    description: `${scheme} (not yet supported)`,
    async collect() {
      throw new NotYetSupportedError(scheme);
    },
  };
}
