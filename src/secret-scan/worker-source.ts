/**
 * How a source hands its own kind of work to the scan workers without the host knowing the source.
 *
 * The pool (main thread) sends a source's messages with `ScanPool.send`; each worker loads the source's
 * module (`ScanPoolOptions.workerSource`) once and passes it every message that is not the host's own.
 * The module reads the content its way (git reads blobs and walks packs) and scans it through the
 * host, so the engine, the classification and the redaction stay in one place.
 */
import type { Allowlist, KeywordHits } from '../secrets/index.js';
import type { WorkResult } from './worker.js';

/** A batch's answer: the results of its keys, or why the rest of them failed. */
export interface BatchReply {
  batch: number;
  results: WorkResult[];
  failed?: string;
}

/** A scan's result for the main thread, and (kept in the worker) the content's keyword hits for its deltas. */
export interface Scanned {
  result: WorkResult;
  keywordHits?: KeywordHits;
  /** A rule that reads the path dropped a candidate (ScanBytesResult.droppedByPath): the content may hold more at another path. */
  droppedByPath?: true;
}

export interface WorkerHost {
  readonly allowlist: Allowlist | undefined;
  /** Sends a batch's results to the main thread. */
  reply(reply: BatchReply): void;
  /**
   * Scans one file's content: too-large, binary, empty and LFS pointers are classified, text is scanned.
   * `known`: the content's keyword hits when the source derived them (a git delta's base).
   */
  scanContent(key: number, path: string, content: Buffer, maxSize: number, known?: KeywordHits): Scanned;
}

export interface WorkerSource {
  /** One message sent with `ScanPool.send`; its results go back through `host.reply`. */
  handle(message: unknown): void;
  /** The pool is closing: release what the source holds (processes, open files). */
  end(): Promise<void>;
}

/** What a worker-source module exports under the name `createWorkerSource`. */
export type WorkerSourceFactory = (host: WorkerHost) => WorkerSource;

/**
 * The URL of a module next to `importMetaUrl` (e.g. `workerModule(import.meta.url, './scan-source')`):
 * the compiled `.js` normally, the `.ts` source under vitest/tsx, where the workers register tsx.
 */
export function workerModule(importMetaUrl: string, base: string): URL {
  return new URL(`${base}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl);
}
