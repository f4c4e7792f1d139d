/**
 * The config file (`nhiscan.config.json`, `.yaml` or `.yml`), validated with zod so a mistake
 * gives a message naming the file and the exact key, and exit code 2.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { z } from 'zod';
import { lazySchema } from './zod-lazy.js';
import { SEVERITIES } from './model/index.js';
import { findRepositoryRoot } from './repository-root.js';
import { UserError } from './user-error.js';

/** `yaml` loads only when a YAML config is read (synchronously, as its CommonJS build): a JSON config or none, as in a pre-commit hook, never pays for it. */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

const severity = lazySchema((z) => z.enum(SEVERITIES));
const isoDate = lazySchema((z) => z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'must be a date such as 2026-12-31' }));

const ruleSetting = lazySchema((z) =>
  z.union([
    z.enum(['off', 'on']),
    severity,
    z
      .object({
        enabled: z.boolean().optional(),
        severity: severity.optional(),
        options: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
  ]),
);

const suppression = lazySchema((z) =>
  z
    .object({
      fingerprint: z.string().min(1).optional(),
      rule: z.string().min(1).optional(),
      /** Glob on the finding's resource id or name (`aws:iam-user:*ci*`). */
      resource: z.string().min(1).optional(),
      reason: z.string().trim().min(1, 'a suppression needs a reason'),
      expires: isoDate.optional(),
    })
    .strict()
    .refine((s) => s.fingerprint || s.rule, { message: 'a suppression names a fingerprint, or a rule (with an optional resource pattern)' }),
);

/** `history`: true (the default store), a store (an SQLite path or a postgres:// URL), or the store with fix-time targets. */
const history = lazySchema((z) =>
  z.union([
    z.boolean(),
    z.string().min(1),
    z
      .object({
        /** An SQLite file (relative to the config) or a `postgres://` URL; default `.nhiscan/history.sqlite`. */
        store: z.string().min(1).optional(),
        /** Days a finding of each severity may stay open before `trend` and the report count it as a breach. */
        fixTargets: z.partialRecord(severity, z.number().positive()).optional(),
      })
      .strict(),
  ]),
);

export const configSchema = lazySchema((z) =>
  z
    .object({
      $schema: z.string().optional(),
      sources: z.array(z.string().min(1)).default([]),
      plugins: z.array(z.string().min(1)).default([]),
      rules: z.record(z.string(), ruleSetting).default({}),
      ownerTagKeys: z.array(z.string().min(1)).default(['owner', 'Owner', 'team', 'contact']),
      suppressions: z.array(suppression).default([]),
      /** Per-connector settings keyed by scheme (`git`, `aws`, `github`, `azure`...), passed to the connector. */
      settings: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      /** Defaults for scan options; CLI flags win. */
      failOn: z.enum([...SEVERITIES, 'none'] as const).optional(),
      /** Report formats by name (json, md, sarif, or a plugin's); checked against the registered reporters. */
      format: z.array(z.string().min(1)).optional(),
      out: z.string().optional(),
      /** Record every scan in a history store (see docs/history.md); `--history TARGET` wins. */
      history: history.optional(),
    })
    .strict(),
);

export type Config = z.infer<typeof configSchema>;
export type Suppression = Config['suppressions'][number];
export type RuleSetting = z.infer<typeof ruleSetting>;

export class ConfigError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG_FILES = ['nhiscan.config.json', 'nhiscan.config.yaml', 'nhiscan.config.yml'];

/** The config of a run without a config file: configSchema's defaults, written out so that such a run needs no zod (test/core/lazy-schemas.test.ts holds them equal). */
export function defaultConfig(): Config {
  return { sources: [], plugins: [], rules: {}, ownerTagKeys: ['owner', 'Owner', 'team', 'contact'], suppressions: [], settings: {} };
}

export function formatZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('\n');
}

export function parseConfig(raw: unknown, origin: string): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(`invalid config ${origin}:\n${formatZodError(result.error)}`);
  return result.data;
}

/**
 * `settings.<scheme>` checked against each connector's `settingsSchema`: an unknown scheme, an unknown
 * key or a wrong type is a ConfigError naming `settings.<scheme>.<key>`. `import` takes no settings of its own.
 */
export function checkSettings(
  config: Config,
  connectors: Map<string, { settingsSchema?: z.ZodType }>,
  origin = 'config',
  shared: Record<string, z.ZodType> = {},
): void {
  const problems: string[] = [];
  for (const [scheme, value] of Object.entries(config.settings)) {
    const connector = shared[scheme] ? { settingsSchema: shared[scheme] } : connectors.get(scheme);
    if (!connector) {
      problems.push(`  - settings.${scheme}: no such source type (known: ${[...connectors.keys(), ...Object.keys(shared)].sort().join(', ')})`);
      continue;
    }
    const result = connector.settingsSchema?.safeParse(value);
    if (!result || result.success) continue;
    for (const issue of result.error.issues) {
      const at = ['settings', scheme, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(`  - ${at}.${key}: unknown setting${knownKeys(connector.settingsSchema!, issue.path)}`);
      } else problems.push(`  - ${at}: ${issue.message}`);
    }
  }
  if (problems.length) throw new ConfigError(`invalid settings in ${origin}:\n${problems.join('\n')}`);
}

/** ` (known: a, b, c)` for an object schema at the top level. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return !path.length && shape ? ` (known: ${Object.keys(shape).sort().join(', ')})` : '';
}

export interface LoadedConfig {
  config: Config;
  /** The file it came from, undefined when defaults were used. */
  path?: string;
  baseDir: string;
}

/**
 * The directories searched for a default config file, nearest first: `cwd`, then each parent up to
 * the root of the git repository `cwd` is in (as linters look for theirs). Outside a repository only
 * `cwd`, so a stray config in a home directory never applies to an unrelated scan.
 */
export function configSearchDirs(cwd: string): string[] {
  return findRepositoryRoot(cwd)?.path ?? [resolve(cwd)];
}

/** The config file a run reads: `file` (which must exist), else the first default one found walking up; undefined when none. */
export function configPathFor(file: string | undefined, cwd = process.cwd()): string | undefined {
  if (file) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${file}`);
    return path;
  }
  return configSearchDirs(cwd)
    .flatMap((dir) => DEFAULT_CONFIG_FILES.map((f) => resolve(dir, f)))
    .find((p) => existsSync(p));
}

/** Loads `file`, or the nearest default config file (see configSearchDirs), or the defaults. */
export function loadConfig(file: string | undefined, cwd = process.cwd()): LoadedConfig {
  const path = configPathFor(file, cwd);
  if (!path) return { config: defaultConfig(), baseDir: cwd };
  if (statSync(path).isDirectory()) throw new ConfigError(`config ${path} is a directory; give the config file itself`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`cannot parse config ${path}: ${(error as Error).message}`);
  }
  return { config: parseConfig(raw, path), path, baseDir: dirname(path) };
}
