/**
 * The secret-scan pool as the `git:` source uses it: blob ids batched for the workers' own
 * `git cat-file --batch`, and pack delta trees walked in the workers (connectors/git/scan-source.ts).
 * Only ids, offsets and shared pack layouts cross to the workers; the content is read there.
 */
import type { Allowlist } from '../../src/secrets/index.js';
import { ScanPool } from '../../src/secret-scan/pool.js';
import type { WorkResult } from '../../src/secret-scan/worker.js';
import { workerModule } from '../../src/secret-scan/worker-source.js';
import type { BlobItem, GitWorkMessage, PackRef } from './scan-source.js';
import { listingEnded, listingYield, type ListingYield } from './worker-priority.js';

export interface GitScanPoolOptions {
  gitDir: string;
  maxSize: number;
  threads?: number;
  allowlist?: Allowlist;
  /** Blob ids per batch (default 64). */
  blobBatch?: number;
  /** The workers yield to a listing until `listingEnded` (worker-priority.ts); a pool that lists nothing keeps the process's priority. */
  listing?: boolean;
}

const SCAN_SOURCE = workerModule(import.meta.url, './scan-source');

export class GitScanPool {
  private readonly pool: ScanPool;
  private readonly blobBatch: number;
  private blobs: BlobItem[] = [];
  /** How many of the shared path table each worker holds. */
  private readonly pathsSent = new WeakMap<object, number>();
  private readonly listing: ListingYield | undefined;

  constructor(
    private readonly options: GitScanPoolOptions,
    onResult: (key: number, result: WorkResult) => void,
  ) {
    this.pool = new ScanPool({ threads: options.threads, allowlist: options.allowlist, workerSource: SCAN_SOURCE }, onResult);
    this.blobBatch = options.blobBatch ?? 64;
    this.listing = options.listing ? listingYield() : undefined;
  }

  /** The listing has ended: this pool's workers get the process's priority back (no other pool's). */
  listingEnded(): void {
    if (this.listing) listingEnded(this.listing);
  }

  /** Queues one git blob, read by the worker itself; returns its key. Awaits when the pool is saturated. */
  async addBlob(oid: string, path: string): Promise<number> {
    const key = this.pool.reserveKeys(1);
    this.blobs.push({ key, oid, path });
    if (this.blobs.length >= this.blobBatch) await this.dispatchBlobs();
    return key;
  }

  /** Keys for `count` results whose numbering the caller owns (a pack's entries: keyBase + entry). */
  reserveKeys(count: number): number {
    return this.pool.reserveKeys(count);
  }

  /**
   * Queues the walk of some of a pack's delta trees; `keys` are the results it will produce (reported
   * as failed if the worker dies). The pack's layout travels with the first batch each worker gets.
   */
  async addPackRoots(pack: PackRef & Required<Pick<PackRef, 'layout'>>, paths: readonly string[], roots: Int32Array, keys: number[]): Promise<void> {
    const { maxSize } = this.options;
    await this.pool.send(keys, (slot, batch) => {
      const ref: PackRef = slot.holds.has(pack.id) ? { id: pack.id, keyBase: pack.keyBase } : pack;
      slot.holds.add(pack.id);
      // `paths` grows while the listing runs: each worker gets the part it has not seen.
      const from = this.pathsSent.get(slot) ?? 0;
      this.pathsSent.set(slot, paths.length);
      return { type: 'pack', batch, pack: ref, roots, maxSize, paths: { from, paths: paths.slice(from) }, listing: this.listing } satisfies GitWorkMessage;
    });
  }

  /** Waits until every queued blob has its result (the pool stays open). */
  async drain(): Promise<void> {
    if (this.blobs.length) await this.dispatchBlobs();
    await this.pool.drain();
  }

  /** Sends what is queued, waits for every result, and stops the workers and their git processes. */
  async close(): Promise<void> {
    if (this.blobs.length) await this.dispatchBlobs();
    await this.pool.close();
  }

  /** Stops the workers at once (on an error or abort); results still in flight are dropped. */
  destroy(): Promise<void> {
    return this.pool.destroy();
  }

  private async dispatchBlobs(): Promise<void> {
    const items = this.blobs;
    this.blobs = [];
    const { gitDir, maxSize } = this.options;
    await this.pool.send(
      items.map((i) => i.key),
      (_slot, batch) => ({ type: 'blobs', batch, gitDir, maxSize, items, listing: this.listing }) satisfies GitWorkMessage,
    );
  }
}
