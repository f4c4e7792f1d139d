import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readBlobs, type BlobRecord } from '../../connectors/git/blob-reader.js';
import { TestRepo } from '../../testkit/git-repo.js';

describe('blob reader (git cat-file --batch)', () => {
  it('answers in request order: contents, missing objects, non-blobs, and oversized blobs streamed past', async () => {
    const repo = TestRepo.create();
    repo.commit('files', { 'small.txt': 'hello\n', 'big.bin': 'z'.repeat(300_000), 'other.txt': 'world\n' });
    const gitDir = join(repo.dir, '.git');
    const requests = [
      { oid: repo.blobOf('HEAD', 'small.txt'), tag: 'small' },
      { oid: 'f'.repeat(40), tag: 'absent' },
      { oid: repo.git('rev-parse', 'HEAD^{tree}'), tag: 'tree' },
      { oid: repo.blobOf('HEAD', 'big.bin'), tag: 'big' },
      { oid: repo.blobOf('HEAD', 'other.txt'), tag: 'other' },
    ];
    async function* lazily() {
      for (const request of requests) {
        await new Promise((r) => setTimeout(r, 5)); // a slow producer must not stall or reorder anything
        yield request;
      }
    }
    const records: BlobRecord<string>[] = [];
    for await (const record of readBlobs(gitDir, lazily(), 1000)) records.push(record);
    expect(records.map((r) => [r.tag, r.kind])).toEqual([
      ['small', 'blob'],
      ['absent', 'missing'],
      ['tree', 'not-blob'],
      ['big', 'too-large'],
      ['other', 'blob'],
    ]);
    expect(records[0]!.kind === 'blob' && records[0]!.content.toString()).toBe('hello\n');
    expect(records[3]!.kind === 'too-large' && records[3]!.size).toBe(300_000);
    expect(records[4]!.kind === 'blob' && records[4]!.content.toString()).toBe('world\n');
  });

  it('stops git when the consumer stops early', async () => {
    const repo = TestRepo.create();
    repo.commit('files', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const gitDir = join(repo.dir, '.git');
    const requests = [
      { oid: repo.blobOf('HEAD', 'a.txt'), tag: 'a' },
      { oid: repo.blobOf('HEAD', 'b.txt'), tag: 'b' },
    ];
    let seen = 0;
    for await (const _record of readBlobs(gitDir, requests, 1000)) {
      seen += 1;
      break;
    }
    expect(seen).toBe(1);
    const running = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(`--git-dir=${gitDir} cat-file`);
    for (let i = 0; i < 40 && running(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(running()).toBe(false);
  });

  it('goes on with a fresh git after git dies on a corrupt object while the next request is still coming', async () => {
    const repo = TestRepo.create();
    repo.commit('files', { 'good.txt': 'good\n', 'bad.txt': `${'payload '.repeat(200)}\n`, 'later.txt': 'later\n' });
    repo.git('repack', '-adq');
    const gitDir = join(repo.dir, '.git');
    const bad = repo.blobOf('HEAD', 'bad.txt');
    const pack = join(
      gitDir,
      'objects',
      'pack',
      readdirSync(join(gitDir, 'objects', 'pack')).find((f) => f.endsWith('.pack'))!,
    );
    const [, , , sizeInPack, offset] = repo
      .git('verify-pack', '-v', pack.replace(/\.pack$/, '.idx'))
      .split('\n')
      .find((l) => l.startsWith(bad))!
      .split(/\s+/);
    const fd = openSync(pack, 'r+');
    const at = Number(offset) + Math.floor(Number(sizeInPack) / 2);
    const bytes = Buffer.alloc(4);
    readSync(fd, bytes, 0, 4, at);
    writeSync(
      fd,
      bytes.map((b) => b ^ 0xff),
      0,
      4,
      at,
    );
    closeSync(fd);
    // Like the scan workers' queue: the next request only comes once the answer for `bad` is out.
    let answered: () => void = () => {};
    const badAnswered = new Promise<void>((resolve) => (answered = resolve));
    async function* dependent() {
      yield { oid: repo.blobOf('HEAD', 'good.txt'), tag: 'good' };
      yield { oid: bad, tag: 'bad' };
      await Promise.race([badAnswered, new Promise((r) => setTimeout(r, 5000))]);
      yield { oid: repo.blobOf('HEAD', 'later.txt'), tag: 'later' };
    }
    const records: BlobRecord<string>[] = [];
    const started = Date.now();
    for await (const record of readBlobs(gitDir, dependent(), 1 << 20)) {
      records.push(record);
      if (record.tag === 'bad') answered();
    }
    expect(Date.now() - started).toBeLessThan(4000); // not a deadlock broken by the 5 s guard
    expect(records.map((r) => [r.tag, r.kind])).toEqual([
      ['good', 'blob'],
      ['bad', 'error'],
      ['later', 'blob'],
    ]);
    expect(records[1]!.kind === 'error' && records[1]!.message).toMatch(/corrupt|inflate/);
  }, 20_000);
});
