/**
 * What the CLI needs to know about the `github:` source (scheme, options, settings, sharding) without
 * loading its implementation (collection, normalisation, history scanning).
 */
import { lazySchema } from '../../src/zod-lazy.js';
import type { CliOption, Connector } from '../../src/plugin.js';

export const GITHUB_OPTIONS: CliOption[] = [
  {
    name: 'github-api-url',
    type: 'string',
    description: 'GitHub API URL for GitHub Enterprise Server (https://HOST/api/v3); default GITHUB_API_URL or https://api.github.com',
  },
  { name: 'repo-filter', type: 'string', multiple: true, description: 'only scan repositories whose name or owner/name matches this glob (repeatable)' },
  { name: 'include-archived', type: 'boolean', description: 'also scan archived repositories (skipped by default)' },
  { name: 'scan-history', type: 'boolean', description: 'clone every repository of a github: source and scan its history for secrets' },
  { name: 'github-app-id', type: 'string', description: 'authenticate as a GitHub App: its app id' },
  { name: 'github-app-key', type: 'string', description: 'authenticate as a GitHub App: its private key file (PEM)' },
  { name: 'github-app-installation-id', type: 'string', description: 'authenticate as a GitHub App: the installation id in the organization' },
  {
    name: 'github-concurrency',
    type: 'string',
    description: 'GitHub API requests in flight at once (default 10, the most the rate-limit plugin runs at once)',
  },
  {
    name: 'allow-insecure-http',
    type: 'boolean',
    description: 'allow an http:// --github-api-url that is not a loopback address (sends the credential in clear text; warned every scan)',
  },
  { name: 'github-snapshot-out', type: 'string', description: 'also write the raw organisation snapshot to FILE (re-scan later with import:FILE)' },
];

/** `settings.github` in the config: the keys readSettings reads, nothing else. */
export const githubSettingsSchema = lazySchema((z) =>
  z
    .object({
      apiUrl: z.string().url().optional(),
      appId: z.union([z.string(), z.number()]).optional(),
      privateKeyPath: z.string().min(1).optional(),
      installationId: z.union([z.string(), z.number()]).optional(),
      repoFilter: z.union([z.string(), z.array(z.string())]).optional(),
      includeArchived: z.boolean().optional(),
      scanHistory: z.boolean().optional(),
      concurrency: z.number().int().positive().optional(),
      historyConcurrency: z.number().int().positive().optional(),
      snapshotOut: z.string().min(1).optional(),
      allowInsecureHttp: z.boolean().optional(),
      maxRetries: z.number().int().min(0).optional(),
      retryBaseMs: z.number().int().min(0).optional(),
      requestTimeoutMs: z.number().int().positive().optional(),
    })
    .strict(),
);

export const githubConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'github',
  description:
    'a GitHub organization (github:ORG): deploy keys, Actions/Dependabot/Codespaces secrets, App installations, fine-grained tokens, webhooks, workflow token, secret-scanning alerts',
  options: GITHUB_OPTIONS,
  settingsSchema: githubSettingsSchema,
  // Repositories are the units; a shard collects its own and the organisation-wide parts.
  shardsUnits: () => true,
};
