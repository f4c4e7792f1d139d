/**
 * The `dir:` source: secrets in a working tree (no history), with the same detectors as `git:`.
 * Files are read synchronously, one at a time, and scanned in this thread (small trees) or in worker threads; see docs/git.md.
 */
import { repositoryPrefix } from '../../src/repository-root.js';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CollectResult, Connector, ConnectorContext } from '../../src/plugin.js';
import { classifyContent } from '../../src/secret-scan/classify.js';
import { holdsKeystore } from '../../src/secrets/index.js';
import { Notes } from '../../src/secret-scan/notes.js';
import { ScanPool } from '../../src/secret-scan/pool.js';
import { secretCredentials, type LocatedHit } from '../../src/secret-scan/secret-inventory.js';
import { verifyLeakedSecrets } from '../../src/secret-scan/verify.js';
import { readSettings } from '../../src/secret-scan/settings.js';
import { dirConnectorMeta } from './meta.js';
import { overCapReason, type WorkResult } from '../../src/secret-scan/worker.js';
import { walk, type WalkEntry } from './walk.js';

export const dirConnector: Connector = { ...dirConnectorMeta, collect: collectDir };

/** Opening never waits: a file swapped for a FIFO after the walk saw it opens at once, and is refused below. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a whole file into a buffer that owns its memory (so it can be transferred to a worker).
 * Synchronously: the walk reads one file at a time anyway, and a promise-based read (a FileHandle, four
 * thread-pool round trips) costs ~6x the CPU of these system calls, which on a 5,000-file checkout is
 * more than the secret scan itself.
 */
function readWhole(path: string | Buffer, size: number): Uint8Array {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file (replaced since the walk listed it)');
    const buffer = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const bytesRead = readSync(fd, buffer, filled, size - filled, filled);
      if (bytesRead === 0) break; // the file shrank while we read it
      filled += bytesRead;
    }
    return filled === size ? buffer : buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** Files read between two turns of the event loop (other sources of the scan keep running meanwhile). */
const FILES_PER_TURN = 256;

type DirStats = Record<string, number> & { hitsOverCap?: number };

function emptyStats(): DirStats {
  return {
    files: 0,
    filesScanned: 0,
    bytesScanned: 0,
    skippedBinary: 0,
    skippedLarge: 0,
    skippedLfs: 0,
    skippedReports: 0,
    unreadable: 0,
    nonUtf8: 0,
    hits: 0,
    secrets: 0,
  };
}

/** What one scan of a directory accumulates while files go through the pool. */
interface DirScan {
  ctx: ConnectorContext;
  repoName: string;
  notes: Notes;
  stats: DirStats;
  located: LocatedHit[];
  pending: Map<number, { path: string; size: number }>;
}

/** Phase: a worker's (or the main thread's) result for one file, turned into located hits and counts. */
function receiveResult(scan: DirScan, key: number, result: WorkResult): void {
  const { stats, notes } = scan;
  const item = scan.pending.get(key);
  scan.pending.delete(key);
  if (!item) return;
  if (result.error) {
    stats.unreadable += 1;
    notes.error(`file:${item.path}`, result.error);
    return;
  }
  stats.filesScanned += 1;
  stats.bytesScanned += item.size;
  if (result.nonUtf8) stats.nonUtf8 += 1;
  if (result.hitsOverCap) {
    stats.hitsOverCap = (stats.hitsOverCap ?? 0) + result.hitsOverCap;
    notes.skipped(`file:${item.path}`, overCapReason(result.hitsOverCap));
  }
  for (const hit of result.hits) {
    const location = { source: scan.ctx.source.spec, repository: scan.repoName, path: item.path, line: hit.line, column: hit.column };
    scan.located.push({ hit, location });
    stats.hits += 1;
  }
}

/**
 * Phase: one walked file read and classified. Returns its bytes when they are to be scanned, or
 * undefined when the file was skipped (too large, unreadable, binary, an LFS pointer, a report).
 */
