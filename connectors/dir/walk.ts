/**
 * Walks a directory tree iteratively (no recursion, so any depth works), honouring `.gitignore` files
 * the way git does (each file's patterns apply below its own directory), never entering `.git`, and
 * following symbolic links only inside the scanned root, once per real path, so links cannot loop or
 * escape. Every file or directory that cannot be read yields a note instead of an exception.
 */
import { isUtf8 } from 'node:buffer';
import { lstatSync, readdirSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compileGitignore, type GitignoreMatcher } from './gitignore.js';

/**
 * A path is a string, or the raw bytes of one when a name in it is not valid UTF-8: as a string, Node
 * would encode it back as UTF-8 and name another file (ENOENT). Such a file is read by its bytes and
 * shown as `displayName` writes it.
 */
export type FsPath = string | Buffer;

export type WalkEntry = { kind: 'file'; path: string; absolute: FsPath; size: number } | { kind: 'note'; path: string; message: string; skipped?: boolean };

interface Frame {
  dir: FsPath;
  /** The directory's path relative to the root, as shown ('' for the root). */
  rel: string;
  /** .gitignore matchers in effect, each with the (shown) directory its patterns are relative to. */
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

/** Bytes of one UTF-8 sequence at `i`, or 0 when they are not one (overlong forms and surrogates included). */
function utf8SequenceAt(bytes: Buffer, i: number): number {
  const b = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => bytes[i + k] !== undefined && bytes[i + k]! >= lo && bytes[i + k]! <= hi;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) return cont(1, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf) && cont(2) ? 3 : 0;
  if (b >= 0xf0 && b <= 0xf4) return cont(1, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * A file name that is not valid UTF-8, shown with each byte that is not part of a UTF-8 character as
 * `\xNN` (`caf\xE9.env` for Latin-1 `café.env`): readable, distinct for distinct names, and free of
 * the replacement character that would make two names look alike.
 */
export function displayName(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const n = utf8SequenceAt(bytes, i);
    if (n) out += bytes.toString('utf8', i, i + n);
    else out += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
    i += n || 1;
  }
  return out;
}

function childPath(dir: FsPath, name: Buffer, text: string | undefined): FsPath {
  if (typeof dir === 'string' && text !== undefined) return join(dir, text);
  return Buffer.concat([typeof dir === 'string' ? Buffer.from(dir) : dir, Buffer.from(sep), name]);
}

/** A key for the visited sets: byte paths only arise for names strings cannot hold, so the two never meet. */
function pathKey(path: FsPath): string {
  return typeof path === 'string' ? path : `bytes:${path.toString('hex')}`;
}

function isInside(target: FsPath, root: string): boolean {
  if (typeof target === 'string') return target === root || target.startsWith(root + sep);
  const prefix = Buffer.from(root + sep);
  return target.equals(Buffer.from(root)) || target.subarray(0, prefix.length).equals(prefix);
}

function isIgnored(ignores: Frame['ignores'], rel: string, isDir: boolean): boolean {
  for (const { base, matcher } of ignores) {
    if (base && !rel.startsWith(`${base}/`)) continue;
    if (matcher.ignores(base ? rel.slice(base.length + 1) : rel, isDir)) return true;
  }
  return false;
}

/**
 * A directory's .gitignore, when it is a regular file (or a link to one): a FIFO of that name would
 * block the walk forever, a device could be read without end.
 */
async function readGitignore(path: FsPath): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return await readFile(path, 'utf8');
  } catch {
    return undefined; // no .gitignore here
  }
}

/** The entries of a directory, by shown name: raw bytes kept where a name is not UTF-8. */
function listNames(dir: FsPath): { bytes: Buffer; text?: string; shown: string }[] {
  const names = readdirSync(dir, { encoding: 'buffer' }); // synchronous, like lstat below
  return names
    .map((bytes) => (isUtf8(bytes) ? { bytes, text: bytes.toString('utf8'), shown: bytes.toString('utf8') } : { bytes, shown: displayName(bytes) }))
    .sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
}

export async function* walk(root: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  const rootReal = await realpath(root);
  const visitedDirs = new Set<string>([rootReal]);
  const visitedFiles = new Set<string>();
  const stack: Frame[] = [{ dir: rootReal, rel: '', ignores: [], depth: 0 }];
  // A directory reached through a link is shown where it really is, as before byte paths existed.
  const relOf = (target: FsPath, shownRel: string) => (typeof target === 'string' ? toPosix(relative(rootReal, target)) : shownRel);

  while (stack.length) {
    const frame = stack.pop()!;
    let ignores = frame.ignores;
    if (options.respectGitignore) {
      const text = await readGitignore(childPath(frame.dir, Buffer.from('.gitignore'), '.gitignore'));
      if (text !== undefined) ignores = [...ignores, { base: frame.rel, matcher: compileGitignore(text) }];
    }
    let names: { bytes: Buffer; text?: string; shown: string }[];
    try {
      names = listNames(frame.dir);
    } catch (error) {
      yield { kind: 'note', path: frame.rel || '.', message: `cannot list directory: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
      continue;
    }
    const subdirs: Frame[] = [];
    for (const { bytes, text, shown } of names) {
      if (text === '.git') continue;
      const absolute = childPath(frame.dir, bytes, text);
      const rel = frame.rel ? `${frame.rel}/${shown}` : shown;
      let info;
      try {
        // Synchronous: one call at a time either way, and a promise per entry costs ~3x the CPU.
        info = lstatSync(absolute);
      } catch (error) {
        yield { kind: 'note', path: rel, message: `cannot stat: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
        continue;
      }
      let target: FsPath = absolute;
      if (info.isSymbolicLink()) {
        try {
          target = typeof absolute === 'string' ? await realpath(absolute) : await realpath(absolute, { encoding: 'buffer' });
          info = await stat(target);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          yield {
            kind: 'note',
            path: rel,
            message: code === 'ELOOP' ? 'symbolic link loop; not followed' : `broken symbolic link (${code ?? 'unreadable'}); not followed`,
            skipped: true,
          };
          continue;
        }
        if (!isInside(target, rootReal)) {
          yield { kind: 'note', path: rel, message: 'symbolic link pointing outside the scanned directory; not followed', skipped: true };
          continue;
        }
      }
      const isDir = info.isDirectory();
      if (options.respectGitignore && isIgnored(ignores, rel, isDir)) continue;
      if (isDir) {
        if (visitedDirs.has(pathKey(target))) {
          if (target !== absolute)
            yield { kind: 'note', path: rel, message: 'symbolic link to a directory already scanned (loop or duplicate); not followed', skipped: true };
          continue;
        }
        visitedDirs.add(pathKey(target));
        subdirs.push({ dir: target, rel: relOf(target, rel), ignores, depth: frame.depth + 1 });
      } else if (info.isFile()) {
        if (visitedFiles.has(pathKey(target))) continue; // a link to a file already scanned
        visitedFiles.add(pathKey(target));
        yield { kind: 'file', path: rel, absolute: target, size: info.size };
      } else {
        // FIFOs, sockets, devices: reading them could block forever or never end.
        yield { kind: 'note', path: rel, message: 'not a regular file (FIFO, socket or device); not read', skipped: true };
      }
    }
    // Reverse so that popping visits directories in name order.
    for (let i = subdirs.length - 1; i >= 0; i -= 1) stack.push(subdirs[i]!);
  }
}
