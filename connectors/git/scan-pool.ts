/**
 * A pool of worker threads running the secret engine. Files are grouped into batches (few messages,
 * transferred not copied); the number of batches in flight is capped, so `add` waits when every worker
 * is busy and the producer (git or the file walker) is paused: memory stays bounded whatever the size
 * of the repository.
 *
 * Workers load the compiled `scan-worker.js` next to this module; under vitest the sources are
 * TypeScript, so the worker gets tsx as its loader.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Allowlist } from '../../src/secrets/index.js';
import type { WorkBatch, WorkItem, WorkResult } from './scan-worker.js';

export interface ScanPoolOptions {
  threads?: number;
  allowlist?: Allowlist;
  /** Bytes per batch before it is sent (default 1 MiB: small enough to bound memory, large enough to amortise messages). */
  batchBytes?: number;
  batchItems?: number;
  /** Batches in flight per worker (default 2: one running, one queued). */
  depth?: number;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, WorkItem[]>;
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly threads: number;
  private readonly batchBytes: number;
  private readonly batchItems: number;
  private readonly depth: number;
  private current: WorkItem[] = [];
  private currentBytes = 0;
  private nextKey = 0;
  private nextBatch = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly options: ScanPoolOptions,
    private readonly onResult: (key: number, result: WorkResult) => void,
  ) {
    this.threads = options.threads ?? defaultThreads();
    this.batchBytes = options.batchBytes ?? 1024 * 1024;
    this.batchItems = options.batchItems ?? 128;
    this.depth = options.depth ?? 2;
  }

  /** Queues one file; returns its key (echoed in `onResult`). Awaits when the pool is saturated. */
  async add(path: string, bytes: Uint8Array): Promise<number> {
    const key = this.nextKey++;
    this.current.push({ key, path, bytes });
    this.currentBytes += bytes.byteLength;
    if (this.currentBytes >= this.batchBytes || this.current.length >= this.batchItems) await this.dispatch();
    return key;
  }

  /** Sends what is queued, waits for every result, and stops the workers. */
  async close(): Promise<void> {
    if (this.current.length) await this.dispatch();
    while (this.inFlight() > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  /** Stops the workers at once (on an error or abort); results still in flight are dropped. */
  async destroy(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private inFlight(): number {
    return this.slots.reduce((n, slot) => n + slot.inFlight.size, 0);
  }

  private async dispatch(): Promise<void> {
    const items = this.current;
    this.current = [];
    this.currentBytes = 0;
    let slot = this.pickSlot();
    while (!slot) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      slot = this.pickSlot();
    }
    const batch = this.nextBatch++;
    slot.inFlight.set(batch, items);
    const message: WorkBatch = { batch, items };
    // Each blob owns its ArrayBuffer (see the readers), so transferring moves it without a copy.
    const transfer = uniqueBuffers(items);
    slot.worker.postMessage(message, transfer);
  }

  private pickSlot(): Slot | undefined {
    if (this.closed) throw new Error('scan pool is closed');
    let best: Slot | undefined;
    for (const slot of this.slots) if (slot.inFlight.size < this.depth && (!best || slot.inFlight.size < best.inFlight.size)) best = slot;
    if (best && best.inFlight.size === 0) return best;
    // Workers start lazily: a scan with nothing to read never pays their start-up cost.
    if (this.slots.length < this.threads) return this.spawn();
    return best;
  }

  private spawn(): Slot {
    const isTs = import.meta.url.endsWith('.ts');
    const url = new URL(isTs ? './scan-worker.ts' : './scan-worker.js', import.meta.url);
    const workerData = { nhiscanScanWorker: true, allowlist: this.options.allowlist };
    // Under vitest/tsx the sources are TypeScript: register tsx inside the worker, then load it.
    const worker = isTs
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData })
      : new Worker(url, { workerData });
    const slot: Slot = { worker, inFlight: new Map() };
    worker.on('message', (message: { batch: number; results: WorkResult[] }) => {
      slot.inFlight.delete(message.batch);
      for (const result of message.results) this.onResult(result.key, result);
      this.wake();
    });
    worker.on('error', (error) => this.failSlot(slot, `scan worker crashed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closed && slot.inFlight.size) this.failSlot(slot, `scan worker exited with code ${code}`);
    });
    this.slots.push(slot);
    return slot;
  }

  /** A crashed worker (out of memory on a hostile file...) fails only its own batches; a new one takes over. */
  private failSlot(slot: Slot, message: string): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    for (const items of slot.inFlight.values()) {
      for (const item of items) this.onResult(item.key, { key: item.key, hits: [], nonUtf8: false, error: message.slice(0, 200) });
    }
    slot.inFlight.clear();
    void slot.worker.terminate();
    this.wake();
  }

  private wake(): void {
    this.waiters.splice(0).forEach((resolve) => resolve());
    if (this.inFlight() === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}

function uniqueBuffers(items: WorkItem[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const item of items) {
    const buffer = item.bytes.buffer;
    // Only whole, non-pooled buffers may be transferred (a pooled Buffer shares its ArrayBuffer).
    if (buffer instanceof ArrayBuffer && item.bytes.byteOffset === 0 && item.bytes.byteLength === buffer.byteLength) seen.add(buffer);
  }
  return [...seen];
}
