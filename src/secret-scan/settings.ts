/**
 * Settings shared by the `git:` and `dir:` sources: the allowlist and size limit from the config
 * (`settings.secrets`, overridable per scheme in `settings.git` / `settings.dir`) and the CLI options.
 */
import { z } from 'zod';
import type { ConnectorContext } from '../plugin.js';
import type { Allowlist } from '../secrets/index.js';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

const allowlistSchema = z
  .object({
    paths: z.array(z.string()).optional(),
    detectors: z.array(z.string()).optional(),
    hashes: z.array(z.string()).optional(),
  })
  .strict();

const settingsSchema = z
  .object({
    allowlist: allowlistSchema.optional(),
    maxFileSize: z.union([z.number().int().positive(), z.string()]).optional(),
    threads: z.number().int().positive().optional(),
    cache: z.boolean().optional(),
    cacheDir: z.string().optional(),
    noIgnore: z.boolean().optional(),
  })
  .passthrough();

export interface ScanSettings {
  allowlist: Allowlist;
  maxFileSize: number;
  threads?: number;
  cache: boolean;
  cacheDir?: string;
  noIgnore: boolean;
}

/** `10MiB`, `512k`, `2000000` → bytes. */
export function parseSize(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?\s*$/i.exec(String(value));
  if (!match) throw new Error(`invalid size "${String(value)}" (use bytes or a suffix such as 512k, 10MiB)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(match[1]) * unit);
}

function merge(a: Allowlist | undefined, b: Allowlist | undefined): Allowlist {
  return {
    paths: [...(a?.paths ?? []), ...(b?.paths ?? [])],
    detectors: [...(a?.detectors ?? []), ...(b?.detectors ?? [])],
    hashes: [...(a?.hashes ?? []), ...(b?.hashes ?? [])],
  };
}

export function readSettings(ctx: ConnectorContext, scheme: 'git' | 'dir'): ScanSettings {
  const parse = (value: unknown, where: string) => {
    const result = settingsSchema.safeParse(value ?? {});
    if (!result.success) throw new Error(`invalid config settings.${where}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return result.data;
  };
  const shared = parse(ctx.config.settings.secrets, 'secrets');
  const own = parse(ctx.config.settings[scheme], scheme);
  const option = (name: string) => ctx.options[name];
  const maxFileSize = parseSize(option('max-file-size')) ?? parseSize(own.maxFileSize) ?? parseSize(shared.maxFileSize) ?? DEFAULT_MAX_FILE_SIZE;
  const threadsOption = option('threads');
  return {
    allowlist: merge(shared.allowlist, own.allowlist),
    maxFileSize,
    threads: threadsOption !== undefined ? Number(threadsOption) || undefined : (own.threads ?? shared.threads),
    cache: option('no-cache') === true ? false : (own.cache ?? true),
    cacheDir: (option('cache-dir') as string | undefined) ?? own.cacheDir,
    noIgnore: option('no-ignore') === true || own.noIgnore === true,
  };
}
