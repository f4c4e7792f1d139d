/**
 * The blob cache: which blobs have been scanned, their (redacted) hits and their attribution, plus the
 * ref tips at the time, so a rescan walks only the commits added since and reads only new blobs.
 *
 * Keyed by the detector set's version and the settings that change results (allowlist, size limit):
 * any change there selects a different cache file and thus a full rescan. Nothing in it is secret:
 * hits are stored as detector, hash, preview, decoded facts and line, never values.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attribution } from './attribute.js';
import type { RedactedHit } from './redacted-hit.js';

export interface CachedBlob {
  /** First path the blob was seen at. */
  path: string;
  hits: RedactedHit[];
  attribution?: Attribution;
}

export interface BlobCache {
  key: string;
  detectorSetVersion: string;
  /** Ref tips (commits) whose whole history is in `scanned`. */
  tips: string[];
  /** Every blob id read and scanned (with or without hits). */
  scanned: Set<string>;
  /** Blobs with hits. */
  hits: Map<string, CachedBlob>;
}

interface CacheFile {
  format: 1;
  key: string;
  detectorSetVersion: string;
  tips: string[];
  scanned: string;
  hits: Record<string, CachedBlob>;
}

export function cacheKey(detectorSetVersion: string, settings: unknown): string {
  return createHash('sha256').update(JSON.stringify({ detectorSetVersion, settings })).digest('hex').slice(0, 16);
}

export function emptyCache(key: string, detectorSetVersion: string): BlobCache {
  return { key, detectorSetVersion, tips: [], scanned: new Set(), hits: new Map() };
}

function fileName(key: string): string {
  return `blobs-v1-${key}.json`;
}

/** Loads the cache for `key`; an absent, stale or unreadable file gives an empty cache (a full scan). */
export function loadCache(dir: string, key: string, detectorSetVersion: string): BlobCache {
  try {
    const raw = JSON.parse(readFileSync(join(dir, fileName(key)), 'utf8')) as CacheFile;
    if (raw.format !== 1 || raw.key !== key || raw.detectorSetVersion !== detectorSetVersion) return emptyCache(key, detectorSetVersion);
    const scanned = new Set<string>();
    for (let i = 0; i + 40 <= raw.scanned.length; ) {
      const end = raw.scanned.indexOf('\n', i);
      scanned.add(raw.scanned.slice(i, end < 0 ? undefined : end));
      if (end < 0) break;
      i = end + 1;
    }
    return { key, detectorSetVersion, tips: raw.tips ?? [], scanned, hits: new Map(Object.entries(raw.hits ?? {})) };
  } catch {
    return emptyCache(key, detectorSetVersion);
  }
}

/** Writes atomically (temp file + rename) and removes caches of other keys (old detector versions). */
export function saveCache(dir: string, cache: BlobCache): void {
  mkdirSync(dir, { recursive: true });
  const file: CacheFile = {
    format: 1,
    key: cache.key,
    detectorSetVersion: cache.detectorSetVersion,
    tips: cache.tips,
    scanned: [...cache.scanned].join('\n'),
    hits: Object.fromEntries(cache.hits),
  };
  const target = join(dir, fileName(cache.key));
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(file));
  renameSync(temp, target);
  for (const name of readdirSync(dir)) {
    if (name.startsWith('blobs-v1-') && name !== fileName(cache.key) && name.endsWith('.json')) rmSync(join(dir, name), { force: true });
  }
}
