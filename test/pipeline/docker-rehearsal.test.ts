/**
 * The Dockerfile reader of the daemon-less rehearsal (scripts/docker-rehearsal/dockerfile.ts), and what it
 * can tell without building: the Dockerfile stays rehearsable (only instructions the rehearsal interprets),
 * and every file a COPY takes from the build context survives .dockerignore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandOf, dockerignoreMatcher, envPairs, parseDockerfile, words } from '../../scripts/docker-rehearsal/dockerfile.js';
import { ROOT } from '../support/cli.js';

describe('Dockerfile reader', () => {
  it('joins continuation lines, drops comments and splits stages', () => {
    const stages = parseDockerfile('# c\nFROM node:20-slim AS build\nRUN a \\\n  && b\n# inside\nFROM build\nUSER 1:1\n');
    expect(stages.map((s) => [s.image, s.name])).toEqual([
      ['node:20-slim', 'build'],
      ['build', undefined],
    ]);
    expect(stages[0]!.instructions[0]).toMatchObject({ keyword: 'RUN', args: 'a && b', line: 3 });
  });
  it('refuses what it does not interpret rather than skipping it', () => {
    expect(() => parseDockerfile('FROM x\nADD a b\n')).toThrow(/ADD is not interpreted/);
    expect(() => parseDockerfile('ARG V=1\nFROM x\n')).toThrow(/before the first FROM/);
  });
  it('reads exec and shell forms, ENV pairs and quoted words', () => {
    expect(commandOf('["node", "cli.js"]')).toEqual(['node', 'cli.js']);
    expect(commandOf('echo hi')).toEqual(['/bin/sh', '-c', 'echo hi']);
    expect(envPairs('A=1 B="two words"')).toEqual([
      ['A', '1'],
      ['B', 'two words'],
    ]);
    expect(envPairs('LEGACY some value')).toEqual([['LEGACY', 'some value']]);
    expect(words(`--from=build "a b" c`)).toEqual(['--from=build', 'a b', 'c']);
  });
});

describe('.dockerignore semantics', () => {
  const ignored = dockerignoreMatcher('node_modules\nscripts/docker-rehearsal*\n*.db\n!keep.db\n');
  it('anchors patterns at the context root and excludes what is inside an excluded folder', () => {
    expect(ignored('node_modules/zod/index.js')).toBe(true);
    expect(ignored('examples/node_modules/x')).toBe(false);
    expect(ignored('scripts/docker-rehearsal/build.ts')).toBe(true);
    expect(ignored('scripts/bundle.ts')).toBe(false);
  });
  it('lets the last matching pattern win', () => {
    expect(ignored('history.db')).toBe(true);
    expect(ignored('keep.db')).toBe(false);
  });
});

describe('the repository Dockerfile', () => {
  const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  it('only uses instructions the rehearsal interprets', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });
  it('copies nothing from the context that .dockerignore leaves out', () => {
    const ignored = dockerignoreMatcher(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
    const sources = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
      .flatMap((i) => words(i.args).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(ignored(source), source).toBe(false);
    }
  });
});
