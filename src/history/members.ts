/**
 * Which findings a scan saw, as one compact value: the sorted finding ids, each stored as the
 * difference from the previous one in LEB128 varints. 50,000 findings take about 50 to 100 kB per scan
 * instead of 50,000 rows, and `diff` of two scans decodes two values.
 */
export function encodeIds(ids: ArrayLike<number>): Buffer {
  // A typed array sorts numerically without a comparator; a varint takes at most 5 bytes for an id under 2^32.
  const sorted = Float64Array.from(ids).sort();
  const bytes = Buffer.allocUnsafe(sorted.length * 5);
  let length = 0;
  let previous = 0;
  // Indexed, not for…of: run once per recording, the loop is not optimised, and an iterator boxes each id.
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i]!;
    if (id === previous && length) continue; // one id once
    let delta = id - previous;
    previous = id;
    while (delta >= 0x80) {
      bytes[length++] = (delta & 0x7f) | 0x80;
      delta = Math.floor(delta / 0x80);
    }
    bytes[length++] = delta;
  }
  return Buffer.from(bytes.subarray(0, length));
}

export function decodeIds(value: Uint8Array): number[] {
  const ids: number[] = [];
  let previous = 0;
  let delta = 0;
  let shift = 1;
  for (const byte of value) {
    delta += (byte & 0x7f) * shift;
    if (byte & 0x80) {
      shift *= 0x80;
      continue;
    }
    previous += delta;
    ids.push(previous);
    delta = 0;
    shift = 1;
  }
  return ids;
}
