/**
 * Two readers, one result, whatever path a blob is scanned at: a rule that reads the path (an allowlist,
 * a detector's excludePaths, vendored code, a minified line of a script, the generic validator's
 * unquoted value in a code file) must not make the listing in commit order (a blob at its first path)
 * and rev-list's listing (its newest path) disagree. Each case runs the three readers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { collectGit } from '../../connectors/git/connector.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { withEnv } from '../support/env.js';
import { ALICE, BOB, TestRepo } from '../../testkit/git-repo.js';
import { fakeAwsSecret, fakeGithubToken } from '../../testkit/seeded-tokens.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newRepo(): TestRepo {
  const repo = TestRepo.create('nhiscan-path-judging-');
  temps.push(repo.dir);
  return repo;
}

/** Listed in commit order and walked, listed by rev-list and walked, listed by rev-list and read by git. */
const readers = {
  'in commit order': { NHISCAN_GIT_PACK_WALK_MIN: '1' },
  'rev-list, walked': { NHISCAN_GIT_PACK_WALK_MIN: '1', NHISCAN_GIT_COMMIT_ORDER: 'off' },
  'rev-list, git cat-file': { NHISCAN_GIT_PACK_WALK_MIN: 'off' },
};

type Scan = Awaited<ReturnType<typeof collectGit>>;

async function scanEach(target: string, config: Record<string, unknown> = {}): Promise<Array<[string, Scan]>> {
  const results: Array<[string, Scan]> = [];
  for (const [reader, env] of Object.entries(readers))
    results.push([
      reader,
      await withEnv(env, () => collectGit(testContext(`git:${target}`, { options: { threads: '1', 'no-cache': true }, config: config as never }))),
    ]);
  return results;
}

/** Each location of the secret, as `path:line commit head`, sorted. */
const locationsOf = (result: Scan, secret: string) =>
  result.credentials
    .filter((c) => c.secret?.hash === secretHash(secret))
    .flatMap((c) => c.locations.map((l) => `${l.path}:${l.line} ${l.commit ?? '-'} head=${l.presentAtHead}`))
    .sort();

/** A file committed at `from` (by Alice), moved to `to` (by Bob), then an unrelated commit; packed. */
function moved(from: string, to: string, content: string) {
  const repo = newRepo();
  repo.commit('initial', { 'README.md': '# app\n' });
  const introducing = repo.commit('first place', { [from]: content }, ALICE);
  const movedBy = repo.commit('moved', { [from]: null, [to]: content }, BOB);
  repo.commit('unrelated', { 'src/main.c': 'int main;\n' });
  repo.git('repack', '-adq');
  return { repo, introducing, movedBy };
}

/** Every reader gives exactly the locations `expected`. */
async function expectOneResult(target: string, secret: string, expected: string[], config: Record<string, unknown> = {}) {
  for (const [reader, result] of await scanEach(target, config)) expect([reader, locationsOf(result, secret)]).toEqual([reader, [...expected].sort()]);
}

describe('a blob is judged by every path whose rules dropped a candidate', () => {
  it.each([
    ['a code file to a config file', 'app/settings.py', 'config/settings.ini'],
    ['a config file to a code file', 'config/settings.ini', 'app/settings.py'],
  ])('finds an unquoted generic value moved from %s with every reader', async (_, from, to) => {
    const token = fakeGithubToken(`unquoted-${from}`).slice(4);
    const { repo, introducing, movedBy } = moved(from, to, `db_password = ${token}\n`);
    // Reported where a path first showed it: the config file, whichever came first.
    const expected = from.endsWith('.ini') ? [`${from}:1 ${introducing} head=false`] : [`${to}:1 ${movedBy} head=true`];
    await expectOneResult(repo.dir, token, expected);
  });

  it('finds a value on a minified line of a script moved to a text file with every reader', async () => {
    const token = fakeGithubToken('minified-line').slice(4);
    const { repo, movedBy } = moved('web/app.js', 'notes/app.txt', `var a="${'x'.repeat(1100)}";var db_password="${token}";\n`);
    await expectOneResult(repo.dir, token, [`notes/app.txt:1 ${movedBy} head=true`]);
  });

  it('finds a secret another detector already found at the first path, at the lines only the other path shows', async () => {
    // One detector finds the key at line 1 in the lock file; only the generic one (which skips lock files) finds it at line 3.
    const secret = fakeAwsSecret('same-secret-two-lines');
    const { repo, introducing, movedBy } = moved('yarn.lock', 'config/app.ini', `aws_secret_access_key = ${secret}\n# later\ndb_password = "${secret}"\n`);
    // Line 1 where the lock file showed it; line 3 where a path first showed it, which HEAD still holds.
    await expectOneResult(repo.dir, secret, [`yarn.lock:1 ${introducing} head=false`, `config/app.ini:3 ${movedBy} head=true`]);
  });

  it('finds a lock file blob that a conflict resolution writes at a live path with every reader', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('conflict-resolution').slice(4);
    const setting = `db_password = "${token}"\n`;
    repo.commit('base', { 'config/app.ini': 'mode = base\n' });
    repo.git('checkout', '-q', '-b', 'side');
    repo.commit('side', { 'config/app.ini': 'mode = side\n', 'yarn.lock': setting });
    repo.git('checkout', '-q', 'main');
    repo.commit('main', { 'config/app.ini': 'mode = main\n' });
    try {
      repo.git('merge', '-q', 'side');
    } catch {
      // the conflict the resolution below settles
    }
    repo.commit('merge side', { 'config/app.ini': setting, 'yarn.lock': null });
    repo.git('repack', '-adq');
    for (const [reader, result] of await scanEach(repo.dir))
      expect([reader, result.credentials.filter((c) => c.secret?.hash === secretHash(token)).length]).toEqual([reader, 1]);
  });

  it('reports no HEAD copy at a path whose rules skip the hit (an allowlisted fixture), with every reader', async () => {
    const token = fakeGithubToken('head-copy-allowlisted').slice(4);
    const { repo, introducing } = moved('config/app.ini', 'test/fixtures/app.ini', `db_password = "${token}"\n`);
    const allowlisted = { settings: { secrets: { allowlist: { paths: ['test/fixtures/**'] } } } };
    for (const [reader, result] of await scanEach(repo.dir, allowlisted))
      expect([reader, locationsOf(result, token)]).toEqual([reader, [`config/app.ini:1 ${introducing} head=false`]]);
  });

  it('finds in an incremental scan a secret a later commit moves out of a lock file, as a scan without the cache does', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('moved-out-incrementally').slice(4);
    const setting = `db_password = "${token}"\n`;
    repo.commit('initial', { 'README.md': '# app\n', 'yarn.lock': setting });
    const withCache = () => collectGit(testContext(`git:${repo.dir}`, { options: { threads: '1' } }));
    expect(locationsOf(await withCache(), token)).toEqual([]); // only ever in a lock file: skipped, and remembered as hidden
    const promoted = repo.commit('promote it', { 'yarn.lock': null, 'config/app.ini': setting }, BOB);
    const incremental = await withCache();
    expect(incremental.stats?.blobs).toBe(0); // the move lists no new blob
    expect(locationsOf(incremental, token)).toEqual([`config/app.ini:1 ${promoted} head=true`]);
    for (const [reader, result] of await scanEach(repo.dir)) expect([reader, locationsOf(result, token)]).toEqual([reader, locationsOf(incremental, token)]);
  });
});