async function readForScan(scan: DirScan, entry: Extract<WalkEntry, { kind: 'file' }>, maxFileSize: number): Promise<Uint8Array | undefined> {
  const { stats, notes } = scan;
  if (entry.size > maxFileSize) {
    stats.skippedLarge += 1;
    notes.skipped(`file:${entry.path}`, `larger than the ${maxFileSize}-byte limit (${entry.size} bytes); raise --max-file-size to scan it`);
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    if (stats.files % FILES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    bytes = readWhole(entry.absolute, entry.size);
  } catch (error) {
    stats.unreadable += 1;
    notes.error(`file:${entry.path}`, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return undefined;
  }
  const kind = classifyContent(bytes);
  // Binary files are skipped, except keystores (PKCS#12, JKS), which the engine recognises by structure.
  const keystore = kind === 'binary' && holdsKeystore(bytes);
  if (kind === 'binary' && !keystore) stats.skippedBinary += 1;
  else if (kind === 'lfs-pointer') stats.skippedLfs += 1;
  else if (kind === 'nhiscan-report') stats.skippedReports += 1; // nhiscan's own output: never scanned
  return kind === 'text' || keystore ? bytes : undefined;
}

/** Phase: walk the tree and send every scannable file to the pool; the pool is closed (or destroyed) on return. */
async function scanTree(scan: DirScan, root: string, settings: ReturnType<typeof readSettings>): Promise<void> {
  const { ctx, stats, notes } = scan;
  const pool = new ScanPool({ threads: settings.threads, allowlist: settings.allowlist }, (key, result: WorkResult) => receiveResult(scan, key, result));
  try {
    for await (const entry of walk(root, { respectGitignore: !settings.noIgnore, maxFileSize: settings.maxFileSize })) {
      if (ctx.signal.aborted) throw new Error('scan aborted');
      if (entry.kind === 'note') {
        if (entry.skipped) notes.skipped(`file:${entry.path}`, entry.message);
        else {
          stats.unreadable += 1;
          notes.error(`file:${entry.path}`, entry.message);
        }
        continue;
      }
      stats.files += 1;
      const bytes = await readForScan(scan, entry, settings.maxFileSize);
      if (!bytes) continue;
      // Measured before `add`: a dispatched batch transfers the buffer, whose length then reads 0.
      const size = bytes.byteLength;
      const key = await pool.add(entry.path, bytes);
      scan.pending.set(key, { path: entry.path, size });
      if (stats.files % 2000 === 0) ctx.progress(`${stats.files} files`);
    }
    await pool.close();
  } catch (error) {
    await pool.destroy();
    throw error;
  }
}

export async function collectDir(ctx: ConnectorContext): Promise<CollectResult> {
  const settings = readSettings(ctx, 'dir');
  const root = resolve(ctx.baseDir, ctx.source.target || '.');
  const repoName = ctx.source.target || '.';
  const rootInfo = await stat(root).catch(() => undefined);
  if (!rootInfo?.isDirectory()) throw new Error(`${repoName} is not a directory`);
  const scan: DirScan = { ctx, repoName, notes: new Notes(), stats: emptyStats(), located: [], pending: new Map() };
  await scanTree(scan, root, settings);
  const { stats, notes } = scan;
  const credentials = secretCredentials(scan.located, ctx.source.spec);
  if (settings.verify) {
    ctx.progress('verifying credentials with their providers (--verify)');
    const verified = await verifyLeakedSecrets(credentials, (_c, location) => readFile(join(root, location.path), 'utf8'), settings.verify, settings.allowlist);
    Object.assign(stats, { verified: verified.checked, verifiedLive: verified.live });
  }
  stats.secrets = credentials.length;
  notes.finish();
  return {
    identities: [],
    credentials,
    status: notes.errors.length ? 'partial' : 'ok',
    errors: notes.errors,
    notCovered: notes.notCovered,
    stats,
    ...(repositoryPrefix(root) !== undefined ? { repositoryPrefix: repositoryPrefix(root) } : {}),
  };
}
