/**
 * The contract between a connector that holds a credential for a clone (`github:ORG --scan-history`)
 * and the `git:` connector that clones: shared here so neither imports the other.
 */
import type { ConnectorContext } from './plugin.js';

/**
 * An HTTP(S) credential for one clone, handed over by another connector (github:ORG --scan-history)
 * rather than typed by a user: the Authorization header git sends, only to URLs under `origin`.
 */
export interface GitHttpAuth {
  /** `scheme://host[:port]` the header is scoped to; git sends it to no other host. */
  origin: string;
  /** The header value, e.g. `basic <base64(x-access-token:TOKEN)>`. */
  authorization: string;
}

/**
 * Internal hook (not a CLI option or a setting): another connector that already holds a credential for
 * the clone, such as `github:ORG --scan-history`, puts a GitHttpAuth under this key of `ctx.options`.
 * A symbol, so no config file or command line can set it and JSON never carries it.
 */
export const GIT_CLONE_AUTH: symbol = Symbol.for('nhiscan.git.cloneAuth');

export function withCloneAuth(options: Record<string, unknown>, auth: GitHttpAuth | undefined): Record<string, unknown> {
  const copy: Record<PropertyKey, unknown> = { ...options };
  delete copy[GIT_CLONE_AUTH];
  if (auth) copy[GIT_CLONE_AUTH] = auth;
  return copy as Record<string, unknown>;
}

export function cloneAuthOf(ctx: Pick<ConnectorContext, 'options'>): GitHttpAuth | undefined {
  const value = (ctx.options as Record<PropertyKey, unknown>)[GIT_CLONE_AUTH] as GitHttpAuth | undefined;
  return value && typeof value.origin === 'string' && typeof value.authorization === 'string' ? value : undefined;
}
