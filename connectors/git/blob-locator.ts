/**
 * Finds the pack entry of a listed id, for the in-commit-order listing, which names every tree and blob of
 * a history (849,000 ids on git/git, two thirds of them trees no layout holds). A binary search over the
 * ids' first four bytes as numbers, with the hex id decoded only when they match: ~1 µs per id, where
 * PackedObjects.locate's search over Buffer comparisons takes ~5 µs (4 s of the main thread on git/git).
 * Costs 4 bytes per packed blob.
 */
import type { OpenedPack, PackedObjects } from './pack/packed-objects.js';

const OID_BYTES = 20;

export class BlobLocator {
  private readonly prefixes: Uint32Array[];
  private readonly oid = Buffer.alloc(OID_BYTES);

  constructor(private readonly packed: PackedObjects) {
    this.prefixes = packed.packs.map(({ index }) => {
      const prefixes = new Uint32Array(index.count);
      for (let i = 0; i < index.count; i++) prefixes[i] = index.oids.readUInt32BE(i * OID_BYTES);
      return prefixes;
    });
  }

  /** The pack and entry holding this blob (a hex SHA-1 id), if a layout holds it. */
  locate(oid: string): { pack: OpenedPack; entry: number } | undefined {
    if (oid.length !== 2 * OID_BYTES) return undefined;
    const prefix = Number.parseInt(oid.slice(0, 8), 16);
    if (Number.isNaN(prefix)) return undefined;
    let decoded = false;
    for (let p = 0; p < this.prefixes.length; p++) {
      const prefixes = this.prefixes[p]!;
      let lo = 0,
        hi = prefixes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (prefixes[mid]! < prefix) lo = mid + 1;
        else hi = mid;
      }
      if (lo === prefixes.length || prefixes[lo] !== prefix) continue;
      if (!decoded && this.oid.write(oid, 'hex') !== OID_BYTES) return undefined;
      decoded = true;
      const pack = this.packed.packs[p]!;
      for (let at = lo; at < prefixes.length && prefixes[at] === prefix; at++) {
        if (pack.index.oids.compare(this.oid, 0, OID_BYTES, at * OID_BYTES, (at + 1) * OID_BYTES) === 0) return { pack, entry: pack.index.entryOf[at]! };
      }
    }
    return undefined;
  }
}
