/** Hex ids read straight from git's output bytes, without making strings of them. */

/** Each byte's value as a hex digit (either case), or -1. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUE[digit.toString(16).charCodeAt(0)] = digit;
  HEX_VALUE[digit.toString(16).toUpperCase().charCodeAt(0)] = digit;
}

/** The first `digits` (at most 8) hex digits at `at` as an unsigned number (8: an id's first four bytes), or -1 when one is not hex. */
export function hexPrefix(hex: Uint8Array, at: number, digits = 8): number {
  let prefix = 0;
  for (let i = at; i < at + digits; i++) {
    const digit = HEX_VALUE[hex[i]!]!;
    if (digit < 0) return -1;
    prefix = prefix * 16 + digit;
  }
  return prefix;
}

/** Whether the 20-byte id at `from` in `ids` ends as the 40 hex digits at `at` in `hex` do (bytes 4 to 19; the first four compared already). */
export function sameIdAfterPrefix(ids: Uint8Array, from: number, hex: Uint8Array, at: number): boolean {
  for (let i = 4; i < 20; i++) {
    const high = HEX_VALUE[hex[at + 2 * i]!]!,
      low = HEX_VALUE[hex[at + 2 * i + 1]!]!;
    if ((high | low) < 0 || ids[from + i] !== ((high << 4) | low)) return false;
  }
  return true;
}

/** Decodes the 40 hex digits at `from` in `hex` into 20 bytes at `to` in `into`; false (part written) when one is not hex. */
export function decodeHexId(hex: Uint8Array, from: number, into: Uint8Array, to = 0): boolean {
  for (let i = 0; i < 20; i++) {
    const high = HEX_VALUE[hex[from + 2 * i]!]!,
      low = HEX_VALUE[hex[from + 2 * i + 1]!]!;
    if ((high | low) < 0) return false;
    into[to + i] = (high << 4) | low;
  }
  return true;
}
