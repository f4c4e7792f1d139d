/**
 * One long-lived `git cat-file --batch` process streaming blob contents in the order they are asked
 * for. Each unique blob is read exactly once; blobs over the size limit are streamed through and
 * dropped without being buffered, so memory stays bounded by the limit. When git dies on a corrupt
 * object, the object is reported and a fresh process continues with the rest.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { exited, spawnGit } from './git-process.js';

export interface BlobRequest<T> {
  oid: string;
  /** Carried through unchanged (the blob's path, for instance). */
  tag: T;
}

export type BlobRecord<T> =
  | { kind: 'blob'; oid: string; tag: T; size: number; content: Buffer }
  | { kind: 'too-large'; oid: string; tag: T; size: number }
  | { kind: 'missing'; oid: string; tag: T }
  | { kind: 'not-blob'; oid: string; tag: T; type: string }
  | { kind: 'error'; oid: string; tag: T; message: string };

interface ParserState {
  buffer: Buffer; // unparsed bytes
  /** With `reuseBuffer`: one growing buffer holds every blob in turn (no allocation per blob). */
  scratch?: Buffer;
  current?: { type: string; size: number; keep: boolean; content?: Buffer; filled: number };
}

/**
 * Reads the requested blobs and yields one record per request, in request order.
 * `requests` is consumed lazily, so callers can feed it from a streaming enumeration.
 */
export interface ReadOptions {
  /**
   * Hand out every blob's content in one reused buffer, valid only until the consumer asks for the next
   * record. Saves an allocation per blob, which keeps memory flat over a 70,000-blob history; for
   * consumers that finish with each blob before moving on (the scan workers).
   */
  reuseBuffer?: boolean;
}

export async function* readBlobs<T>(
  gitDir: string,
  requests: AsyncIterable<BlobRequest<T>> | Iterable<BlobRequest<T>>,
  maxSize: number,
  options: ReadOptions = {},
): AsyncGenerator<BlobRecord<T>> {
  const pending: BlobRequest<T>[] = []; // asked for, not yet answered (FIFO: git answers in order)
  const iterator = (
    Symbol.asyncIterator in requests
      ? (requests as AsyncIterable<BlobRequest<T>>)[Symbol.asyncIterator]()
      : (requests as Iterable<BlobRequest<T>>)[Symbol.iterator]()
  ) as AsyncIterator<BlobRequest<T>> | Iterator<BlobRequest<T>>;
  let inputDone = false;
  let restarts = 0;
  // The next request, pulled from the iterator but not yet written to a git process. When git dies
  // while its feeder waits for a request (a streaming source), that request must go to the next
  // process: the dead process's feeder sees it is dead and leaves it here.
  let head: Promise<BlobRequest<T> | undefined> | undefined;
  const peek = () =>
    (head ??= (async () => {
      if (inputDone) return undefined;
      const next = await iterator.next();
      if (next.done) inputDone = true;
      return next.done ? undefined : next.value;
    })());
  const consume = () => {
    head = undefined;
  };

  while (true) {
    const child = spawnGit(gitDir, ['cat-file', '--batch']);
    const done = exited(child);
    child.stdin.on('error', () => {});
    // Feed the process from `pending` (after a restart) then from the iterator, respecting backpressure.
    const resend = [...pending];
    let feedError: unknown;
    const feeding = feed(child, resend, peek, (request) => {
      consume();
      pending.push(request);
    }).catch((error: unknown) => {
      feedError = error;
    });

    const state: ParserState = { buffer: Buffer.alloc(0), scratch: options.reuseBuffer ? Buffer.allocUnsafeSlow(64 * 1024) : undefined };
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        for (const record of parse(state, chunk, pending, maxSize)) {
          yield record;
        }
      }
    } finally {
      if (!child.killed && child.exitCode === null) {
        // The consumer stopped early (return/throw): do not leave git running.
        child.kill();
      }
    }
    const { code, stderr } = await done;
    if (inputDone && pending.length === 0) {
      await feeding; // git answered everything and its input is over: the feeder has finished
      if (feedError) throw feedError;
      return;
    }
    if (feedError) throw feedError;
    restarts += 1;
    if (restarts > 1000) {
      for (const rest of pending.splice(0)) yield { kind: 'error', oid: rest.oid, tag: rest.tag, message: 'not read: too many git failures' };
      throw new Error(`git cat-file keeps failing: ${firstLine(stderr) || `exit ${code}`}`);
    }
    // git died before answering everything: the first unanswered object is the culprit. (Died with
    // nothing outstanding: simply start another process for the requests still to come.)
    const culprit = pending.shift();
    if (culprit) yield { kind: 'error', oid: culprit.oid, tag: culprit.tag, message: firstLine(stderr) || `git cat-file exited with code ${code}` };
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}

