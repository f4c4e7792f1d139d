/**
 * Writes reports atomically: each file is written to a temporary name in the same directory and
 * renamed into place, so a reader (or a CI step) never sees a half-written report. The content is
 * streamed: the producer writes chunks to a sink that flushes to the file in blocks, so no report
 * is ever held as one string.
 */
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ReportSink } from './plugin.js';
import { longestHeldSecret, scrubHeldSecrets } from './held-secrets.js';

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
    for (let offset = 0; offset < buffer.length;) offset += writeSync(fd, buffer, offset);
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

/** `.<report file>.<pid>.<random>.tmp`: the temporary name writeAtomicStream writes before renaming. */
const TEMPORARY = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes sure reports can be written to `dir` before a scan starts (it exists or can be created, and
 * is a writable directory), so a mistake never costs a whole scan's results. Also removes temporary
 * report files a killed earlier run left behind (a concurrent run's, whose process lives, are kept).
 * Throws an Error with a message for the user.
 */
export function prepareReportDir(dir: string): void {
  try {
    if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false) throw new Error('it is not a directory');
    mkdirSync(dir, { recursive: true });
    const probe = `${dir}/.nhiscan-write-check.${process.pid}.tmp`;
    closeSync(openSync(probe, 'w', 0o600));
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of it is a file, not a directory' : code ? `cannot write there (${code})` : (error as Error).message;
    throw new Error(`--out ${dir}: ${why}`);
  }
  for (const name of readdirSync(dir)) {
    const match = TEMPORARY.exec(name);
    if (match && !isRunning(Number(match[1]))) rmSync(`${dir}/${name}`, { force: true });
  }
}
