/**
 * `settings.gcp` in the config file, validated so a typo names the exact key. CLI options win over
 * settings (`--gcp-endpoint` over `endpoint`, `--gcp-org` over `organizationId`).
 */
import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { ConfigError, formatZodError } from '../../src/config.js';

export const gcpSettingsSchema = lazySchema((z) =>
  z
    .object({
      /** One root for every Google API and the token endpoint: a private endpoint, or a test emulator. */
      endpoint: z.string().url().optional(),
      /** Organization whose organization and folder policies are read (numeric id). */
      organizationId: z.string().regex(/^\d+$/).optional(),
      /** Requests in flight at once, across all projects. */
      concurrency: z.number().int().min(1).max(64).default(16),
      /** Retries per request for throttling (429, honouring Retry-After) and transient 5xx. */
      maxRetries: z.number().int().min(0).max(20).default(5),
      /** Per-request timeout in milliseconds; a stalled request is abandoned and retried. */
      requestTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
      /** Write the collected snapshot (no key material) to this file for later `import:` scans. */
      snapshotOut: z.string().min(1).optional(),
    })
    .strict(),
);

export type GcpSettings = z.infer<typeof gcpSettingsSchema>;

export function parseGcpSettings(raw: unknown): GcpSettings {
  const result = gcpSettingsSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(`invalid settings.gcp:\n${formatZodError(result.error)}`);
  return result.data;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** An https URL without a trailing slash; plain http only to a loopback address (an emulator), since tokens travel on it. */
export function normaliseGcpEndpoint(value: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${origin}: "${value}" is not a URL (expected e.g. https://private.googleapis.com)`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new ConfigError(`${origin}: the Google API endpoint must use https (plain http is accepted for loopback addresses only)`);
  }
  return url.href.replace(/\/+$/, '');
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** `gcp:PROJECT` or `gcp:P1,P2`; undefined for `gcp` (every project the credential can see). */
export function projectTargets(target: string): string[] | undefined {
  const ids = target
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!ids.length) return undefined;
  const bad = ids.filter((id) => !PROJECT_ID.test(id));
  if (bad.length) throw new ConfigError(`gcp: "${bad.join(', ')}" is not a project id (6 to 30 lowercase letters, digits and hyphens, starting with a letter)`);
  return ids;
}