async function feed<T>(
  child: ChildProcessWithoutNullStreams,
  resend: BlobRequest<T>[],
  peek: () => Promise<BlobRequest<T> | undefined>,
  take: (request: BlobRequest<T>) => void,
): Promise<void> {
  // Waits for drain, or for git to be gone (a dead process never drains).
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        child.stdin.off('drain', done);
        child.off('close', done);
        resolve();
      };
      child.stdin.once('drain', done);
      child.once('close', done);
    });
  const alive = () => child.exitCode === null && child.signalCode === null && !child.stdin.destroyed;
  try {
    if (resend.length && alive() && !child.stdin.write(resend.map((r) => `${r.oid}\n`).join(''))) await drained();
    let request: BlobRequest<T> | undefined;
    // Each id is written as soon as it is known: requests may trickle in (from rev-list or from a
    // worker's queue), and an id held back in a buffer would be an answer git never gives.
    while ((request = await peek())) {
      if (!alive()) return; // left for the next process
      take(request);
      if (!child.stdin.write(`${request.oid}\n`)) await drained();
    }
  } finally {
    child.stdin.end(); // always: git answers the last requests only once its input ends or flushes
  }
}

function* parse<T>(state: ParserState, chunk: Buffer, pending: BlobRequest<T>[], maxSize: number): Generator<BlobRecord<T>> {
  let data = state.buffer.length ? Buffer.concat([state.buffer, chunk]) : chunk;
  let pos = 0;
  while (pos < data.length) {
    const current = state.current;
    if (!current) {
      const eol = data.indexOf(10, pos);
      if (eol < 0) break;
      const header = data.toString('latin1', pos, eol);
      pos = eol + 1;
      // git answers in request order; the request stays at the head of `pending` until its content is
      // complete, so a crash mid-object names the right culprit.
      const request = pending[0];
      if (!request) continue;
      const parts = header.split(' ');
      if (parts[1] === 'missing' || parts[1] === 'ambiguous') {
        pending.shift();
        yield { kind: 'missing', oid: request.oid, tag: request.tag };
        continue;
      }
      const size = Number(parts[2]);
      const type = parts[1] ?? '';
      const keep = type === 'blob' && size <= maxSize;
      let content: Buffer | undefined;
      if (keep && state.scratch) {
        if (state.scratch.length < size) state.scratch = Buffer.allocUnsafeSlow(Math.max(size, state.scratch.length * 2));
        content = state.scratch.subarray(0, size);
      } else if (keep) content = Buffer.allocUnsafeSlow(size);
      state.current = { type, size, keep, content, filled: 0 };
      continue;
    }
    // Content bytes, then one trailing newline.
    const need = current.size + 1 - current.filled;
    const take = Math.min(need, data.length - pos);
    if (current.content && current.filled < current.size) {
      const contentBytes = Math.min(take, current.size - current.filled);
      data.copy(current.content, current.filled, pos, pos + contentBytes);
    }
    current.filled += take;
    pos += take;
    if (current.filled === current.size + 1) {
      const request = pending.shift()!;
      state.current = undefined;
      if (current.type !== 'blob') yield { kind: 'not-blob', oid: request.oid, tag: request.tag, type: current.type };
      else if (!current.keep) yield { kind: 'too-large', oid: request.oid, tag: request.tag, size: current.size };
      else yield { kind: 'blob', oid: request.oid, tag: request.tag, size: current.size, content: current.content! };
    }
  }
  state.buffer = pos < data.length ? Buffer.from(data.subarray(pos)) : Buffer.alloc(0);
  data = Buffer.alloc(0);
}
