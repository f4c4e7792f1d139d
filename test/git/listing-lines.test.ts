/**
 * The in-commit-order listing read from git's bytes (connectors/git/listing-lines.ts): commits and missing
 * objects always, other objects only where a readable object's id may be named, each with its path as
 * decoding the line gives it; every other line (a tree) skipped.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { listedObjects, ReadableIds } from '../../connectors/git/listing-lines.js';

const id = (name: string) => createHash('sha1').update(name).digest('hex');

describe('the listing in commit order, read from bytes', () => {
  const blobs = [id('blob-a'), id('blob-b'), id('loose-c')];
  const trees = Array.from({ length: 200 }, (_, i) => id(`tree-${i}`));
  const readable = new ReadableIds();
  readable.addRecords(Buffer.from(blobs[0]! + blobs[1]!, 'hex'), 2); // two packed blobs, as a pack index holds them
  readable.addHex(blobs[2]!); // a loose object
  const lines = [
    id('commit-1'),
    `${trees[0]} `, // the root tree: an empty path
    `${blobs[0]} src/a b.txt`, // a path with a space
    `${trees[1]} src`,
    `${blobs[1]} docs/naïve.md`,
    id('commit-2'),
    ...trees.slice(2).map((tree, i) => `${tree} dir${i}`),
    `${blobs[2]} v1.0`, // a tag's name
    `?${id('missing')}`,
  ];

  it('keeps commits, missing objects and readable objects with their paths, and skips the trees', () => {
    const listed = listedObjects(Buffer.from(`${lines.join('\n')}\n`), readable);
    expect(listed).toEqual([
      { kind: 'commit', oid: id('commit-1') },
      { kind: 'object', oid: blobs[0], path: 'src/a b.txt' },
      { kind: 'object', oid: blobs[1], path: 'docs/naïve.md' },
      { kind: 'commit', oid: id('commit-2') },
      { kind: 'object', oid: blobs[2], path: 'v1.0' },
      { kind: 'missing', oid: id('missing') },
    ]);
  });

  it('reads a last line git did not end, and lets through what it cannot rule out', () => {
    const odd = `${'zz'.repeat(20)} not-hex`;
    expect(listedObjects(Buffer.from(`${odd}\n${blobs[0]} last`), readable)).toEqual([
      { kind: 'object', oid: 'zz'.repeat(20), path: 'not-hex' },
      { kind: 'object', oid: blobs[0], path: 'last' },
    ]);
  });

  it('skips an id only when no readable id shares its first 24 bits', () => {
    const sharing = `${blobs[0]!.slice(0, 6)}${'0'.repeat(34)}`;
    expect(listedObjects(Buffer.from(`${sharing} x\n`), readable)).toEqual([{ kind: 'object', oid: sharing, path: 'x' }]);
    expect(listedObjects(Buffer.from(`${sharing.toUpperCase()} x\n`), readable)).toHaveLength(1);
  });
});