describe('a hit is reported where a path first showed it', () => {
  it('reports a secret first committed in a lock file at the live path it moved to, once HEAD holds neither, with every reader', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('gone-from-head').slice(4);
    const setting = `db_password = "${token}"\n`;
    repo.commit('initial', { 'README.md': '# app\n' });
    repo.commit('lock', { 'yarn.lock': setting }, ALICE);
    const live = repo.commit('config', { 'yarn.lock': null, 'config/app.ini': setting }, BOB);
    repo.commit('remove it', { 'config/app.ini': null });
    repo.git('repack', '-adq');
    await expectOneResult(repo.dir, token, [`config/app.ini:1 ${live} head=false`]);
  });

  it('reports a secret first committed in an allowlisted fixture at the live path it moved to, with every reader', async () => {
    const token = fakeGithubToken('fixture-first').slice(4);
    const { repo, movedBy } = moved('test/fixtures/app.ini', 'config/app.ini', `db_password = "${token}"\n`);
    await expectOneResult(repo.dir, token, [`config/app.ini:1 ${movedBy} head=true`], {
      settings: { secrets: { allowlist: { paths: ['test/fixtures/**'] } } },
    });
  });

  it('reports in an incremental scan what a scan without the cache reports, for a secret moved out of a lock file before the cached run', async () => {
    const token = fakeGithubToken('placed-then-cached').slice(4);
    const { repo, movedBy } = moved('yarn.lock', 'config/app.ini', `db_password = "${token}"\n`);
    const withCache = () => collectGit(testContext(`git:${repo.dir}`, { options: { threads: '1' } }));
    expect(locationsOf(await withCache(), token)).toEqual([`config/app.ini:1 ${movedBy} head=true`]);
    repo.commit('later', { 'src/other.c': 'int other;\n' });
    const incremental = await withCache();
    expect(incremental.stats?.blobs).toBe(1); // only the new file: the secret's blob comes from the cache
    expect(locationsOf(incremental, token)).toEqual([`config/app.ini:1 ${movedBy} head=true`]);
    await expectOneResult(repo.dir, token, [`config/app.ini:1 ${movedBy} head=true`]);
  });
});

describe('a hit is graded at the path it is reported at', () => {
  /** The severity and confidence of the secret's finding, by reader. */
  const severities = async (target: string, secret: string) =>
    (await scanEach(target)).map(([reader, result]) => {
      const attributes = result.credentials.find((c) => c.secret?.hash === secretHash(secret))?.attributes;
      return [reader, `${attributes?.severity} ${attributes?.confidence}`];
    });

  it.each([
    ['a live path to a test path', 'config/app.env', 'test/app.env', 'medium medium'],
    // Reported at test/app.env, its first path (low), but HEAD holds it at config/app.env, graded there.
    ['a test path to a live path', 'test/app.env', 'config/app.env', 'medium medium'],
  ])('grades a generic value moved from %s by the live paths it is reported at, with every reader', async (_, from, to, severity) => {
    const token = fakeGithubToken(`graded-${from}`).slice(4);
    const { repo } = moved(from, to, `db_password="${token}"\n`);
    expect(await severities(repo.dir, token)).toEqual(Object.keys(readers).map((reader) => [reader, severity]));
  });

  it('grades a copy at HEAD by its own path: a test fixture copied to a live config file is not low', async () => {
    // A live secret at HEAD must not pass --fail-on medium because its first commit put it under test/.
    const repo = newRepo();
    const token = fakeGithubToken('graded-copy').slice(4);
    const content = `db_password="${token}"\n`;
    repo.commit('initial', { 'README.md': '# app\n' });
    repo.commit('fixture', { 'test/app.env': content }, ALICE);
    repo.commit('copied to a live path', { 'config/app.env': content }, BOB); // the fixture is kept
    repo.git('repack', '-adq');
    expect(await severities(repo.dir, token)).toEqual(Object.keys(readers).map((reader) => [reader, 'medium medium']));
  });
});
