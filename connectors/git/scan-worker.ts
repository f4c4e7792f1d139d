/**
 * Worker thread: runs the secret engine and sends back redacted hits only. Values are hashed and
 * previewed here, so they never leave this thread.
 *
 * Two kinds of work:
 * - `files`: contents sent by the main thread (the `dir:` walker);
 * - `blobs`: blob ids of a git repository, read by this worker's own long-lived `git cat-file --batch`
 *   process, so reading and decoding run in parallel on every core rather than through one thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { keywordHitsAfterDelta, keywordHitsOf, scanBytes as scanEngineBytes, type Allowlist, type KeywordHits, type SecretHit } from '../../src/secrets/index.js';
import { redactText, redactedPreview, secretHash } from '../../src/redact.js';
import { readBlobs, type BlobRequest } from './blob-reader.js';
import { classifyContent } from './classify.js';
import type { RedactedHit } from './redacted-hit.js';
import type { PackLayout } from './pack/pack-layout.js';
import { PackWalker, type Derivation } from './pack/pack-walk.js';

export interface WorkItem {
  key: number;
  path: string;
  bytes: Uint8Array;
}

export interface BlobItem {
  key: number;
  oid: string;
  path: string;
}

/** A pack to walk: sent whole the first time a worker sees it (its arrays are shared, not copied). */
export interface PackRef {
  id: number;
  /** Result keys of this pack's entries are keyBase + entry. */
  keyBase: number;
  layout?: PackLayout;
  paths?: string[];
}

export type WorkMessage =
  | { type: 'files'; batch: number; items: WorkItem[] }
  | { type: 'blobs'; batch: number; gitDir: string; maxSize: number; items: BlobItem[] }
  | { type: 'pack'; batch: number; pack: PackRef; roots: Int32Array; maxSize: number }
  | { type: 'end-blobs' };

/** `hand-back`: the pack walk could not produce this blob; the caller reads it through git instead. */
export type Outcome = 'scanned' | 'binary' | 'lfs-pointer' | 'empty' | 'too-large' | 'missing' | 'not-blob' | 'error' | 'hand-back';

export interface WorkResult {
  key: number;
  hits: RedactedHit[];
  nonUtf8: boolean;
  error?: string;
  /** For blobs: what happened to it, and its size. Files sent by the main thread are always `scanned`. */
  outcome?: Outcome;
  size?: number;
}

export function redact(hit: SecretHit): RedactedHit {
  const out: RedactedHit = {
    detector: hit.detectorId,
    title: hit.title,
    provider: hit.provider,
    severity: hit.severity,
    confidence: hit.confidence,
    hash: secretHash(hit.value),
    preview: redactedPreview(hit.value),
    line: hit.line,
    column: hit.column,
  };
  if (hit.identityKind) out.identityKind = hit.identityKind;
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
    const { hits, nonUtf8, keywordHits } = scanEngineBytes(bytes, { path, allowlist, keywordHits: known });
    return { result: { key, hits: hits.map(redact), nonUtf8, outcome: 'scanned', size: bytes.byteLength }, keywordHits };
  } catch (error) {
    return { result: { key, hits: [], nonUtf8: false, error: `detector failure: ${redactText((error as Error).message).slice(0, 200)}`, outcome: 'error', size: bytes.byteLength } };
  }
}

/** A scan's result for the main thread, and (kept in the worker) the file's keyword hits for its deltas. */
interface Scanned {
  result: WorkResult;
  keywordHits?: KeywordHits;
}

/** An async queue: messages push blob requests in, the cat-file reader pulls them out. */
class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

  push(item: T): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    this.ended = true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

interface BlobTag {
  batch: number;
  key: number;
  path: string;
}

function startBlobReader(port: NonNullable<typeof parentPort>, gitDir: string, maxSize: number, allowlist: Allowlist | undefined) {
  const channel = new Channel<BlobRequest<BlobTag>>();
  const batches = new Map<number, { remaining: number; results: WorkResult[] }>();
  const settle = (tag: BlobTag, result: WorkResult) => {
    const state = batches.get(tag.batch);
    if (!state) return;
    state.results.push(result);
    state.remaining -= 1;
    if (state.remaining === 0) {
      batches.delete(tag.batch);
      port.postMessage({ batch: tag.batch, results: state.results });
    }
  };
  const done = (async () => {
    for await (const record of readBlobs(gitDir, channel, maxSize, { reuseBuffer: true })) {
      const { key, path } = record.tag;
      switch (record.kind) {
        case 'blob':
          settle(record.tag, scanContent(key, path, record.content, maxSize, allowlist).result);
          break;
        case 'too-large':
          settle(record.tag, { key, hits: [], nonUtf8: false, outcome: 'too-large', size: record.size });
          break;
        case 'missing':
        case 'not-blob':
          settle(record.tag, { key, hits: [], nonUtf8: false, outcome: record.kind });
          break;
        case 'error':
          settle(record.tag, { key, hits: [], nonUtf8: false, outcome: 'error', error: `cannot be read (corrupt object?): ${redactText(record.message).slice(0, 200)}` });
          break;
      }
    }
  })().catch((error: unknown) => {
    // git could not be run at all: every request still pending fails, with the reason.
    for (const [batch, state] of batches) {
      port.postMessage({ batch, results: state.results, failed: `git cat-file failed: ${redactText((error as Error).message).slice(0, 200)}` });
    }
    batches.clear();
  });
  return {
    gitDir,
    add(batch: number, items: BlobItem[]) {
      if (!items.length) return port.postMessage({ batch, results: [] });
      batches.set(batch, { remaining: items.length, results: [] });
      for (const item of items) channel.push({ oid: item.oid, tag: { batch, key: item.key, path: item.path } });
    },
    end: () => {
      channel.end();
      return done;
    },
  };
}

