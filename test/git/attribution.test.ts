/**
 * Attribution on demand: after the scan, only the blobs with hits are attributed, by whole `git log`
 * passes filtered to those blobs: the first commit (oldest first) that wrote each blob, at the path it
 * wrote it at, whatever path it was scanned at and whatever became of it since.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attributeBlobs } from '../../connectors/git/attribute.js';
import { collectGit } from '../../connectors/git/connector.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { ALICE, BOB, TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';

const scan = (target: string) => collectGit(testContext(`git:${target}`, { options: { threads: '1', 'no-cache': true } }));

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
});
