/**
 * Writes reports atomically: each file is written to a temporary name in the same directory and
 * renamed into place, so a reader (or a CI step) never sees a half-written report.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeAtomic(dir: string, fileName: string, content: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, fileName);
  const temp = join(dir, `.${fileName}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', mode: 0o600 });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return target;
}
