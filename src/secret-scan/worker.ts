/**
 * Worker thread: runs the secret engine and sends back redacted hits only. Values are hashed and
 * previewed here, so they never leave this thread.
 *
 * Two kinds of work:
 * - `files`: contents sent by the main thread (the `dir:` walker);
 * - a source's own messages (e.g. git blob ids and pack walks), handled by the source's worker module
 *   (see worker-source.ts), which reads the content itself so reading runs on every core.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import {
  addDetectors,
  holdsKeystore,
  scanBytes as scanEngineBytes,
  type DetectorEntry,
  type Allowlist,
  type KeywordHits,
  type SecretHit,
} from '../secrets/index.js';
import { redactText, redactedPreview, secretHash } from '../redact.js';
import { classifyContent } from './classify.js';
import { packReply } from './packed-results.js';
import type { RedactedHit } from './redacted-hit.js';
import type { BatchReply, Scanned, WorkerHost, WorkerSource, WorkerSourceFactory } from './worker-source.js';

export interface WorkItem {
  key: number;
  path: string;
  bytes: Uint8Array;
}

/** The host's own messages; anything else goes to the worker source. */
export type HostMessage = { type: 'files'; batch: number; items: WorkItem[] } | { type: 'end-source' };

/**
 * What happened to one item. `missing`, `not-blob`: the source has no such file content; `hand-back`:
 * the source could not produce it this way and the caller reads it another way.
 */
export type Outcome = 'scanned' | 'binary' | 'lfs-pointer' | 'nhiscan-report' | 'empty' | 'too-large' | 'missing' | 'not-blob' | 'error' | 'hand-back';

export interface WorkResult {
  key: number;
  hits: RedactedHit[];
  nonUtf8: boolean;
  error?: string;
  /** What happened to the item, and its size. Files sent by the main thread are always `scanned`. */
  outcome?: Outcome;
  size?: number;
  /** Matches beyond MAX_HITS_PER_DETECTOR in this file: counted, not kept. */
  hitsOverCap?: number;
}

/**
 * Hits kept per detector in one file. A file flooded with one token shape (a million AWS key ids)
 * would otherwise hold every hit, and its redacted copy, in the worker's heap, and lose the whole file
 * when the worker runs out; past the cap matches are counted (`hitsOverCap`) and reported as not covered.
 */
export const MAX_HITS_PER_DETECTOR = 200;

/** The not-covered reason of a file whose hits were capped. */
export function overCapReason(overCap: number): string {
  return `${overCap} more hits of detectors that matched over ${MAX_HITS_PER_DETECTOR} times in this file were counted, not kept (a flood of token-shaped strings)`;
}

export function redact(hit: SecretHit): RedactedHit {
  const out: RedactedHit = {
    detector: hit.detectorId,
    title: hit.title,
    provider: hit.provider,
    severity: hit.severity,
    confidence: hit.confidence,
    assurance: hit.assurance,
    hash: secretHash(hit.value),
    preview: redactedPreview(hit.value),
    line: hit.line,
    column: hit.column,
  };
  if (hit.identityKind) out.identityKind = hit.identityKind;
  if (hit.testCredential) out.testCredential = true;
  if (hit.decoded && Object.keys(hit.decoded).length) out.decoded = hit.decoded;
  return out;
}

/**
 * Scans one file's bytes. The engine decodes only the files that contain a keyword, in pieces small
 * enough that V8 never builds a huge string (invalid UTF-8 is read as Latin-1, so ASCII tokens
 * inside are still found).
 */
export function scanBlob(key: number, path: string, bytes: Uint8Array, allowlist: Allowlist | undefined, known?: KeywordHits): Scanned {
  try {
    const { hits, nonUtf8, keywordHits, hitsOverCap, droppedByPath } = scanEngineBytes(bytes, {
      path,
      allowlist,
      keywordHits: known,
      maxHitsPerDetector: MAX_HITS_PER_DETECTOR,
    });
    const result: WorkResult = { key, hits: hits.map(redact), nonUtf8, outcome: 'scanned', size: bytes.byteLength };
    if (hitsOverCap) result.hitsOverCap = hitsOverCap;
    return droppedByPath ? { result, keywordHits, droppedByPath } : { result, keywordHits };
  } catch (error) {
    return {
      result: {
        key,
        hits: [],
        nonUtf8: false,
        error: `detector failure: ${redactText((error as Error).message).slice(0, 200)}`,
        outcome: 'error',
        size: bytes.byteLength,
      },
    };
  }
}

/** Scans one content read by a source: over the size limit, binary, empty and LFS pointers are only classified. */
export function scanContent(key: number, path: string, content: Buffer, maxSize: number, allowlist: Allowlist | undefined, known?: KeywordHits): Scanned {
  if (content.length > maxSize) return { result: { key, hits: [], nonUtf8: false, outcome: 'too-large', size: content.length } };
  const kind = classifyContent(content);
  // Binary files are skipped, except keystores (PKCS#12, JKS), which the engine recognises by structure.
  const scan = kind === 'text' || (kind === 'binary' && holdsKeystore(content));
  return scan ? scanBlob(key, path, content, allowlist, known) : { result: { key, hits: [], nonUtf8: false, outcome: kind, size: content.length } };
}

/** A batch's results to the main thread, the plain ones packed (packed-results.ts). */
function postReply(port: MessagePort, reply: BatchReply): void {
  const { message, transfer } = packReply(reply);
  port.postMessage(message, transfer);
}

/** Loads the source's worker module once; its messages wait for it (the promise keeps their order). */
function loadSource(specifier: string | undefined, host: WorkerHost): Promise<WorkerSource | undefined> {
  if (!specifier) return Promise.resolve(undefined);
  return import(specifier).then((mod: { createWorkerSource?: WorkerSourceFactory }) => {
    if (typeof mod.createWorkerSource !== 'function') throw new Error(`${specifier} exports no createWorkerSource`);
    return mod.createWorkerSource(host);
  });
}

if (parentPort && workerData?.nhiscanScanWorker) {
  const allowlist = workerData.allowlist as Allowlist | undefined;
  const detectors = workerData.detectors as DetectorEntry[] | undefined;
  if (detectors?.length) addDetectors(detectors);
  const port = parentPort;
  const host: WorkerHost = {
    allowlist,
    reply: (reply: BatchReply) => postReply(port, reply),
    scanContent: (key, path, content, maxSize, known) => scanContent(key, path, content, maxSize, allowlist, known),
  };
  const source = loadSource(workerData.source as string | undefined, host);
  port.on('message', (message: HostMessage | { type?: string; batch?: number }) => {
    if (message.type === 'files') {
      const { batch, items } = message as Extract<HostMessage, { type: 'files' }>;
      postReply(port, { batch, results: items.map((item) => scanBlob(item.key, item.path, item.bytes, allowlist).result) });
    } else if (message.type === 'end-source') {
      void source
        .then((s) => s?.end())
        .catch(() => undefined)
        .then(() => port.postMessage({ ended: true }));
    } else {
      source
        .then((s) => {
          if (!s) throw new Error('this pool has no worker source');
          s.handle(message);
        })
        .catch((error: unknown) => {
          const batch = (message as { batch?: number }).batch;
          if (batch !== undefined)
            port.postMessage({ batch, results: [], failed: `scan worker: ${redactText((error as Error).message).slice(0, 200)}` } satisfies BatchReply);
        });
    }
  });
}
