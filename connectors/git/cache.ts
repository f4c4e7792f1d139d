/**
 * The blob cache: which blobs have been scanned, their (redacted) hits and their attribution, plus the
 * ref tips at the time, so a rescan walks only the commits added since and reads only new blobs.
 *
 * Keyed by the detector set's version and the settings that change results (allowlist, size limit):
 * any change there selects a different cache file and thus a full rescan. Nothing in it is secret:
 * hits are stored as detector, hash, preview, decoded facts and line, never values.
 *
 * The cache decides what is NOT read, so whoever can write it can hide a secret. It therefore lives
 * outside the scanned tree by default (the user's cache directory, one folder per repository), is bound
 * to that repository, and carries an HMAC whose key lives in the user's cache directory, never in a
 * repository: a cache written or edited by anyone else (an earlier CI step, a shipped tarball) fails the
 * check and is ignored.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Attribution } from './attribute.js';
import type { RedactedHit } from '../../src/secret-scan/redacted-hit.js';
import { OidSet } from './oid-set.js';

export interface CachedBlob {
  /** First path the blob was seen at. */
  path: string;
  hits: RedactedHit[];
  /** Where the hits are reported: the commit that introduced the blob, and the path it wrote it at. */
  attribution?: Attribution;
  /**
   * Hits that the introducing path does not show (a lock file, an allowlisted fixture: hit-placement.ts),
   * by place (`placeOf`): each reported at the first commit that writes the blob at a path that shows it.
   */
  placedAt?: Record<string, Attribution>;
}

export interface BlobCache {
  key: string;
  detectorSetVersion: string;
  /** Ref tips (commits) whose whole history is in `scanned`. */
  tips: string[];
  /** Every blob id read and scanned (with or without hits): a whole history's, as compact records. */
  scanned: OidSet;
  /** Blobs with hits. */
  hits: Map<string, CachedBlob>;
  /**
   * Blobs whose path hid a secret (path-judging.ts), with the path they were scanned at: judged again by
   * the paths the commits of each incremental scan write them at, since a commit that moves one to a live
   * path lists nothing new. A handful.
   */
  hidden: Map<string, string>;
}

interface CacheFile {
  /** 3: hits may be placed apart from their blob's attribution (`placedAt`); an older file placed none, so it is not read. */
  format: 3;
  key: string;
  detectorSetVersion: string;
  /** The real path of the git directory: a cache copied from another repository does not apply. */
  repository: string;
  tips: string[];
  scanned: string;
  hits: Record<string, CachedBlob>;
  hidden?: Record<string, string>;
}

export function cacheKey(detectorSetVersion: string, settings: unknown): string {
  return createHash('sha256').update(JSON.stringify({ detectorSetVersion, settings })).digest('hex').slice(0, 16);
}

export function emptyCache(key: string, detectorSetVersion: string): BlobCache {
  return { key, detectorSetVersion, tips: [], scanned: new OidSet(), hits: new Map(), hidden: new Map() };
}

/** `$XDG_CACHE_HOME/nhiscan`, or `~/.cache/nhiscan`. */
export function userCacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'nhiscan');
}

function repositoryId(gitDir: string): string {
  try {
    return realpathSync(gitDir);
  } catch {
    return gitDir;
  }
}

/** The default cache folder of a repository: under the user's cache directory, named by its path. */
export function defaultCacheDir(gitDir: string): string {
  return join(userCacheRoot(), 'git', createHash('sha256').update(repositoryId(gitDir)).digest('hex').slice(0, 24));
}

/** The HMAC key (created on first use, owner-only); it never lives inside a scanned repository. */
function macKey(): Buffer {
  const path = join(userCacheRoot(), 'cache.key');
  try {
    return readFileSync(path);
  } catch {
    mkdirSync(userCacheRoot(), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(path, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return readFileSync(path);
  }
}

/** The MAC's line: 64 hex digits and a newline. */
const MAC_LINE_BYTES = 65;

function mac(body: string): string {
  return createHmac('sha256', macKey()).update(body).digest('hex');
}

function fileName(key: string): string {
  return `blobs-v3-${key}.json`;
}

export interface LoadedCache {
  cache: BlobCache;
  /** Why an existing cache file was not used (failed its integrity check...), for a warning. */
  rejected?: string;
}

/** Loads the cache for `key`; an absent, stale, foreign or altered file gives an empty cache (a full scan). */
export function loadCache(dir: string, gitDir: string, key: string, detectorSetVersion: string): LoadedCache {
  const path = join(dir, fileName(key));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { cache: emptyCache(key, detectorSetVersion) };
  }
  const rejected = (why: string): LoadedCache => ({
    cache: emptyCache(key, detectorSetVersion),
    rejected: `the blob cache ${path} ${why}; it is ignored and everything is read again`,
  });
  try {
    const newline = text.indexOf('\n');
    const body = text.slice(newline + 1);
    const expected = Buffer.from(mac(body), 'hex');
    const given = Buffer.from(text.slice(0, Math.max(0, newline)), 'hex');
    if (newline < 0 || given.length !== expected.length || !timingSafeEqual(given, expected))
      return rejected('failed its integrity check (written or changed by something other than nhiscan on this machine)');
    const raw = JSON.parse(body) as CacheFile;
    if (raw.format !== 3 || raw.key !== key || raw.detectorSetVersion !== detectorSetVersion) return { cache: emptyCache(key, detectorSetVersion) };
    if (raw.repository !== repositoryId(gitDir)) return rejected('belongs to another repository');
    const scanned = OidSet.fromLines(typeof raw.scanned === 'string' ? raw.scanned : '');
    const hits = new Map(Object.entries(raw.hits ?? {}));
    return { cache: { key, detectorSetVersion, tips: raw.tips ?? [], scanned, hits, hidden: new Map(Object.entries(raw.hidden ?? {})) } };
  } catch (error) {
    return rejected(`cannot be read (${(error as Error).message})`);
  }
}

/**
 * Writes atomically (temp file + rename) and removes caches of other keys (old detector versions). The
 * body is written piece by piece, its MAC computed along and written last in the first line's fixed
 * place: a whole history's ids as one string, then in JSON, then with the MAC, held ~45 MB on git/git.
 */
export function saveCache(dir: string, gitDir: string, cache: BlobCache): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const head: Omit<CacheFile, 'scanned' | 'hits'> = {
    format: 3,
    key: cache.key,
    detectorSetVersion: cache.detectorSetVersion,
    repository: repositoryId(gitDir),
    tips: cache.tips,
  };
  const target = join(dir, fileName(cache.key));
  const temp = `${target}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    const hmac = createHmac('sha256', macKey());
    let at = MAC_LINE_BYTES;
    const write = (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      hmac.update(bytes);
      at += writeSync(fd, bytes, 0, bytes.length, at);
    };
    write(`${JSON.stringify(head).slice(0, -1)},"scanned":"`);
    let first = true;
    for (const chunk of cache.scanned.chunks('\\n')) {
      write(`${first ? '' : '\\n'}${chunk}`);
      first = false;
    }
    write(`","hits":${JSON.stringify(Object.fromEntries(cache.hits))},"hidden":${JSON.stringify(Object.fromEntries(cache.hidden))}}`);
    writeSync(fd, `${hmac.digest('hex')}\n`, 0);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
  for (const name of readdirSync(dir)) {
    if (/^blobs-v\d+-/.test(name) && name !== fileName(cache.key) && name.endsWith('.json')) rmSync(join(dir, name), { force: true });
  }
}
