/**
 * Attribution on demand: after the scan, only the blobs with hits are attributed, by whole `git log`
 * passes filtered to those blobs: the first commit (oldest first) that wrote each blob, at the path it
 * wrote it at, whatever path it was scanned at and whatever became of it since.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attributeBlobs } from '../../connectors/git/attribute.js';
import { collectGit } from '../../connectors/git/connector.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { withEnv } from '../support/env.js';
import { ALICE, BOB, TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';

const scan = (target: string) => collectGit(testContext(`git:${target}`, { options: { threads: '1', 'no-cache': true } }));

/** Scans with the packs walked (any size) and listed commit by commit (attribution confirmed) and, with the walk off, listed by rev-list and attributed by the whole passes. */
async function scanBothListings(target: string) {
  const progress: string[] = [];
  const inCommitOrder = await withEnv({ NHISCAN_GIT_PACK_WALK_MIN: '1' }, () =>
    collectGit(testContext(`git:${target}`, { options: { threads: '1', 'no-cache': true }, progress: (message) => progress.push(message) })),
  );
  const wholePasses = await withEnv({ NHISCAN_GIT_PACK_WALK_MIN: 'off' }, () => scan(target));
  return { inCommitOrder, progress, wholePasses };
}

const attributed = (result: Awaited<ReturnType<typeof scan>>) =>
  result.credentials
    .flatMap((c) => c.locations.map((l) => [c.secret!.hash, l.path, l.commit ?? null, l.author ?? null, l.date ?? null, l.presentAtHead].join(' ')))
    .sort();

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newRepo(): TestRepo {
  const repo = TestRepo.create('nhiscan-attribution-');
  temps.push(repo.dir);
  return repo;
}

