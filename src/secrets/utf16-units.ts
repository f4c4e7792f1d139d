/**
 * A UTF-8 text's UTF-16 code units, exactly as `buffer.toString('utf8')` would give them, without making
 * the string. Creating that string is what costs: V8 decodes non-Latin text at ~20 ns a byte (a Chinese
 * translation file's 120 KB segment, 2.3 ms), where this loop takes ~1.1 to 2. The engine reads the units to
 * prove that a text holds no match (windows and keyword hits in the string's own offsets) and decodes only
 * the few windows it runs patterns on, each from its units (`unitsToString`); a text that must be scanned
 * is made from its units too, a copy.
 */
import { transcode } from 'node:buffer';
import { endianness } from 'node:os';

/** Code units read as a little-endian Buffer's UCS-2: true on every host Node runs on but big-endian ones. */
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Texts from this many bytes on are converted by ICU (`buffer.transcode`, ~1 ns a byte against ~3 for the
 * loop below: a translation file's segments were 6 to 8% of a git/git scan's workers in that loop); shorter
 * ones by the loop, which needs no fresh buffer. A Node built without ICU has no `transcode`.
 */
const TRANSCODE_FROM = 4096;
const HAS_TRANSCODE = typeof transcode === 'function';

// Reused from one text to the next (the engine is synchronous: one text at a time per thread).
let unitScratch = new Uint16Array(0);

/**
 * The code units of `bytes[start, end)`, valid UTF-8 starting and ending on character boundaries (a
 * segment of a file that passed `isUtf8`); undefined if it is not (the caller then decodes it as before),
 * or where units cannot be read back as a string unchanged (a big-endian host). Valid until the next call.
 */
export function utf16Units(bytes: Uint8Array, start: number, end: number): Uint16Array | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  if (HAS_TRANSCODE && end - start >= TRANSCODE_FROM) return transcoded(bytes.subarray(start, end));
  const most = end - start; // never more units than bytes
  if (unitScratch.length < most) unitScratch = new Uint16Array(Math.max(most, unitScratch.length * 2));
  const units = unitScratch;
  let n = 0,
    i = start;
  while (i < end) {
    let b = bytes[i]!;
    if (b < 0x80) {
      // A run of ASCII, the bulk of most texts: its own tight loop.
      units[n++] = b;
      i++;
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

/** ICU's conversion of valid UTF-8 (the same units), or undefined when it is not valid. */
function transcoded(bytes: Uint8Array): Uint16Array | undefined {
  let out: Buffer;
  try {
    out = transcode(bytes, 'utf8', 'utf16le');
  } catch {
    return undefined; // ICU refuses invalid UTF-8 (U_INVALID_CHAR_FOUND), a cut character included
  }
  const aligned = out.byteOffset % 2 === 0 ? out : Buffer.from(out);
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length >> 1);
}

/** Units [from, to) of `units` as the string they are (lone surrogates kept, as `String.prototype.slice` keeps them). */
export function unitsToString(units: Uint16Array, from: number, to: number): string {
  return Buffer.from(units.buffer, units.byteOffset + 2 * from, 2 * (to - from)).toString('ucs2');
}
