/**
 * Writes reports atomically: each file is written to a temporary name in the same directory and
 * renamed into place, so a reader (or a CI step) never sees a half-written report. The content is
 * streamed: the producer writes chunks to a sink that flushes to the file in blocks, so no report
 * is ever held as one string.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ReportSink } from './sink.js';
import { longestHeldSecret, scrubHeldSecrets } from '../src/held-secrets.js';

const FLUSH_AT = 1 << 20; // bytes of pending text before a write to the file

/**
 * A sink that appends to an open file descriptor, in blocks of about FLUSH_AT characters. Each block
 * is scrubbed of the credentials nhiscan holds (held-secrets.ts), a last line of defence; the tail
 * a held value could straddle is kept back until the next block.
 */
function fileSink(fd: number): ReportSink & { flush(final?: boolean): void } {
  let pending: string[] = [];
  let size = 0;
  const flush = (final = false) => {
    if (!pending.length) return;
    let text = scrubHeldSecrets(pending.join(''));
    const keep = final ? 0 : Math.min(text.length, Math.max(0, longestHeldSecret() - 1));
    pending = keep ? [text.slice(text.length - keep)] : [];
    size = keep;
    if (keep) text = text.slice(0, text.length - keep);
    const buffer = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset);
  };
  return {
    write(chunk) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= FLUSH_AT) flush();
    },
    flush,
  };
}

/** Writes what `produce` hands its sink to `dir/fileName`, atomically. */
export async function writeAtomicStream(dir: string, fileName: string, produce: (sink: ReportSink) => void | Promise<void>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, fileName);
  const temp = join(dir, `.${fileName}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'w', 0o600);
    const sink = fileSink(fd);
    await produce(sink);
    sink.flush(true);
    closeSync(fd);
    fd = undefined;
    await rename(temp, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    await rm(temp, { force: true });
    throw error;
  }
  return target;
}

export async function writeAtomic(dir: string, fileName: string, content: string): Promise<string> {
  return writeAtomicStream(dir, fileName, (sink) => sink.write(content));
}
