/**
 * The git side of the scan workers (loaded in each worker by the secret-scan host, see
 * src/secret-scan/worker-source.ts): blob ids read by the worker's own long-lived `git cat-file --batch`,
 * and pack delta trees walked in the worker, so reading and decoding run in parallel on every core.
 */
import type { KeywordHits } from '../../src/secrets/index.js';
import { keywordHitsAfterDelta, keywordHitsOf } from '../../src/secrets/index.js';
import { redactText } from '../../src/redact.js';
import type { WorkResult } from '../../src/secret-scan/worker.js';
import type { WorkerHost, WorkerSource } from '../../src/secret-scan/worker-source.js';
import { readBlobs, type BlobRequest } from './blob-reader.js';
import type { PackLayout } from './pack/pack-layout.js';
import { PackWalker, WalkMemory, type Derivation } from './pack/pack-walk.js';
import { judgingPaths } from './path-judging.js';
import { yieldToListing, type ListingYield } from './worker-priority.js';

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
}

/**
 * The wanted blobs' paths (`layout.wanted` holds their ids), one table for every pack: each message
 * carries those the worker has not had yet, since trees may be walked while the listing still adds paths.
 */
export interface NewPaths {
  from: number;
  paths: string[];
}

/** `listing`: the pool's listing, which its workers yield to while it runs (worker-priority.ts). */
export type GitWorkMessage =
  | { type: 'blobs'; batch: number; gitDir: string; maxSize: number; items: BlobItem[]; listing?: ListingYield }
  | { type: 'pack'; batch: number; pack: PackRef; roots: Int32Array; maxSize: number; paths: NewPaths; listing?: ListingYield };

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

function startBlobReader(host: WorkerHost, gitDir: string, maxSize: number) {
  const channel = new Channel<BlobRequest<BlobTag>>();
  const batches = new Map<number, { remaining: number; results: WorkResult[] }>();
  const settle = (tag: BlobTag, result: WorkResult) => {
    const state = batches.get(tag.batch);
    if (!state) return;
    state.results.push(result);
    state.remaining -= 1;
    if (state.remaining === 0) {
      batches.delete(tag.batch);
      host.reply({ batch: tag.batch, results: state.results });
    }
  };
  const done = (async () => {
    for await (const record of readBlobs(gitDir, channel, maxSize, { reuseBuffer: true })) {
      const { key, path } = record.tag;
      switch (record.kind) {
        case 'blob':
          settle(record.tag, host.scanContent(key, path, record.content, maxSize).result);
          break;
        case 'too-large':
          settle(record.tag, { key, hits: [], nonUtf8: false, outcome: 'too-large', size: record.size });
          break;
        case 'missing':
        case 'not-blob':
          settle(record.tag, { key, hits: [], nonUtf8: false, outcome: record.kind });
          break;
        case 'error':
          settle(record.tag, {
            key,
            hits: [],
            nonUtf8: false,
            outcome: 'error',
            error: `cannot be read (corrupt object?): ${redactText(record.message).slice(0, 200)}`,
          });
          break;
      }
    }
  })().catch((error: unknown) => {
    // git could not be run at all: every request still pending fails, with the reason.
    for (const [batch, state] of batches) {
      host.reply({ batch, results: state.results, failed: `git cat-file failed: ${redactText((error as Error).message).slice(0, 200)}` });
    }
    batches.clear();
  });
  return {
    gitDir,
    add(batch: number, items: BlobItem[]) {
      if (!items.length) return host.reply({ batch, results: [] });
      batches.set(batch, { remaining: items.length, results: [] });
      for (const item of items) channel.push({ oid: item.oid, tag: { batch, key: item.key, path: item.path } });
    },
    end: () => {
      channel.end();
      return done;
    },
  };
}

/** Pack walks: one walker (an open pack file) per pack this worker was sent, all over the worker's one walk memory (its walks never overlap). */
class PackWork {
  private readonly packs = new Map<number, { walker: PackWalker; keyBase: number; layout: PackLayout }>();
  private memory: WalkMemory | undefined;
  private readonly paths: string[] = [];

  constructor(private readonly host: WorkerHost) {}

  run(ref: PackRef, roots: Int32Array, maxSize: number, added: NewPaths): WorkResult[] {
    let pack = this.packs.get(ref.id);
    if (!pack) {
      if (!ref.layout) throw new Error(`pack ${ref.id} was never sent to this worker`);
      this.memory ??= new WalkMemory();
      pack = { walker: new PackWalker(ref.layout, { maxChainBytes: MAX_CHAIN_BYTES }, this.memory), keyBase: ref.keyBase, layout: ref.layout };
      this.packs.set(ref.id, pack);
    }
    if (added.from !== this.paths.length) throw new Error(`paths from ${added.from} sent to a worker holding ${this.paths.length}`);
    for (const path of added.paths) this.paths.push(path);
    const { paths } = this;
    const { keyBase, layout } = pack;
    const results: WorkResult[] = [];
    // Each object carries its keyword hits to the versions built on it, so the prefilter only walks
    // what a delta inserts (see src/secrets/delta-hits.ts).
    pack.walker.walk<KeywordHits>(roots, {
      object: (entry, content, wanted, derivation, hasDescendants) => {
        const known = derivedHits(content, derivation, maxSize);
        if (!wanted) return hasDescendants && content.length <= maxSize ? (known ?? keywordHitsOf(content)) : undefined;
        const { result, keywordHits } = this.host.scanContent(keyBase + entry, paths[layout.wanted[entry]!] ?? '', content, maxSize, known);
        results.push(result);
        return keywordHits;
      },
      handBack: (entry, reason) =>
        results.push({ key: keyBase + entry, hits: [], nonUtf8: false, outcome: 'hand-back', error: redactText(reason).slice(0, 200) }),
    });
    return results;
  }

  close(): void {
    for (const { walker } of this.packs.values()) walker.close();
    this.packs.clear();
    this.memory = undefined;
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

export function createWorkerSource(source: WorkerHost): WorkerSource {
  const host = judgingPaths(source); // a path that may hide a secret is checked against the content alone
  let reader: ReturnType<typeof startBlobReader> | undefined;
  const packWork = new PackWork(host);
  return {
    handle(raw: unknown) {
      const message = raw as GitWorkMessage;
      yieldToListing(message.listing); // while the pool's listing runs (worker-priority.ts)
      if (message.type === 'pack') {
        try {
          host.reply({ batch: message.batch, results: packWork.run(message.pack, message.roots, message.maxSize, message.paths) });
        } catch (error) {
          host.reply({ batch: message.batch, results: [], failed: `pack walk failed: ${redactText((error as Error).message).slice(0, 200)}` });
        }
      } else if (message.type === 'blobs') {
        if (!reader || reader.gitDir !== message.gitDir) reader = startBlobReader(host, message.gitDir, message.maxSize);
        reader.add(message.batch, message.items);
      }
    },
    async end() {
      packWork.close();
      const ending = reader?.end();
      reader = undefined;
      await ending;
    },
  };
}
