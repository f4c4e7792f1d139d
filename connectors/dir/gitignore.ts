/**
 * One .gitignore file as a matcher. The `ignore` package tests a path against every pattern in turn
 * (and again for each parent directory), so a generated .gitignore of 100,000 names made a walk of
 * 1,000 files take minutes. Without negations a path is ignored when any pattern matches, in any
 * order, so the patterns are indexed instead: plain names by basename, plain paths by path, `*SUFFIX`
 * by suffix, each a hash lookup; only the remaining real globs go through `ignore`. A file with a
 * negation (`!pattern`), where order matters, is left to `ignore` whole.
 */
import ignore, { type Ignore } from 'ignore';

export interface GitignoreMatcher {
  /** `rel`: the path relative to the .gitignore's directory, `/`-separated, without a trailing slash. */
  ignores(rel: string, isDir: boolean): boolean;
}

const GLOB = /[*?[\\]/;

class Literals {
  readonly any = new Set<string>();
  readonly dirs = new Set<string>();
  // Case-insensitive, as the `ignore` package matches by default (and as the globs left to it are).
  add(value: string, dirOnly: boolean): void {
    (dirOnly ? this.dirs : this.any).add(value.toLowerCase());
  }
  has(value: string, isDir: boolean): boolean {
    const key = value.toLowerCase();
    return this.any.has(key) || (isDir && this.dirs.has(key));
  }
}

class IndexedGitignore implements GitignoreMatcher {
  private readonly names = new Literals();
  private readonly paths = new Literals();
  private readonly suffixes = new Literals();
  private readonly suffixLengths = new Set<number>();
  private rest: Ignore | undefined;

  constructor(lines: string[]) {
    for (const raw of lines) this.addPattern(raw);
  }

  private addPattern(raw: string): void {
    const line = raw.replace(/ +$/, '');
    if (!line || line.startsWith('#')) return;
    const dirOnly = line.endsWith('/');
    let body = dirOnly ? line.slice(0, -1) : line;
    const anchored = body.includes('/');
    if (body.startsWith('/')) body = body.slice(1);
    if (body && !GLOB.test(body)) return (anchored ? this.paths : this.names).add(body, dirOnly);
    if (!anchored && body.startsWith('*') && body.length > 1 && !GLOB.test(body.slice(1))) {
      this.suffixes.add(body.slice(1), dirOnly);
      this.suffixLengths.add(body.length - 1);
      return;
    }
    (this.rest ??= ignore()).add(raw);
  }

  ignores(rel: string, isDir: boolean): boolean {
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (this.names.has(base, isDir) || this.paths.has(rel, isDir)) return true;
    for (const length of this.suffixLengths) {
      if (base.length >= length && this.suffixes.has(base.slice(base.length - length), isDir)) return true;
    }
    return this.rest !== undefined && this.rest.ignores(isDir ? `${rel}/` : rel);
  }
}

export function compileGitignore(text: string): GitignoreMatcher {
  const lines = text.split(/\r?\n/);
  if (lines.some((line) => line.startsWith('!'))) {
    const matcher = ignore().add(text);
    return { ignores: (rel, isDir) => matcher.ignores(isDir ? `${rel}/` : rel) };
  }
  return new IndexedGitignore(lines);
}
