/**
 * `settings.azure` in the config file, validated so a typo names the exact key.
 * CLI options win over settings (`--azure-endpoint` over `endpoint`).
 */
import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { ConfigError, formatZodError } from '../../src/config.js';
import { normaliseHttpsEndpoint } from '../../src/https-endpoint.js';

export const azureSettingsSchema = lazySchema((z) =>
  z
    .object({
      /** Resource Manager endpoint: https://management.chinacloudapi.cn, https://management.usgovcloudapi.net... */
      endpoint: z.string().url().optional(),
      /** Subscriptions collected at once. */
      subscriptionConcurrency: z.number().int().min(1).max(32).default(4),
      /** Vaults collected at once, across all subscriptions. */
      vaultConcurrency: z.number().int().min(1).max(128).default(16),
      /** List key versions (first creation date, version count): one request per key. */
      keyVersions: z.boolean().default(true),
      /** Retries per request for throttling (429, honouring Retry-After) and transient 5xx. */
      maxRetries: z.number().int().min(0).max(20).default(5),
      /** Per-request timeout in milliseconds; a stalled request is abandoned and retried. */
      requestTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
      /** Write the collected snapshot (no secret values) to this file for later `import:` scans. */
      snapshotOut: z.string().min(1).optional(),
    })
    .strict(),
);

export type AzureSettings = z.infer<typeof azureSettingsSchema>;

export function parseAzureSettings(raw: unknown): AzureSettings {
  const result = azureSettingsSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(`invalid settings.azure:\n${formatZodError(result.error)}`);
  return result.data;
}

/** An https URL without a trailing slash; bearer tokens are never sent over plain http. */
export function normaliseEndpoint(value: string, origin: string): string {
  return normaliseHttpsEndpoint(value, origin, 'https://management.usgovcloudapi.net');
}
