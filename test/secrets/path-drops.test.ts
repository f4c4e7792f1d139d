/**
 * The engine says when a rule that reads the path dropped a candidate (`droppedByPath`), so that a git
 * scan judges the same content at the other paths it had only then (connectors/git/path-judging.ts).
 */
import { describe, expect, it } from 'vitest';
import { scanBytes } from '../../src/secrets/index.js';
import { secretHash } from '../../src/redact.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';

const value = fakeGithubToken('path-drops').slice(4); // no provider prefix: only the generic detectors find it
const quoted = `db_password = "${value}"\n`;
const scan = (content: string, path?: string, allowlist?: { paths: string[] }) => scanBytes(Buffer.from(content), { path, allowlist });
const hashes = (content: string, path?: string) => scan(content, path).hits.map((h) => secretHash(h.value));

describe('droppedByPath', () => {
  it.each([
    ['an allowlisted path', quoted, 'test/fixtures/app.ini', ['test/fixtures/**']],
    ["a detector's excludePaths (a lock file)", quoted, 'yarn.lock', undefined],
    ['vendored code', quoted, 'vendor/lib/settings.ini', undefined],
    ['a bundle by name', `var db_password = "${value}";\n`, 'web/main.min.js', undefined],
    ['a minified line of a script', `var a="${'x'.repeat(1100)}";var db_password="${value}";\n`, 'web/app.js', undefined],
    ['an unquoted value in a code file', `db_password = ${value}\n`, 'app/settings.py', undefined],
    ['an unquoted value in a code file with multi-byte text', `# пароль: password = %s\ndb_password = ${value}\n`, 'app/settings.py', undefined],
    ["a lock file's large content, read in segments", `${'# filler line\n'.repeat(12_000)}${quoted}`, 'yarn.lock', undefined],
  ])('is set when %s drops a hit the content holds at no path', (_, content, path, paths) => {
    const atPath = scan(content, path, paths ? { paths } : undefined);
    expect(atPath.hits).toEqual([]);
    expect(atPath.droppedByPath).toBe(true);
    expect(hashes(content)).toEqual([secretHash(value)]);
  });

  it.each([
    ['a hit reported at its path', quoted, 'config/app.ini'],
    ['a lock file without a candidate', 'name = "app"\nversion = "1.0.0"\n', 'Cargo.lock'],
    ['an expression in a code file, rejected at any path', 'db_password = get_password()\n', 'app/settings.py'],
    ['a format string in a code file, rejected at any path', '  "password_matches:%lld\\r\\n"\n', 'src/server.c'],
    ['bundler output by content, dropped at any path', `__webpack_require__(1);\nvar db_password = "${value}";\n`, 'web/app.js'],
    ['an allowlisted file without keywords', 'nothing to see\n', 'test/fixtures/notes.txt'],
  ])('is not set for %s', (_, content, path) => {
    const result = scan(content, path, { paths: ['test/fixtures/**'] });
    expect(result.droppedByPath).toBeUndefined();
    expect(result.hits.map((h) => secretHash(h.value))).toEqual(path === 'config/app.ini' ? [secretHash(value)] : []);
  });
});
