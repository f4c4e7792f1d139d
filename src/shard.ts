/**
 * Sharding: one scan split across N machines (a CI matrix, a Kubernetes Indexed Job, an Argo
 * fan-out), each scanning a deterministic part of the work, and `nhiscan merge` joining the parts.
 *
 * A work unit belongs to the shard given by a hash of its stable name (a source spec, a repository's
 * full name, an account, subscription or project id), not by its position in a listing: two shards
 * that list the same organisation in a different order, or a moment apart, still agree on who owns
 * what, and adding a unit never moves the others.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from './user-error.js';

/** Shard `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export class ShardError extends UserError {}

/** `--shard I/N`, 1-based as CI matrices count (1/4 … 4/4). */
export function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) throw new ShardError(`--shard must be I/N with 1 <= I <= N, e.g. 2/8 (got "${value}")`);
  return { index: index - 1, count };
}

/**
 * The shard of a Kubernetes Indexed Job's pod: `JOB_COMPLETION_INDEX` (0-based, set by Kubernetes)
 * of `count` (`--shard-count`, the Job's `completions`).
 */
export function shardFromJobIndex(jobIndex: string | undefined, count: string): Shard {
  const n = Number(count);
  if (!/^\d+$/.test(count) || n < 1) throw new ShardError(`--shard-count must be a positive integer (got "${count}")`);
  if (jobIndex === undefined || !/^\d+$/.test(jobIndex.trim()))
    throw new ShardError('--shard-count needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job) or use --shard I/N');
  const index = Number(jobIndex.trim());
  if (index >= n) throw new ShardError(`JOB_COMPLETION_INDEX ${index} is not below --shard-count ${n}`);
  return { index, count: n };
}

/** Whether `shard` owns the work unit named `key`; every unit is owned by exactly one shard. */
export function shardOwns(shard: Shard | undefined, key: string): boolean {
  if (!shard || shard.count === 1) return true;
  const bucket = createHash('sha256').update(key).digest().readUInt32BE(0) % shard.count;
  return bucket === shard.index;
}

/** "shard 2/8" for logs and reports. */
export function shardLabel(shard: Shard): string {
  return `${shard.index + 1}/${shard.count}`;
}

/**
 * `SCHEME:@FILE` (e.g. `git:@repos.txt`) stands for one source per line of FILE: `SCHEME:LINE`.
 * Blank lines and `#` comments are skipped. Other specs pass through.
 */
export function expandListSources(specs: string[], baseDir: string): string[] {
  return specs.flatMap((spec) => {
    const match = /^([a-z][a-z0-9+.-]*):@(.+)$/i.exec(spec);
    if (!match) return [spec];
    const [, scheme, file] = match;
    let text: string;
    try {
      text = readFileSync(resolve(baseDir, file!), 'utf8');
    } catch (error) {
      throw new ShardError(`${spec}: cannot read the list ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => `${scheme}:${line}`);
  });
}
