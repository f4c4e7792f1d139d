/**
 * A set of object ids, most of them held as 20-byte records in one sorted buffer (searched by
 * bisection): the blob cache's set of scanned blobs holds every blob of a history (262,000 on git/git,
 * ~25 MB as a Set of hex strings, ~5 MB here). Ids added during a scan gather in a small Set first and
 * are merged into the buffer in bulk, so adding stays cheap and lookups see every id at once. Ids that
 * are not SHA-1 hex (a SHA-256 repository) stay in a plain Set.
 */
const OID_BYTES = 20;
const SHA1_HEX = /^[0-9a-f]{40}$/;

export class OidSet {
  /** Sorted ids in its first `count` records; room to merge into without a new allocation each time. */
  private sorted: Buffer = Buffer.alloc(0);
  private count = 0;
  private recent = new Set<string>();
  private readonly other = new Set<string>();
  private readonly probe = Buffer.alloc(OID_BYTES);

  /** `flushAt`: ids gathered before they are merged into the sorted buffer. */
  constructor(private readonly flushAt = 4096) {}

  /** Ids one a line (the cache file's form); sorted as this set writes them, else sorted once here. */
  static fromLines(text: string): OidSet {
    const set = new OidSet();
    const packed = Buffer.allocUnsafeSlow(Math.ceil(text.length / 41) * OID_BYTES);
    let count = 0,
      inOrder = true;
    for (let i = 0; i < text.length;) {
      const end = text.indexOf('\n', i);
      const id = text.slice(i, end < 0 ? undefined : end);
      if (SHA1_HEX.test(id)) {
        packed.write(id, count * OID_BYTES, OID_BYTES, 'hex');
        if (count && packed.compare(packed, (count - 1) * OID_BYTES, count * OID_BYTES, count * OID_BYTES, (count + 1) * OID_BYTES) < 0) inOrder = false;
        count++;
      } else if (id) set.other.add(id);
      if (end < 0) break;
      i = end + 1;
    }
    const ids = packed.subarray(0, count * OID_BYTES);
    set.sorted = inOrder ? ids : sortRecords(ids);
    set.count = count;
    return set;
  }

  get size(): number {
    return this.count + this.recent.size + this.other.size;
  }

  has(oid: string): boolean {
    if (this.recent.has(oid) || this.other.has(oid)) return true;
    if (!SHA1_HEX.test(oid)) return false;
    this.probe.write(oid, 'hex');
    let lo = 0,
      hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = this.sorted.compare(this.probe, 0, OID_BYTES, mid * OID_BYTES, (mid + 1) * OID_BYTES);
      if (cmp === 0) return true;
      if (cmp < 0) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }

  add(oid: string): void {
    if (!SHA1_HEX.test(oid)) {
      this.other.add(oid);
      return;
    }
    if (this.has(oid)) return;
    this.recent.add(oid);
    if (this.recent.size >= this.flushThreshold()) this.flush();
  }

  /**
   * A merge moves most of the sorted records, so ids gather longer as the set grows (an eighth of it, up to
   * 65,536 ids, ~6 MB of strings): merging a whole history costs a few dozen passes instead of one per
   * `flushAt` ids, which grew with the square of the history (2 million ids: ~30 s).
   */
  private flushThreshold(): number {
    return Math.max(this.flushAt, Math.min(this.count >>> 3, 65_536));
  }

  /** Every id, one a line, SHA-1 ids sorted (so the next load needs no sort). */
  toLines(): string {
    return [...this.chunks('\n')].join('\n');
  }

  /** The ids in pieces of a few thousand, each joined by `separator` (join the pieces with it too). */
  *chunks(separator: string): Generator<string> {
    this.flush();
    const CHUNK = 4096 * OID_BYTES;
    const end = this.count * OID_BYTES;
    for (let at = 0; at < end; at += CHUNK) {
      const hex = this.sorted.toString('hex', at, Math.min(end, at + CHUNK));
      yield hex.replace(/(.{40})(?!$)/g, `$1${separator.replace(/\$/g, '$$$$')}`);
    }
    if (this.other.size) yield [...this.other].join(separator);
  }

  /**
   * Merges the gathered ids into the sorted records, from the end backwards, in place: the buffer grows
   * by doubling, so merging every few thousand ids allocates only a few times over a whole history.
   */
  private flush(): void {
    if (!this.recent.size) return;
    const fresh = packSorted([...this.recent]);
    this.recent = new Set();
    const total = this.count + fresh.length / OID_BYTES;
    if (total * OID_BYTES > this.sorted.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(total, this.count * 2, 1024) * OID_BYTES);
      this.sorted.copy(grown, 0, 0, this.count * OID_BYTES);
      this.sorted = grown;
    }
    let i = this.count - 1,
      j = fresh.length / OID_BYTES - 1,
      w = total - 1;
    const { sorted } = this;
    while (j >= 0) {
      const takeSorted = i >= 0 && sorted.compare(fresh, j * OID_BYTES, (j + 1) * OID_BYTES, i * OID_BYTES, (i + 1) * OID_BYTES) > 0;
      if (takeSorted) sorted.copy(sorted, w * OID_BYTES, i * OID_BYTES, (i-- + 1) * OID_BYTES);
      else fresh.copy(sorted, w * OID_BYTES, j * OID_BYTES, (j-- + 1) * OID_BYTES);
      w--;
    }
    this.count = total;
  }
}

/** Lower-case hex ids sort as their bytes do: sorted as strings, then packed. */
function packSorted(ids: string[]): Buffer {
  ids.sort();
  const out = Buffer.allocUnsafeSlow(ids.length * OID_BYTES);
  for (let i = 0; i < ids.length; i++) out.write(ids[i]!, i * OID_BYTES, OID_BYTES, 'hex');
  return out;
}

/** Sorts 20-byte records (a cache file written before ids were saved in order). */
function sortRecords(records: Buffer): Buffer {
  const count = records.length / OID_BYTES;
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => records.compare(records, b * OID_BYTES, (b + 1) * OID_BYTES, a * OID_BYTES, (a + 1) * OID_BYTES));
  const out = Buffer.allocUnsafeSlow(records.length);
  for (let i = 0; i < count; i++) records.copy(out, i * OID_BYTES, order[i]! * OID_BYTES, (order[i]! + 1) * OID_BYTES);
  return out;
}
