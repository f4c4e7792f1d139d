/**
 * A pool of worker threads running the secret engine: the one secret-scanning host of every source that
 * reads content (`git:`, `dir:`, GitHub history through git). Work goes out in batches (few messages);
 * the number of batches in flight per worker is capped, so `add`/`send` wait when every worker is busy
 * and the producer (the file walker, or rev-list) is paused: memory stays bounded whatever the size of
 * the source.
 *
 * Two modes: `add` sends file contents (transferred, not copied); `send` sends a source's own message
 * (git sends blob ids and pack walks) to the source's worker module (`workerSource`, see
 * worker-source.ts), which reads the content itself, so reading runs on every core.
 *
 * Small trees never start a worker: the first `inlineBytes` of `add`ed files are scanned in this thread,
 * one batch per event-loop turn, with results delivered asynchronously exactly as a worker's are. A
 * worker costs a module load and an engine build (a few hundred ms of CPU each) that this thread has
 * already paid; below some tens of megabytes, scanning here is cheaper than starting workers, in CPU and
 * in wall time. Past that, workers start and take every further batch.
 *
 * Workers load the compiled `worker.js` next to this module; under vitest the sources are
 * TypeScript, so the worker registers tsx first.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { pluginDetectors, type Allowlist } from '../secrets/index.js';
import { scanBlob, type HostMessage, type WorkItem, type WorkResult } from './worker.js';
import { workerModule } from './worker-source.js';
import { unpackResults, type PackedReply } from './packed-results.js';

export interface ScanPoolOptions {
  threads?: number;
  allowlist?: Allowlist;
  /** Bytes per file batch before it is sent (default 1 MiB: bounds memory, amortises messages). */
  batchBytes?: number;
  batchItems?: number;
  /** Batches in flight per worker (default 2: one running, one queued). */
  depth?: number;
  /** The module each worker loads to handle the messages of `send` (see worker-source.ts). */
  workerSource?: URL;
  /**
   * Bytes of `add`ed files scanned in this thread before the first worker starts (default
   * DEFAULT_INLINE_BYTES, or NHISCAN_SCAN_INLINE_BYTES; 0: workers from the first batch).
   */
  inlineBytes?: number;
}

/** Up to this many bytes of files are scanned without workers: a small tree never pays their start-up. */
export const DEFAULT_INLINE_BYTES = 16 * 1024 * 1024;

function inlineBytesFromEnv(): number {
  const value = process.env.NHISCAN_SCAN_INLINE_BYTES;
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_INLINE_BYTES;
}

/** A worker as `send` sees it: what the source already sent it stays known across batches. */
export interface WorkerSlot {
  /** Whatever the source marked as already sent to this worker (e.g. a pack's layout). */
  readonly holds: Set<string | number>;
}

interface Slot extends WorkerSlot {
  worker: Worker;
  inFlight: Map<number, { keys: number[] }>;
  usedSource: boolean;
  ended?: () => void;
}

