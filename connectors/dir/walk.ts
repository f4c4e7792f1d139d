/**
 * Walks a directory tree iteratively (no recursion, so any depth works), honouring `.gitignore` files
 * the way git does (each file's patterns apply below its own directory), never entering `.git`, and
 * following symbolic links only inside the scanned root, once per real path, so links cannot loop or
 * escape. Every file or directory that cannot be read yields a note instead of an exception.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compileGitignore, type GitignoreMatcher } from './gitignore.js';

export type WalkEntry = { kind: 'file'; path: string; absolute: string; size: number } | { kind: 'note'; path: string; message: string; skipped?: boolean };

interface Frame {
  dir: string;
  /** .gitignore matchers in effect, each with the directory its patterns are relative to. */
  ignores: { base: string; matcher: GitignoreMatcher }[];
  depth: number;
}

export interface WalkOptions {
  respectGitignore: boolean;
  maxFileSize: number;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isIgnored(ignores: Frame['ignores'], absolute: string, isDir: boolean): boolean {
  for (const { base, matcher } of ignores) {
    const rel = toPosix(relative(base, absolute));
    if (!rel || rel.startsWith('..')) continue;
    if (matcher.ignores(rel, isDir)) return true;
  }
  return false;
}

/**
 * A directory's .gitignore, when it is a regular file (or a link to one): a FIFO of that name would
 * block the walk forever, a device could be read without end.
 */
async function readGitignore(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined; // no .gitignore here
  }
}

export async function* walk(root: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  const rootReal = await realpath(root);
  const visitedDirs = new Set<string>([rootReal]);
  const visitedFiles = new Set<string>();
  const stack: Frame[] = [{ dir: rootReal, ignores: [], depth: 0 }];
  const rel = (absolute: string) => toPosix(relative(rootReal, absolute)) || '.';

  while (stack.length) {
    const frame = stack.pop()!;
    let ignores = frame.ignores;
    if (options.respectGitignore) {
      const text = await readGitignore(join(frame.dir, '.gitignore'));
      if (text !== undefined) ignores = [...ignores, { base: frame.dir, matcher: compileGitignore(text) }];
    }
    let names: string[];
    try {
      names = readdirSync(frame.dir).sort(); // synchronous, like lstat below
    } catch (error) {
      yield { kind: 'note', path: rel(frame.dir), message: `cannot list directory: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
      continue;
    }
    const subdirs: Frame[] = [];
    for (const name of names) {
      if (name === '.git') continue;
      const absolute = join(frame.dir, name);
      let info;
      try {
        // Synchronous: one call at a time either way, and a promise per entry costs ~3x the CPU.
        info = lstatSync(absolute);
      } catch (error) {
        yield { kind: 'note', path: rel(absolute), message: `cannot stat: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
        continue;
      }
      let target = absolute;
      if (info.isSymbolicLink()) {
        try {
          target = await realpath(absolute);
          info = await stat(target);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          yield {
            kind: 'note',
            path: rel(absolute),
            message: code === 'ELOOP' ? 'symbolic link loop; not followed' : `broken symbolic link (${code ?? 'unreadable'}); not followed`,
            skipped: true,
          };
          continue;
        }
        const inside = target === rootReal || target.startsWith(rootReal + sep);
        if (!inside) {
          yield { kind: 'note', path: rel(absolute), message: 'symbolic link pointing outside the scanned directory; not followed', skipped: true };
          continue;
        }
      }
      const isDir = info.isDirectory();
      if (options.respectGitignore && isIgnored(ignores, absolute, isDir)) continue;
      if (isDir) {
        if (visitedDirs.has(target)) {
          if (target !== absolute)
            yield {
              kind: 'note',
              path: rel(absolute),
              message: 'symbolic link to a directory already scanned (loop or duplicate); not followed',
              skipped: true,
            };
          continue;
        }
        visitedDirs.add(target);
        subdirs.push({ dir: target, ignores, depth: frame.depth + 1 });
      } else if (info.isFile()) {
        if (visitedFiles.has(target)) continue; // a link to a file already scanned
        visitedFiles.add(target);
        yield { kind: 'file', path: rel(absolute), absolute: target, size: info.size };
      } else {
        // FIFOs, sockets, devices: reading them could block forever or never end.
        yield { kind: 'note', path: rel(absolute), message: 'not a regular file (FIFO, socket or device); not read', skipped: true };
      }
    }
    // Reverse so that popping visits directories in name order.
    for (let i = subdirs.length - 1; i >= 0; i -= 1) stack.push(subdirs[i]!);
  }
}
