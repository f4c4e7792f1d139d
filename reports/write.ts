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

const FLUSH_AT = 1 << 20; // bytes of pending text before a write to the file

/** A sink that appends to an open file descriptor, in blocks of about FLUSH_AT characters. */
function fileSink(fd: number): ReportSink & { flush(): void } {
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    if (!pending.length) return;
    const buffer = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    size = 0;
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
    sink.flush();
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
