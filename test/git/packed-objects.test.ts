/**
 * Locating an object in the packs (connectors/git/pack/packed-objects.ts), as the in-commit-order listing
 * does for each line of git's output: from the id's hex digits in the line's bytes, through a fan-out over
 * the ids' first bits. Every packed blob must be found at its own entry, and nothing else found.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackedObjects } from '../../connectors/git/pack/packed-objects.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A bare repository whose one pack holds `count` distinct blobs (and no commit), made by fast-import. */
function packOfBlobs(count: number): { gitDir: string; ids: string[] } {
  const gitDir = mkdtempSync(join(tmpdir(), 'nhiscan-packed-'));
  temps.push(gitDir);
  execFileSync('git', ['init', '-q', '--bare', gitDir]);
  const stream = Array.from({ length: count }, (_, i) => `blob\ndata ${`file ${i}\n`.length}\nfile ${i}\n`).join('');
  execFileSync('git', [`--git-dir=${gitDir}`, '-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet'], { input: stream }); // packed, however few
  const ids = execFileSync('git', [`--git-dir=${gitDir}`, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  return { gitDir, ids };
}

const open = (gitDir: string) =>
  new PackedObjects(gitDir, (pack, reason) => {
    throw new Error(`${pack}: ${reason}`);
  });

describe('locating packed objects by id', () => {
  it.each([3, 700])('finds each of %i blobs at its own entry, from a string or from the bytes of a line', (count) => {
    const { gitDir, ids } = packOfBlobs(count);
    expect(ids).toHaveLength(count);
    const packed = open(gitDir);
    const line = Buffer.from(ids.map((id) => `${id} some/path`).join('\n'), 'latin1');
    const entries = new Set<number>();
    ids.forEach((id, i) => {
      const at = packed.locate(id);
      expect(at && packed.describe(at.pack, at.entry).oid).toBe(id);
      expect(packed.locateHex(line, i * (id.length + 11))).toEqual(at);
      expect(packed.locate(id.toUpperCase())).toEqual(at); // git's hex is lower case; a cache's may not be
      entries.add(at!.entry);
    });
    expect(entries.size).toBe(count);
  });

  it('finds nothing for an id no pack holds, one that is not hex, or one of another length', () => {
    const { gitDir, ids } = packOfBlobs(700);
    const packed = open(gitDir);
    const held = new Set(ids);
    for (const id of ids) {
      // The same first bytes (the same bucket and prefix), another last digit.
      const sibling = `${id.slice(0, 39)}${id[39] === '0' ? '1' : '0'}`;
      if (!held.has(sibling)) expect(packed.locate(sibling)).toBeUndefined();
    }
    expect(packed.locate(`${ids[0]!.slice(0, 20)}g${ids[0]!.slice(21)}`)).toBeUndefined();
    expect(packed.locate(`${ids[0]!.slice(0, 39)}\u0130`)).toBeUndefined(); // a character whose low byte is '0'
    expect(packed.locate(ids[0]!.slice(0, 39))).toBeUndefined();
    expect(packed.locate('0'.repeat(40))).toBeUndefined();
    expect(packed.locate('f'.repeat(40))).toBeUndefined();
  });
});
