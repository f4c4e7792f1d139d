/**
 * A UTF-8 text's UTF-16 code units, exactly as `buffer.toString('utf8')` would give them, without making
 * the string. Creating that string is what costs: V8 decodes non-Latin text at ~20 ns a byte (a Chinese
 * translation file's 120 KB segment, 2.3 ms), where this loop takes ~1.1 to 2. The engine reads the units to
 * prove that a text holds no match (windows and keyword hits in the string's own offsets) and decodes only
 * the few windows it runs patterns on, each from its units (`unitsToString`); a text that must be scanned
 * is made from its units too, a copy.
 */
import { endianness } from 'node:os';

/** Code units read as a little-endian Buffer's UCS-2: true on every host Node runs on but big-endian ones. */
const LITTLE_ENDIAN = endianness() === 'LE';

// Reused from one text to the next (the engine is synchronous: one text at a time per thread).
let unitScratch = new Uint16Array(0);

/**
 * The code units of `bytes[start, end)`, valid UTF-8 starting and ending on character boundaries (a
 * segment of a file that passed `isUtf8`); undefined if it is not (the caller then decodes it as before),
 * or where units cannot be read back as a string unchanged (a big-endian host). Valid until the next call.
 *
 * Always this loop, into memory reused from one text to the next: ICU's `buffer.transcode` converts at
 * ~0.5 ns a byte, but each call returns a fresh buffer twice the text's size, freed only when a garbage
 * collection finds it. Over a translation file's hundreds of versions (866 MB on git/git) that was
 * ~6 ns a byte of CPU time in steady state (fresh pages from malloc, system time included, and the
 * collections the external memory triggers), against 0.7 to 1.9 for this loop. Runs of ASCII, most of
 * a translation file, are read four bytes at a time.
 */
export function utf16Units(bytes: Uint8Array, start: number, end: number): Uint16Array | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  const most = end - start; // never more units than bytes
  if (unitScratch.length < most) unitScratch = new Uint16Array(Math.max(most, unitScratch.length * 2));
  const units = unitScratch;
  const base = bytes.byteOffset;
  // The bytes' memory as little-endian words (the host is): word w holds bytes[4w − base .. 4w − base + 3].
  const words = new Uint32Array(bytes.buffer, 0, bytes.buffer.byteLength >> 2);
  let n = 0,
    i = start;
  while (i < end) {
    let b = bytes[i]!;
    if (b < 0x80) {
      // A run of ASCII, the bulk of most texts: byte by byte up to a word boundary, then a word at a time.
      units[n++] = b;
      i++;
      while ((base + i) & 3 && i < end && (b = bytes[i]!) < 0x80) {
        units[n++] = b;
        i++;
      }
      let w: number;
      while (i + 4 <= end && ((w = words[(base + i) >> 2]!) & 0x80808080) === 0) {
        units[n] = w & 0xff;
        units[n + 1] = (w >>> 8) & 0xff;
        units[n + 2] = (w >>> 16) & 0xff;
        units[n + 3] = w >>> 24;
        n += 4;
        i += 4;
      }
      while (i < end && (b = bytes[i]!) < 0x80) {
        units[n++] = b;
        i++;
      }
    } else if (b >= 0xc2 && b < 0xe0) {
      units[n++] = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      i += 2;
    } else if (b >= 0xe0 && b < 0xf0) {
      units[n++] = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      i += 3;
    } else if (b >= 0xf0 && b < 0xf5) {
      // Beyond the Basic Multilingual Plane: a surrogate pair.
      const point = (((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f)) - 0x10000;
      units[n++] = 0xd800 + (point >> 10);
      units[n++] = 0xdc00 + (point & 0x3ff);
      i += 4;
    } else return undefined;
  }
  if (i !== end) return undefined; // a character cut at the end
  return units.subarray(0, n);
}

/** Units [from, to) of `units` as the string they are (lone surrogates kept, as `String.prototype.slice` keeps them). */
export function unitsToString(units: Uint16Array, from: number, to: number): string {
  return Buffer.from(units.buffer, units.byteOffset + 2 * from, 2 * (to - from)).toString('ucs2');
}
