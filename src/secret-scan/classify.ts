/**
 * Cheap byte-level triage before a file is decoded and scanned: binaries, Git LFS pointers and
 * non-UTF-8 text. Same heuristics as git itself (a NUL byte in the first 8000 bytes means binary).
 */
const BINARY_PROBE = 8000;
const LFS_POINTER = Buffer.from('version https://git-lfs.github.com/spec/v1');

export type ContentClass = 'text' | 'binary' | 'lfs-pointer' | 'nhiscan-report' | 'empty';

/** How far into a file the report markers are looked for: each sits in the first few hundred bytes. */
const REPORT_PROBE = 1024;
/**
 * nhiscan's own reports, recognised by content wherever they are and whatever they are named (a renamed
 * copy, a temp file, a report committed to a repository): the JSON report's `tool`, the SARIF driver,
 * the Markdown title. They quote previews and decoded key ids of what they found, so scanning them
 * reports the scanner's own output.
 */
const REPORT_MARKERS = [
  /^\{\s{0,8}"schemaVersion"\s{0,2}:\s{0,2}"[\w.-]{1,20}",\s{0,8}"tool"\s{0,2}:\s{0,2}\{\s{0,8}"name"\s{0,2}:\s{0,2}"nhiscan"/,
  /^\{\s{0,8}"\$schema"\s{0,2}:\s{0,2}"[^"]{0,200}sarif[^"]{0,200}",[\s\S]{0,300}"driver"\s{0,2}:\s{0,2}\{\s{0,12}"name"\s{0,2}:\s{0,2}"nhiscan"/,
  /^# nhiscan report\r?\n\r?\nScanned \d{1,9} source/,
];

const NAME = Buffer.from('nhiscan');

export function isNhiscanReport(bytes: Uint8Array): boolean {
  const first = bytes[0];
  if (first !== 0x7b && first !== 0x23) return false; // `{` or `#`
  // Every marker names nhiscan: looked for in the bytes first, since a string of the head per file starting
  // with `#` (scripts, C sources) was garbage for nothing (each marker and the name are ASCII, so the two agree).
  const probe = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, REPORT_PROBE));
  if (probe.indexOf(NAME) < 0) return false;
  const head = probe.toString('latin1');
  return REPORT_MARKERS.some((re) => re.test(head));
}

export function classifyContent(bytes: Uint8Array): ContentClass {
  if (bytes.length === 0) return 'empty';
  // LFS pointers are tiny text files naming the real object by its sha256: nothing secret to find.
  if (bytes.length >= LFS_POINTER.length && bytes.length < 1024 && Buffer.from(bytes.buffer, bytes.byteOffset, LFS_POINTER.length).equals(LFS_POINTER))
    return 'lfs-pointer';
  if (isNhiscanReport(bytes)) return 'nhiscan-report';
  const probe = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, BINARY_PROBE));
  if (probe.indexOf(0) >= 0) return 'binary';
  return 'text';
}
