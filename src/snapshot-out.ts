import { basename, dirname, resolve } from 'node:path';
import type { ConnectorContext, SourceError } from './plugin.js';
import { writeAtomic } from './atomic-write.js';

/**
 * Records a connector's raw snapshot for a later `import:FILE`: resolved against the source's base
 * directory (the config's folder for configured sources) and written atomically, so a re-scan never
 * reads a half-written file. A failed write costs the recording, not the scan: it becomes the
 * source's error.
 */
export async function writeSnapshot(ctx: ConnectorContext, file: string, snapshot: unknown): Promise<SourceError | undefined> {
  const path = resolve(ctx.baseDir, file);
  try {
    await writeAtomic(dirname(path), basename(path), `${JSON.stringify(snapshot, null, 2)}\n`);
    ctx.log.info(`${ctx.source.spec}: snapshot written to ${path}`);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { part: 'snapshot-out', message: `cannot write the snapshot to ${path}: ${code ?? (error as Error).message}` };
  }
}