/**
 * Worker heap limits. A small young generation makes V8 collect the per-file strings early: measured on
 * redis's history, two workers peak at ~140 MB RSS instead of ~220 MB, at no CPU cost. The old-generation
 * cap only stops a runaway: a worker that hits it fails its own batches, which are reported, not fatal.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 };

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly threads: number;
  private readonly batchBytes: number;
  private readonly batchItems: number;
  private readonly depth: number;
  private readonly inlineBytes: number;
  /** Bytes handed to the in-thread scan so far; once a batch would pass inlineBytes, workers take over. */
  private inlineScheduled = 0;
  private inlineOver = false;
  /** In-thread batches scheduled and not yet scanned. */
  private inlineInFlight = 0;
  private files: WorkItem[] = [];
  private filesBytes = 0;
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
    // With no worker the pool would never answer and the scan would end with no report at all.
    if (!Number.isInteger(this.threads) || this.threads < 1) throw new Error(`scan pool: threads must be a positive integer (got ${this.threads})`);
    this.batchBytes = options.batchBytes ?? 1024 * 1024;
    this.batchItems = options.batchItems ?? 128;
    this.depth = options.depth ?? 2;
    this.inlineBytes = options.inlineBytes ?? inlineBytesFromEnv();
  }

  /** Queues one file's content; returns its key (echoed in `onResult`). Awaits when the pool is saturated. */
  async add(path: string, bytes: Uint8Array): Promise<number> {
    const key = this.nextKey++;
    this.files.push({ key, path, bytes });
    this.filesBytes += bytes.byteLength;
    if (this.filesBytes >= this.batchBytes || this.files.length >= this.batchItems) await this.dispatchFiles();
    return key;
  }

  /** Keys for `count` results whose numbering the caller owns (a pack's entries: keyBase + entry). */
  reserveKeys(count: number): number {
    const base = this.nextKey;
    this.nextKey += count;
    return base;
  }

  /**
   * Sends one batch of the source's own work to a free worker (awaits when the pool is saturated).
   * `keys` are the results it will produce (reported as failed if the worker dies); `message` builds
   * the message for the chosen worker and its batch number (the worker's `holds` says what it has).
   */
  async send(keys: number[], message: (slot: WorkerSlot, batch: number) => { type: string; batch: number }): Promise<void> {
    if (!this.options.workerSource) throw new Error('scan pool: send needs a workerSource');
    const slot = await this.freeSlot();
    const batch = this.nextBatch++;
    slot.inFlight.set(batch, { keys });
    slot.usedSource = true;
    slot.worker.postMessage(message(slot, batch));
  }

  /** Waits until every queued item has its result (the pool stays open). */
  async drain(): Promise<void> {
    if (this.files.length) await this.dispatchFiles();
    while (this.inFlight() > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Sends what is queued, waits for every result, and stops the workers (and their git processes). */
  async close(): Promise<void> {
    await this.drain();
    // Let each worker's source end cleanly (git: its cat-file) before the worker is terminated.
    await Promise.all(
      this.slots
        .filter((slot) => slot.usedSource)
        .map(
          (slot) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 5000);
              slot.ended = () => {
                clearTimeout(timer);
                resolve();
              };
              slot.worker.postMessage({ type: 'end-source' } satisfies HostMessage);
            }),
        ),
    );
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  /** Stops the workers at once (on an error or abort); results still in flight are dropped. */
  async destroy(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) if (slot.usedSource) slot.worker.postMessage({ type: 'end-source' } satisfies HostMessage);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private inFlight(): number {
    return this.slots.reduce((n, slot) => n + slot.inFlight.size, this.inlineInFlight);
  }

  private async dispatchFiles(): Promise<void> {
    const items = this.files;
    const bytes = this.filesBytes;
    this.files = [];
    this.filesBytes = 0;
    if (!this.inlineOver && this.slots.length === 0 && this.inlineScheduled + bytes <= this.inlineBytes) return this.scanInline(items, bytes);
    this.inlineOver = true;
    const slot = await this.freeSlot();
    const batch = this.nextBatch++;
    slot.inFlight.set(batch, { keys: items.map((i) => i.key) });
    // Each file owns its ArrayBuffer (see the readers), so transferring moves it without a copy.
    slot.worker.postMessage({ type: 'files', batch, items } satisfies HostMessage, uniqueBuffers(items));
  }

  /**
   * Scans a batch in this thread on a later event-loop turn, so that its results reach `onResult` after
   * `add` returned its key, as a worker's do; at most `depth` batches wait, which keeps the walker paced.
   */
  private async scanInline(items: WorkItem[], bytes: number): Promise<void> {
    while (this.inlineInFlight >= this.depth) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.closed) throw new Error('scan pool is closed');
    this.inlineScheduled += bytes;
    this.inlineInFlight += 1;
    setImmediate(() => {
      if (!this.closed) for (const item of items) this.onResult(item.key, scanBlob(item.key, item.path, item.bytes, this.options.allowlist).result);
      this.inlineInFlight -= 1;
      this.wake();
    });
  }

  private async freeSlot(): Promise<Slot> {
    let slot = this.pickSlot();
    while (!slot) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      slot = this.pickSlot();
    }
    return slot;
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
    const url = workerModule(import.meta.url, './worker');
    // Plugin detectors are data (RegExps clone): each worker adds them to its own scanner.
    const workerData = { nhiscanScanWorker: true, allowlist: this.options.allowlist, source: this.options.workerSource?.href, detectors: pluginDetectors() };
    // Under vitest/tsx the sources are TypeScript: register tsx inside the worker, then load it. tsx is
    // resolved here: the worker's eval code would resolve it from the current directory, not from nhiscan.
    const tsx = isTs ? import.meta.resolve('tsx/esm/api') : '';
    const worker = isTs
      ? new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`, {
          eval: true,
          workerData,
          resourceLimits: WORKER_LIMITS,
        })
      : new Worker(url, { workerData, resourceLimits: WORKER_LIMITS });
    const slot: Slot = { worker, inFlight: new Map(), usedSource: false, holds: new Set() };
    worker.on('message', (message: Partial<PackedReply> & { ended?: boolean }) => {
      if (message.ended) return slot.ended?.();
      if (message.batch === undefined) return;
      const sent = slot.inFlight.get(message.batch);
      slot.inFlight.delete(message.batch);
      const answered = new Set<number>();
      for (const result of unpackResults({ batch: message.batch, results: [], ...message })) {
        answered.add(result.key);
        this.onResult(result.key, result);
      }
      if (message.failed && sent) {
        for (const key of sent.keys) if (!answered.has(key)) this.onResult(key, { key, hits: [], nonUtf8: false, outcome: 'error', error: message.failed });
      }
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
    for (const { keys } of slot.inFlight.values()) {
      for (const key of keys) this.onResult(key, { key, hits: [], nonUtf8: false, outcome: 'error', error: message.slice(0, 200) });
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
