import { describe, expect, it } from 'vitest';
import { readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { collectGit } from '../../connectors/git/connector.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';

const scan = (target: string, options: Record<string, unknown> = {}) =>
  collectGit(testContext(`git:${target}`, { options: { threads: '1', 'no-cache': true, ...options } }));

describe('git: source on hostile repositories', () => {
  it('counts binaries, LFS pointers, submodules, oversized and non-UTF-8 files, and still finds what is scannable', async () => {
    const repo = TestRepo.create();
    const inLatin1 = fakeGithubToken('latin1');
    const inLongLine = fakeGithubToken('long-line');
    const inLarge = fakeGithubToken('large');
    const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]), Buffer.from(fakeGithubToken('binary'))]);
    const lfs = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
    repo.commit('assets', {
      'bin/tool': binary,
      'assets/video.mp4': lfs,
      'legacy/latin1.properties': Buffer.concat([Buffer.from('caf\xe9 = 1\ntoken = ', 'latin1'), Buffer.from(inLatin1), Buffer.from('\n')]),
      // A multi-megabyte single line with the token at its end: linear-time detection, no crash.
      'dist/bundle.min.js': `var a="${'x'.repeat(3 * 1024 * 1024)}";var token="${inLongLine}";\n`,
      'data/huge.json': `{"token":"${inLarge}","pad":"${'y'.repeat(2 * 1024 * 1024)}"}\n`,
    });
    // A submodule is a gitlink (a commit id of another repository) in the tree.
    repo.git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/lib`);
    repo.git('commit', '-q', '-m', 'add submodule');

    const result = await scan(repo.dir, { 'max-file-size': '1MiB' });
    expect(result.status).toBe('ok');
    expect(result.stats).toMatchObject({ skippedBinary: 1, skippedLfs: 1, skippedLarge: 2, nonUtf8: 1, submodules: 1, blobsScanned: 1 });
    expect(result.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(inLatin1)]);
    const parts = result.notCovered!.map((n) => `${n.part} ${n.reason}`).join('\n');
    expect(parts).toMatch(/dist\/bundle\.min\.js larger than the 1048576-byte limit/);
    expect(parts).toMatch(/assets\/video\.mp4 Git LFS pointer/);
    expect(parts).toMatch(/submodule:vendor\/lib/);

    const bigger = await scan(repo.dir, { 'max-file-size': '20MiB' });
    expect(bigger.credentials.map((c) => c.secret!.hash).sort()).toEqual([inLatin1, inLongLine, inLarge].map(secretHash).sort());
  });

  it('reports missing blobs (partial clone) and corrupt objects per object and scans the rest', async () => {
    const repo = TestRepo.create();
    const good = fakeGithubToken('survivor');
    const damaged = 'will be damaged\n'.repeat(500);
    repo.commit('files', { 'a.env': `A=${good}\n`, 'missing.env': 'gone soon\n', 'corrupt.env': damaged, 'garbage.env': 'unparseable\n' });
    const objectPath = (oid: string) => join(repo.dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
    const missing = repo.blobOf('HEAD', 'missing.env');
    const corrupt = repo.blobOf('HEAD', 'corrupt.env');
    const garbage = repo.blobOf('HEAD', 'garbage.env');
    rmSync(objectPath(missing));
    // A loose object whose header inflates but whose body is cut short: git dies while streaming it.
    const truncated = deflateSync(Buffer.from(`blob ${damaged.length}\0${damaged}`));
    chmodSync(objectPath(corrupt), 0o644);
    writeFileSync(objectPath(corrupt), truncated.subarray(0, truncated.length - 40));
    // And one that is not even zlib: git cannot tell its type, so it counts as missing.
    chmodSync(objectPath(garbage), 0o644);
    writeFileSync(objectPath(garbage), Buffer.from('this is not a zlib stream at all'));

    const result = await scan(repo.dir);
    expect(result.status).toBe('partial');
    expect(result.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(good)]);
    // git reports a damaged object as missing or unreadable depending on where the damage is; either way
    // each one is named and the rest is scanned.
    expect(Number(result.stats!.missingBlobs) + Number(result.stats!.unreadableBlobs)).toBe(3);
    const messages = result.errors!.map((e) => `${e.part}: ${e.message}`).join('\n');
    expect(messages).toContain(`object:${missing.slice(0, 12)}`);
    expect(messages).toContain(garbage.slice(0, 12));
    expect(messages).toContain(corrupt.slice(0, 12));
    expect(messages).toMatch(/not scanned|cannot be read/);
  });

  it('survives an empty repository', async () => {
    const repo = TestRepo.create();
    const result = await scan(repo.dir);
    expect(result.status).toBe('ok');
    expect(result.stats).toMatchObject({ blobs: 0, secrets: 0 });
    expect(readdirSync(join(repo.dir, '.git')).includes('.nhiscan-cache')).toBe(false);
  });
});