describe('attribution on demand', () => {
  it('gives a moved file its first path and commit, not the move that wrote it at the path it was scanned at', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('moved-file');
    const content = `token = ${token}\n`;
    repo.commit('initial', { 'README.md': '# app\n' });
    const introducing = repo.commit('add settings', { 'config/app.env': content }, ALICE);
    const move = repo.commit('move settings to the fixtures', { 'config/app.env': null, 'test/fixtures/app.env': content }, BOB);

    const blob = repo.blobOf(move, 'test/fixtures/app.env');
    const found = await attributeBlobs(join(repo.dir, '.git'), new Set([blob]), {});
    expect(found.get(blob)).toMatchObject({ commit: introducing, path: 'config/app.env', author: 'Alice Dev' });

    const result = await scan(repo.dir);
    const credential = result.credentials.find((c) => c.secret?.hash === secretHash(token))!;
    expect(credential.locations.map((l) => [l.path, l.commit ?? null])).toEqual([
      ['config/app.env', introducing],
      ['test/fixtures/app.env', null], // the copy HEAD still holds
    ]);
  });

  it('attributes blobs written on a merged branch, a revert to old content and a file written twice in one commit as the whole passes do', async () => {
    const repo = newRepo();
    const tokens = ['side', 'reverted', 'twice'].map((name) => fakeGithubToken(`attribution-${name}`));
    repo.commit('initial', { 'src/main.c': 'int main;\n' });
    repo.git('checkout', '-q', '-b', 'side');
    const sideCommit = repo.commit('side secret', { 'side/conf.ini': `token = ${tokens[0]}\n` }, BOB);
    repo.git('checkout', '-q', 'main');
    const reverted = repo.commit('add key', { 'src/key.txt': `${tokens[1]}\n` });
    repo.commit('drop key', { 'src/key.txt': 'nothing\n' });
    repo.commit('restore key', { 'src/key.txt': `${tokens[1]}\n` });
    const twice = repo.commit('two copies', { 'b/copy.txt': `${tokens[2]}\n`, 'a/copy.txt': `${tokens[2]}\n` });
    repo.git('merge', '-q', '--no-edit', 'side');

    const scannedAt = new Map([
      [repo.blobOf('HEAD', 'side/conf.ini'), 'side/conf.ini'],
      [repo.blobOf('HEAD', 'src/key.txt'), 'src/key.txt'],
      [repo.blobOf('HEAD', 'b/copy.txt'), 'b/copy.txt'],
    ]);
    const found = await attributeBlobs(join(repo.dir, '.git'), new Set(scannedAt.keys()), {});
    expect([...scannedAt.keys()].map((oid) => [found.get(oid)?.commit, found.get(oid)?.path])).toEqual([
      [sideCommit, 'side/conf.ini'],
      [reverted, 'src/key.txt'],
      [twice, 'a/copy.txt'], // the first path the commit's diff writes it at
    ]);
  });

  it('takes paths literally (a file named like a glob) and leaves a blob no commit writes unattributed', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('glob-name');
    repo.commit('a plain key', { 'keys/a.pem': `${token}\n` }); // what the glob keys/[ab].pem would match first
    repo.commit('another', { 'keys/a.pem': 'gone\n' });
    const literal = repo.commit('bracketed name', { 'keys/[ab].pem': `${token}\nsecond\n` });
    const blob = repo.blobOf(literal, 'keys/[ab].pem');
    writeFileSync(join(repo.dir, '.orphan'), `${token}\nin no commit\n`);
    const orphan = repo.git('hash-object', '-w', '.orphan');
    const found = await attributeBlobs(join(repo.dir, '.git'), new Set([blob, orphan]), {});
    expect(found.get(blob)).toMatchObject({ commit: literal, path: 'keys/[ab].pem' });
    expect(found.has(orphan)).toBe(false);
  });

  it('credits a file deleted and later written again at another path to its first writer, not the re-add', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('deleted-then-readded');
    const content = `token = ${token}\n`;
    repo.commit('initial', { 'README.md': '# app\n' });
    const introducing = repo.commit('add settings', { 'old/app.env': content }, ALICE);
    repo.commit('remove settings', { 'old/app.env': null }, ALICE);
    repo.commit('settings again, elsewhere', { 'new/app.env': content }, BOB);

    const result = await scan(repo.dir);
    const credential = result.credentials.find((c) => c.secret?.hash === secretHash(token))!;
    expect(credential.locations.map((l) => [l.path, l.commit ?? null])).toEqual([
      ['new/app.env', null], // where HEAD holds it now
      ['old/app.env', introducing],
    ]);
  });

  it('credits a blob first written on a merged branch whose ref is gone, though main wrote the same content later', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('deleted-branch');
    const content = `token = ${token}\n`;
    repo.commit('initial', { 'README.md': '# app\n' });
    repo.git('checkout', '-q', '-b', 'hotfix');
    const onBranch = repo.commit('hotfix settings', { 'conf/app.env': content }, BOB);
    repo.git('checkout', '-q', 'main');
    repo.commit('same settings on main', { 'conf/app.env': content }, ALICE);
    repo.git('merge', '-q', '--no-edit', 'hotfix');
    repo.git('branch', '-D', 'hotfix'); // a merged pull request's branch

    const found = await attributeBlobs(join(repo.dir, '.git'), new Set([repo.blobOf('HEAD', 'conf/app.env')]), {});
    expect([...found.values()].map((a) => [a.commit, a.path, a.author])).toEqual([[onBranch, 'conf/app.env', 'Bob Ops']]);
  });

  it('attributes a whole history listed commit by commit exactly as the whole passes do, merges, tags and loose objects included', async () => {
    const repo = newRepo();
    const tokens = ['moved', 'readded', 'hotfix', 'twice', 'evil-merge', 'tagged', 'loose'].map((name) => fakeGithubToken(`in-commit-order-${name}`));
    const [moved, readded, hotfix, twice, evil, tagged, loose] = tokens.map((token) => `token = ${token}\n`) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    repo.commit('initial', { 'README.md': '# app\n', 'config/app.env': moved });
    repo.commit('move', { 'config/app.env': null, 'test/app.env': moved }, BOB);
    repo.commit('add', { 'old/key.env': readded });
    repo.commit('remove', { 'old/key.env': null });
    repo.commit('again elsewhere', { 'new/key.env': readded }, BOB);
    repo.git('checkout', '-q', '-b', 'hotfix');
    repo.commit('hotfix', { 'conf/hot.env': hotfix }, BOB);
    repo.git('checkout', '-q', 'main');
    repo.commit('same on main', { 'conf/hot.env': hotfix, 'b/copy.txt': twice, 'a/copy.txt': twice });
    repo.git('merge', '-q', '--no-edit', 'hotfix');
    repo.git('branch', '-D', 'hotfix');
    repo.git('checkout', '-q', '-b', 'side');
    repo.commit('side', { 'src/side.c': 'int side;\n' });
    repo.git('checkout', '-q', 'main');
    repo.commit('main', { 'src/main.c': 'int main;\n' });
    repo.git('merge', '-q', '--no-commit', 'side');
    const merge = repo.commit('evil merge', { 'src/main.c': evil }); // first held by a merge: left to the whole passes
    const taggedBlob = execFileSync('git', ['-C', repo.dir, 'hash-object', '-w', '--stdin'], { input: tagged }).toString().trim();
    repo.git('tag', '-a', '-m', 'a key', 'signing-key', taggedBlob); // reached through a tag only
    repo.git('repack', '-adq');
    repo.commit('after the repack', { 'late/key.env': loose }); // loose objects: read by git

    const { inCommitOrder, progress, wholePasses } = await scanBothListings(repo.dir);
    expect(progress).toContain('listing blobs commit by commit');
    expect(progress).toContain('attributing 2 blobs to commits'); // the merge's and the tag's: the rest were confirmed
    expect(inCommitOrder.stats).toMatchObject({ blobs: wholePasses.stats.blobs, blobsScanned: wholePasses.stats.blobsScanned, secrets: tokens.length });
    expect(inCommitOrder.stats.blobsFromPacks).toBeGreaterThan(0);
    expect(attributed(inCommitOrder)).toEqual(attributed(wholePasses));
    const at = (token: string) => inCommitOrder.credentials.find((c) => c.secret!.hash === secretHash(token))!.locations;
    expect(at(tokens[1]!).map((l) => l.path)).toEqual(['new/key.env', 'old/key.env']);
    expect(at(tokens[2]!)[0]).toMatchObject({ path: 'conf/hot.env', author: 'Bob Ops' });
    expect(at(tokens[4]!)[0]!.commit).toBe(merge);
    expect(at(tokens[5]!)[0]!.commit).toBeUndefined();
  });

  /** The three readers: listed in commit order and walked, listed by rev-list and walked, listed by rev-list and read by git. */
  const readers = {
    'in commit order': { NHISCAN_GIT_PACK_WALK_MIN: '1' },
    'rev-list, walked': { NHISCAN_GIT_PACK_WALK_MIN: '1', NHISCAN_GIT_COMMIT_ORDER: 'off' },
    'rev-list, git cat-file': { NHISCAN_GIT_PACK_WALK_MIN: 'off' },
  };
  const scanWith = (env: Record<string, string>, target: string, config: Record<string, unknown> = {}) =>
    withEnv(env, () => collectGit(testContext(`git:${target}`, { options: { threads: '1', 'no-cache': true }, config: config as never })));

  /** A history where a secret moves between a path a rule skips (`from`) and a live one (`to`), or back. */
  function movedSecret(from: string, to: string) {
    const repo = newRepo();
    // A generic assignment (no provider prefix): the generic detectors skip lock files and vendored code.
    const token = fakeGithubToken(`moved-${from}-${to}`).slice(4);
    const setting = `db_password = "${token}"\n`;
    repo.commit('initial', { 'README.md': '# app\n' });
    const introducing = repo.commit('first place', { [from]: setting }, ALICE);
    const movedBy = repo.commit('moved', { [from]: null, [to]: setting }, BOB);
    repo.commit('unrelated', { 'src/main.c': 'int main;\n' });
    repo.git('repack', '-adq');
    return { repo, token, introducing, movedBy };
  }

  const allowlisted = { settings: { secrets: { allowlist: { paths: ['test/fixtures/**'] } } } };
  it.each([
    ['a lock file to a live path', 'yarn.lock', 'config/app.ini', {}],
    ['an allowlisted fixture to a live path', 'test/fixtures/app.ini', 'config/app.ini', allowlisted],
    ['vendored code to a live path', 'vendor/lib/settings.py', 'config/settings.ini', {}],
    ['a live path to a lock file', 'config/app.ini', 'yarn.lock', {}],
    ['a live path to an allowlisted fixture', 'config/app.ini', 'test/fixtures/app.ini', allowlisted],
  ])(
    'finds a secret moved from %s with every reader, judged by every path it had, and reports it where a path first showed it',
    async (_, from, to, config) => {
      const { repo, token, introducing, movedBy } = movedSecret(from, to);
      const hiddenFirst = to.startsWith('config/');
      for (const [reader, env] of Object.entries(readers)) {
        const result = await scanWith(env, repo.dir, config);
        const found = result.credentials.filter((c) => c.secret?.hash === secretHash(token));
        const at = found.map((c) => c.locations.find((l) => l.commit)!);
        const expected = hiddenFirst ? [reader, to, movedBy, 'Bob Ops'] : [reader, from, introducing, 'Alice Dev'];
        expect(at.map((l) => [reader, l.path, l.commit, l.author])).toEqual([expected]);
      }
    },
  );

  it('still skips a secret every path of which is skipped, and reads no other path when the content alone holds nothing more', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('always-in-lock-files').slice(4);
    const setting = `db_password = "${token}"\n`;
    repo.commit('initial', { 'README.md': '# app\n', 'yarn.lock': setting });
    repo.commit('moved', { 'yarn.lock': null, 'web/yarn.lock': setting });
    repo.commit('a lock file without secrets', { 'Cargo.lock': 'name = "app"\n', 'config/app.env': `token = ${fakeGithubToken('live')}\n` });
    repo.git('repack', '-adq');
    for (const env of Object.values(readers)) {
      const progress: string[] = [];
      const result = await withEnv(env, () =>
        collectGit(testContext(`git:${repo.dir}`, { options: { threads: '1', 'no-cache': true }, progress: (message) => progress.push(message) })),
      );
      expect(result.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(fakeGithubToken('live'))]);
      expect(progress).toContain('judging 1 blobs by the other paths they had'); // the lock files' blob, not Cargo.lock's
    }
  });

  it('judges by the other paths in incremental and --since scans too, within the commits they select', async () => {
    const { repo, token, introducing } = movedSecret('config/app.ini', 'yarn.lock');
    const withCache = (options: Record<string, unknown> = {}) => collectGit(testContext(`git:${repo.dir}`, { options: { threads: '1', ...options } }));
    const introduced = (result: Awaited<ReturnType<typeof scan>>) =>
      result.credentials.map((c) => [c.secret!.hash, ...['path', 'commit'].map((k) => c.locations.find((l) => l.commit)![k as 'path' | 'commit'])]).sort();
    expect(introduced(await withCache())).toEqual([[secretHash(token), 'config/app.ini', introducing]]); // caches the tips
    const since = repo.git('rev-parse', 'HEAD');
    const later = fakeGithubToken('locked-later').slice(4);
    const written = repo.commit('a new secret', { 'config/new.ini': `db_password = "${later}"\n` }, ALICE);
    repo.commit('locked away', { 'config/new.ini': null, 'yarn.lock': `db_password = "${later}"\n` }, BOB);

    const incremental = await withCache(); // rev-list lists only the new commits, the blob at yarn.lock
    expect(incremental.stats?.blobs).toBe(1); // the new secret's blob only
    expect(introduced(incremental)).toEqual(
      [
        [secretHash(token), 'config/app.ini', introducing],
        [secretHash(later), 'config/new.ini', written],
      ].sort(),
    );
    expect(introduced(await withCache({ since, 'no-cache': true }))).toEqual([[secretHash(later), 'config/new.ini', written]]);
  });

  it('reads again in an incremental scan a blob whose path hid a secret, once a new commit writes it at a live path', async () => {
    const repo = newRepo();
    const token = fakeGithubToken('unlocked-later').slice(4);
    const setting = `db_password = "${token}"\n`;
    repo.commit('initial', { 'README.md': '# app\n', 'yarn.lock': setting });
    repo.commit('lock file dropped', { 'yarn.lock': null }); // the cached tip does not hold the blob
    const withCache = () => collectGit(testContext(`git:${repo.dir}`, { options: { threads: '1' } }));
    expect((await withCache()).credentials).toEqual([]); // only ever in a lock file: skipped, and the tips cached
    const moved = repo.commit('written again as a setting', { 'config/app.ini': setting }, BOB);
    const incremental = await withCache();
    expect(incremental.credentials.map((c) => [c.secret!.hash, c.locations.find((l) => l.commit)?.commit])).toEqual([[secretHash(token), moved]]);
  });

  it("lists a treeless partial clone as rev-list's blob listing does: its missing trees are not missing blobs, but leave it partial", async () => {
    const repo = newRepo();
    for (let i = 0; i < 3; i++) repo.commit(`c${i}`, { [`d${i}/f.env`]: `token = ${fakeGithubToken(`treeless-${i}`)}\n` });
    repo.git('config', 'uploadpack.allowFilter', 'true');
    const clone = `${repo.dir}-treeless.git`;
    temps.push(clone);
    execFileSync('git', ['clone', '-q', '--bare', '--filter=tree:0', `file://${repo.dir}`, clone]);
    const walked = await scanWith(readers['in commit order'], clone);
    const listed = await scanWith(readers['rev-list, git cat-file'], clone);
    expect(walked.stats).toEqual(listed.stats);
    expect(walked.stats?.missingBlobs).toBe(0);
    // The blob listing cannot print a tree the clone lacks: without a word, the scan would pass for whole.
    for (const result of [walked, listed]) {
      expect(result.status).toBe('partial');
      expect(result.stats?.missingTrees).toBe(1);
      expect(result.errors?.map((e) => e.message).join('\n')).toMatch(/a tree this partial clone lacks/);
    }
  });

  it('fails the listing when git rev-list is killed part-way, instead of a source that looks fully covered', async () => {
    const repo = newRepo();
    for (let i = 0; i < 6; i++) repo.commit(`c${i}`, { [`f${i}.txt`]: `file ${i}\n` });
    // A git that lists three lines of rev-list's output, then dies of a signal (as under the OOM killer).
    const bin = mkdtempSync(join(tmpdir(), 'nhiscan-killed-git-'));
    temps.push(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git']).toString().trim();
    const wrapper = join(bin, 'git');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do if [ "$a" = rev-list ]; then "${realGit}" "$@" | head -n 3; kill -9 $$; fi; done\nexec "${realGit}" "$@"\n`,
      { mode: 0o755 },
    );
    await expect(withEnv({ PATH: `${bin}:${process.env.PATH}`, NHISCAN_GIT_PACK_WALK_MIN: 'off' }, () => scan(repo.dir))).rejects.toThrow(
      /killed before it finished listing/,
    );
  });

  it('scans and attributes a SHA-256 repository with the pack walk on as with it off', async () => {
    const repo = new TestRepo(mkdtempSync(join(tmpdir(), 'nhiscan-sha256-')));
    temps.push(repo.dir);
    repo.git('-c', 'init.defaultBranch=main', 'init', '-q', '--object-format=sha256');
    const token = fakeGithubToken('sha256-repository');
    repo.commit('initial', { 'README.md': '# app\n' });
    const introducing = repo.commit('add settings', { 'conf/app.env': `token = ${token}\n` }, BOB);
    repo.commit('drop settings', { 'conf/app.env': null });
    repo.git('repack', '-adq');

    const { inCommitOrder, wholePasses } = await scanBothListings(repo.dir);
    expect(inCommitOrder.stats.blobs).toBe(wholePasses.stats.blobs);
    expect(attributed(inCommitOrder)).toEqual(attributed(wholePasses));
    expect(inCommitOrder.credentials.flatMap((c) => c.locations)).toMatchObject([{ path: 'conf/app.env', commit: introducing, author: 'Bob Ops' }]);
  });
});
