/**
 * The blob cache's set of scanned blobs holds a whole history's ids as sorted 20-byte records: it must
 * answer exactly as a Set of the ids would, across bulk merges, a save and a load, in any input order.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { OidSet } from '../../connectors/git/oid-set.js';

const ids = Array.from({ length: 20_000 }, (_, i) => createHash('sha1').update(`blob ${i}`).digest('hex'));
const sha256Id = createHash('sha256').update('a SHA-256 repository').digest('hex');

describe('OidSet', () => {
  it('answers as a Set would across merges of the ids added (every 1,000 here)', () => {
    const set = new OidSet(1000);
    for (const id of ids.slice(0, 12_345)) set.add(id);
    set.add(ids[5]!); // twice: counted once
    set.add(sha256Id);
    expect(set.size).toBe(12_346);
    expect(ids.slice(0, 12_345).every((id) => set.has(id))).toBe(true);
    expect(ids.slice(12_345).some((id) => set.has(id))).toBe(false);
    expect(set.has(sha256Id)).toBe(true);
    expect(set.has('not an id')).toBe(false);
  });

  it('saves its ids sorted, one a line, and loads them back; an unsorted list loads too', () => {
    const set = new OidSet(777);
    for (const id of ids.slice(0, 5000)) set.add(id);
    set.add(sha256Id);
    const lines = set.toLines().split('\n');
    expect(lines).toHaveLength(5001);
    expect(lines.slice(0, 5000)).toEqual(ids.slice(0, 5000).sort());
    const loaded = OidSet.fromLines(lines.join('\n'));
    expect(loaded.size).toBe(5001);
    expect(ids.slice(0, 5000).every((id) => loaded.has(id)) && loaded.has(sha256Id)).toBe(true);
    expect(loaded.has(ids[9000]!)).toBe(false);

    const unsorted = OidSet.fromLines(ids.slice(0, 3000).reverse().join('\n'));
    expect(ids.slice(0, 3000).every((id) => unsorted.has(id))).toBe(true);
    expect(unsorted.has(ids[3000]!)).toBe(false);
    expect(unsorted.toLines().split('\n')).toEqual(ids.slice(0, 3000).sort());
  });
});
