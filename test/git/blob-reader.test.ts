import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readBlobs, type BlobRecord } from '../../connectors/git/blob-reader.js';
import { TestRepo } from './support/repo.js';

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
    expect(records.map((r) => [r.tag, r.kind])).toEqual([['small', 'blob'], ['absent', 'missing'], ['tree', 'not-blob'], ['big', 'too-large'], ['other', 'blob']]);
    expect(records[0]!.kind === 'blob' && records[0]!.content.toString()).toBe('hello\n');
    expect(records[3]!.kind === 'too-large' && records[3]!.size).toBe(300_000);
    expect(records[4]!.kind === 'blob' && records[4]!.content.toString()).toBe('world\n');
  });

  it('stops git when the consumer stops early', async () => {
    const repo = TestRepo.create();
    repo.commit('files', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const gitDir = join(repo.dir, '.git');
    const requests = [{ oid: repo.blobOf('HEAD', 'a.txt'), tag: 'a' }, { oid: repo.blobOf('HEAD', 'b.txt'), tag: 'b' }];
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
});
