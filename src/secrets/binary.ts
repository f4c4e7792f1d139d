/** Binary-file detection for the connectors, the same rule git uses: a NUL byte in the first 8000 bytes. */

export const BINARY_SNIFF_BYTES = 8000;

export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** The same rule for text already decoded. */
export function isBinaryText(text: string): boolean {
  const nul = text.indexOf('\0');
  return nul >= 0 && nul < BINARY_SNIFF_BYTES;
}
