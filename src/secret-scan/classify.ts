/**
 * Cheap byte-level triage before a file is decoded and scanned: binaries, Git LFS pointers and
 * non-UTF-8 text. Same heuristics as git itself (a NUL byte in the first 8000 bytes means binary).
 */
const BINARY_PROBE = 8000;
const LFS_POINTER = Buffer.from('version https://git-lfs.github.com/spec/v1');

export type ContentClass = 'text' | 'binary' | 'lfs-pointer' | 'empty';

export function classifyContent(bytes: Uint8Array): ContentClass {
  if (bytes.length === 0) return 'empty';
  // LFS pointers are tiny text files naming the real object by its sha256: nothing secret to find.
  if (bytes.length >= LFS_POINTER.length && bytes.length < 1024 && Buffer.from(bytes.buffer, bytes.byteOffset, LFS_POINTER.length).equals(LFS_POINTER))
    return 'lfs-pointer';
  const probe = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, BINARY_PROBE));
  if (probe.indexOf(0) >= 0) return 'binary';
  return 'text';
}
