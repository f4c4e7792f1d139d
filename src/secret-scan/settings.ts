/**
 * Settings shared by the `git:` and `dir:` sources: the allowlist and size limit from the config
 * (`settings.secrets`, overridable per scheme in `settings.git` / `settings.dir`) and the CLI options.
 */
import type { z } from 'zod';
import { lazySchema } from '../zod-lazy.js';
import type { CliOption, ConnectorContext } from '../plugin.js';
import type { Allowlist } from '../secrets/index.js';
import { verifySettingsSchema, type VerifySettings } from '../secret-verify/index.js';

/** The CLI options every secret-scanning source (`git:`, `dir:`) takes, read by `readSettings`. */
export const SCAN_CLI_OPTIONS: CliOption[] = [
  { name: 'max-file-size', type: 'string', description: 'git/dir: skip files larger than this (default 10MiB; accepts 512k, 10MiB...)' },
  { name: 'threads', type: 'string', description: 'git/dir: worker threads for secret detection (default: all cores)' },
  {
    name: 'verify',
    type: 'boolean',
    description: "git/dir: check found credentials with their provider's read-only identity endpoint (off by default; docs/secrets.md lists every call)",
  },
];

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
/**
 * Files are scanned in memory, and Node cannot hold a file of 2 GiB or more in one buffer (nor V8 a
 * string of even 1 GiB): a larger limit is refused up front rather than aborting the process later.
 */
export const MAX_FILE_SIZE_LIMIT = 1024 ** 3;
const MAX_THREADS = 256;

const allowlistSchema = lazySchema((z) =>
  z
    .object({
      paths: z.array(z.string()).optional(),
      detectors: z.array(z.string()).optional(),
      hashes: z.array(z.string()).optional(),
    })
    .strict(),
);

const settingsSchema = lazySchema((z) =>
  z
    .object({
      allowlist: allowlistSchema.optional(),
      maxFileSize: z.union([z.number().int().positive().max(MAX_FILE_SIZE_LIMIT), z.string()]).optional(),
      threads: z.number().int().positive().max(MAX_THREADS).optional(),
      cache: z.boolean().optional(),
      cacheDir: z.string().optional(),
      noIgnore: z.boolean().optional(),
      /** `--verify` settings: endpoints, timeout, pause between calls, most calls (the flag itself turns it on). */
      verify: verifySettingsSchema.optional(),
    })
    .passthrough(),
);

/** `settings.git`, `settings.dir` and `settings.secrets` as the CLI checks them: a misspelt key is an error. */
export const scanSettingsSchema = lazySchema(() => settingsSchema.strict());

export interface ScanSettings {
  allowlist: Allowlist;
  maxFileSize: number;
  threads?: number;
  cache: boolean;
  cacheDir?: string;
  noIgnore: boolean;
  /** Set with --verify: check found credentials at their providers (off by default). */
  verify?: VerifySettings;
}

/** `10MiB`, `512k`, `2000000` → bytes; `what` names the option or setting in the error. */
export function parseSize(value: unknown, what = 'size'): number | undefined {
  if (value === undefined || value === null) return undefined;
  let bytes: number;
  if (typeof value === 'number') bytes = value;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?\s*$/i.exec(String(value));
    if (!match) throw new Error(`${what} must be a size in bytes or with a suffix such as 512k or 10MiB (got "${String(value)}")`);
    const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
    bytes = Math.round(Number(match[1]) * unit);
  }
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new Error(`${what} must be at least 1 byte (got "${String(value)}")`);
  if (bytes > MAX_FILE_SIZE_LIMIT) throw new Error(`${what} above 1GiB is not supported: files are scanned in memory (got "${String(value)}")`);
  return bytes;
}

/** `--threads N`: a positive integer, or an error naming the option. */
function parseThreads(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const threads = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(threads >= 1 && threads <= MAX_THREADS)) throw new Error(`--threads must be a positive integer of at most ${MAX_THREADS} (got "${String(value)}")`);
  return threads;
}

function merge(a: Allowlist | undefined, b: Allowlist | undefined): Allowlist {
  return {
    paths: [...(a?.paths ?? []), ...(b?.paths ?? [])],
    detectors: [...(a?.detectors ?? []), ...(b?.detectors ?? [])],
    hashes: [...(a?.hashes ?? []), ...(b?.hashes ?? [])],
  };
}

export function readSettings(ctx: Pick<ConnectorContext, 'options' | 'config'>, scheme: 'git' | 'dir'): ScanSettings {
  const parse = (value: unknown, where: string): z.infer<typeof settingsSchema> => {
    // Nothing set: nothing to check (every setting is optional), and zod need not load.
    if (value === undefined || value === null) return {};
    const result = settingsSchema.safeParse(value);
    if (!result.success) throw new Error(`invalid config settings.${where}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return result.data;
  };
  const shared = parse(ctx.config.settings.secrets, 'secrets');
  const own = parse(ctx.config.settings[scheme], scheme);
  const option = (name: string) => ctx.options[name];
  const maxFileSize =
    parseSize(option('max-file-size'), '--max-file-size') ??
    parseSize(own.maxFileSize, `settings.${scheme}.maxFileSize`) ??
    parseSize(shared.maxFileSize, 'settings.secrets.maxFileSize') ??
    DEFAULT_MAX_FILE_SIZE;
  return {
    allowlist: merge(shared.allowlist, own.allowlist),
    maxFileSize,
    threads: parseThreads(option('threads')) ?? own.threads ?? shared.threads,
    cache: option('no-cache') === true ? false : (own.cache ?? true),
    cacheDir: (option('cache-dir') as string | undefined) ?? own.cacheDir,
    noIgnore: option('no-ignore') === true || own.noIgnore === true,
    ...(option('verify') === true ? { verify: { ...shared.verify, ...own.verify, endpoints: { ...shared.verify?.endpoints, ...own.verify?.endpoints } } } : {}),
  };
}

/** `Connector.checkOptions` of the git: and dir: sources: the same reading, before the scan. */
export function checkScanSettings(scheme: 'git' | 'dir'): (ctx: Pick<ConnectorContext, 'options' | 'config'>) => void {
  return (ctx) => void readSettings(ctx, scheme);
}
