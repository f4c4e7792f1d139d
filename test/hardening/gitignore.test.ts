/**
 * The indexed .gitignore matcher decides exactly as the `ignore` package does (which it replaces for
 * plain names, paths and `*SUFFIX` patterns, so that a .gitignore of 100,000 names is not a scan of
 * 100,000 patterns per file; the speed is measured in bench/, not here).
 */
import { describe, expect, it } from 'vitest';
import ignore from 'ignore';
import { compileGitignore } from '../../connectors/dir/gitignore.js';

const PATTERNS = [
  'build',
  'dist/',
  '/root-only.txt',
  'docs/generated',
  'docs/cache/',
  '*.log',
  '*~',
  '*.tar.gz',
  'Secret.ENV',
  'logs/**/debug-*.txt',
  'temp?.dat',
  '[Tt]humbs.db',
  '# a comment',
  '',
  '   ',
  'trailing-space.txt   ',
  'a\\#b',
  '**/deep-name',
];
const PATHS: Array<[string, boolean]> = [
  ['build', true],
  ['build', false],
  ['src/build', true],
  ['dist', true],
  ['dist', false],
  ['src/dist', true],
  ['root-only.txt', false],
  ['sub/root-only.txt', false],
  ['docs/generated', false],
  ['docs/generated', true],
  ['x/docs/generated', false],
  ['docs/cache', true],
  ['docs/cache', false],
  ['app.log', false],
  ['a/b/app.log', false],
  ['notes.txt~', false],
  ['x.tar.gz', false],
  ['x.gz', false],
  ['secret.env', false],
  ['SECRET.ENV', false],
  ['logs/a/b/debug-1.txt', false],
  ['temp1.dat', false],
  ['temp12.dat', false],
  ['Thumbs.db', false],
  ['thumbs.db', false],
  ['trailing-space.txt', false],
  ['a#b', false],
  ['q/deep-name', false],
  ['keep.txt', false],
];

describe('indexed .gitignore matcher', () => {
  it('agrees with the ignore package on names, paths, suffixes, globs, directories and case', () => {
    const reference = ignore().add(PATTERNS.join('\n'));
    const indexed = compileGitignore(PATTERNS.join('\n'));
    const mismatches = PATHS.filter(([rel, isDir]) => indexed.ignores(rel, isDir) !== reference.ignores(isDir ? `${rel}/` : rel));
    expect(mismatches).toEqual([]);
    expect(PATHS.filter(([rel, isDir]) => indexed.ignores(rel, isDir)).length).toBeGreaterThan(15);
  });

  it('leaves a file with negations to the ordered matcher', () => {
    const text = '*.log\n!keep.log\nbuild/\n';
    const indexed = compileGitignore(text);
    expect(indexed.ignores('app.log', false)).toBe(true);
    expect(indexed.ignores('keep.log', false)).toBe(false);
    expect(indexed.ignores('build', true)).toBe(true);
  });

  it('answers from its index for 100,000 plain names', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `generated-${i}.out`);
    const indexed = compileGitignore(names.join('\n'));
    expect(indexed.ignores('deep/dir/generated-99999.out', false)).toBe(true);
    expect(indexed.ignores('deep/dir/generated-100000.out', false)).toBe(false);
  });
});