/** Scans one blob's content, whichever way it was read; `known`: its keyword hits, when derived. */
function scanContent(key: number, path: string, content: Buffer, maxSize: number, allowlist: Allowlist | undefined, known?: KeywordHits): Scanned {
  if (content.length > maxSize) return { result: { key, hits: [], nonUtf8: false, outcome: 'too-large', size: content.length } };
  const kind = classifyContent(content);
  return kind === 'text' ? scanBlob(key, path, content, allowlist, known) : { result: { key, hits: [], nonUtf8: false, outcome: kind, size: content.length } };
}

/** Pack walks: one walker (an open pack file) per pack this worker was sent. */
class PackWork {
  private readonly packs = new Map<number, { walker: PackWalker; paths: string[]; keyBase: number; layout: PackLayout }>();

  constructor(private readonly allowlist: Allowlist | undefined) {}

  run(ref: PackRef, roots: Int32Array, maxSize: number): WorkResult[] {
    let pack = this.packs.get(ref.id);
    if (!pack) {
      if (!ref.layout || !ref.paths) throw new Error(`pack ${ref.id} was never sent to this worker`);
      pack = { walker: new PackWalker(ref.layout, { maxChainBytes: MAX_CHAIN_BYTES }), paths: ref.paths, keyBase: ref.keyBase, layout: ref.layout };
      this.packs.set(ref.id, pack);
    }
    const { paths, keyBase, layout } = pack;
    const results: WorkResult[] = [];
    // Each object carries its keyword hits to the versions built on it, so the prefilter only walks
    // what a delta inserts (see src/secrets/delta-hits.ts).
    pack.walker.walk<KeywordHits>(roots, {
      object: (entry, content, wanted, derivation, hasDescendants) => {
        const known = derivedHits(content, derivation, maxSize);
        if (!wanted) return hasDescendants && content.length <= maxSize ? (known ?? keywordHitsOf(content)) : undefined;
        const { result, keywordHits } = scanContent(keyBase + entry, paths[layout.wanted[entry]!] ?? '', content, maxSize, this.allowlist, known);
        results.push(result);
        return keywordHits;
      },
      handBack: (entry, reason) => results.push({ key: keyBase + entry, hits: [], nonUtf8: false, outcome: 'hand-back', error: redactText(reason).slice(0, 200) }),
    });
    return results;
  }

  close(): void {
    for (const { walker } of this.packs.values()) walker.close();
    this.packs.clear();
  }
}

/** The keyword hits of a delta's result, from its base's (when the base had them and the result is scanned). */
function derivedHits(content: Buffer, derivation: Derivation<KeywordHits> | undefined, maxSize: number): KeywordHits | undefined {
  if (!derivation?.base || content.length > maxSize) return undefined;
  return keywordHitsAfterDelta(derivation.base, content, derivation.copies, derivation.copyCount);
}

/**
 * Contents held along one delta chain while walking a pack. Versions of one file are usually small;
 * a chain of huge files beyond this is handed back and read by git, which streams it.
 */
const MAX_CHAIN_BYTES = 48 * 1024 * 1024;

if (parentPort && workerData?.nhiscanScanWorker) {
  const allowlist = workerData.allowlist as Allowlist | undefined;
  const port = parentPort;
  let reader: ReturnType<typeof startBlobReader> | undefined;
  const packWork = new PackWork(allowlist);
  port.on('message', (message: WorkMessage) => {
    if (message.type === 'pack') {
      try {
        port.postMessage({ batch: message.batch, results: packWork.run(message.pack, message.roots, message.maxSize) });
      } catch (error) {
        port.postMessage({ batch: message.batch, results: [], failed: `pack walk failed: ${redactText((error as Error).message).slice(0, 200)}` });
      }
    } else if (message.type === 'files') {
      port.postMessage({ batch: message.batch, results: message.items.map((item) => scanBlob(item.key, item.path, item.bytes, allowlist).result) });
    } else if (message.type === 'blobs') {
      if (!reader || reader.gitDir !== message.gitDir) reader = startBlobReader(port, message.gitDir, message.maxSize, allowlist);
      reader.add(message.batch, message.items);
    } else if (message.type === 'end-blobs') {
      packWork.close();
      void (reader?.end() ?? Promise.resolve()).then(() => port.postMessage({ ended: true }));
      reader = undefined;
    }
  });
}
