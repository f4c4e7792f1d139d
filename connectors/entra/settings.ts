/**
 * `settings.entra` in the config file, validated so a typo names the exact key.
 * CLI options win over settings (`--graph-endpoint` over `endpoint`).
 */
import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { ConfigError, formatZodError } from '../../src/config.js';
import { normaliseHttpsEndpoint } from '../../src/https-endpoint.js';

export const entraSettingsSchema = lazySchema((z) =>
  z
    .object({
      /** Microsoft Graph endpoint: https://graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn... */
      endpoint: z.string().url().optional(),
      /** `$batch` requests in flight at once. */
      concurrency: z.number().int().min(1).max(32).default(4),
      /** Read the beta sign-in activity reports (AuditLog.Read.All, Entra ID P1/P2). */
      signInActivity: z.boolean().default(true),
      /** Retries per request for throttling (429, honouring Retry-After) and transient 5xx. */
      maxRetries: z.number().int().min(0).max(20).default(5),
      /** Per-request timeout in milliseconds; a stalled request is abandoned and retried. */
      requestTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
      /** Write the collected snapshot (no secret values) to this file for later `import:` scans. */
      snapshotOut: z.string().min(1).optional(),
    })
    .strict(),
);

export type EntraSettings = z.infer<typeof entraSettingsSchema>;

export function parseEntraSettings(raw: unknown): EntraSettings {
  const result = entraSettingsSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(`invalid settings.entra:\n${formatZodError(result.error)}`);
  return result.data;
}

export function normaliseGraphEndpoint(value: string, origin: string): string {
  return normaliseHttpsEndpoint(value, origin, 'https://graph.microsoft.us');
}
