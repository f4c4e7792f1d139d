/**
 * Fake credentials built at test time with valid structure (checksums, decodable key ids), so the
 * detectors' structural validation accepts them. Nothing here is a real secret, and no literal token
 * is committed: every value is derived from a seed when a test runs.
 */
import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(width, '0');
}

/** Deterministic bytes from a seed (sha256 in counter mode). */
export function seededBytes(seed: string, length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; Buffer.concat(chunks).length < length; i++) chunks.push(createHash('sha256').update(`${seed}#${i}`).digest());
  return Buffer.concat(chunks).subarray(0, length);
}

function seededChars(seed: string, alphabet: string, length: number): string {
  return [...seededBytes(seed, length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** `ghp_` + 30 random base62 + base62 CRC32 of those 30. */
export function fakeGithubToken(seed: string, prefix = 'ghp'): string {
  const random = seededChars(`gh:${seed}`, BASE62, 30);
  return `${prefix}_${random}${base62(crc32(random), 6)}`;
}

/** A GitHub token whose checksum is wrong: a look-alike the detectors must reject. */
export function badChecksumGithubToken(seed: string): string {
  const good = fakeGithubToken(seed);
  const last = good.at(-1)!;
  return good.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

/** An AKIA key id that decodes to `accountId` (newer key format: top bit set, account in bits 46..7). */
export function fakeAwsKeyId(seed: string, accountId = '123456789012'): string {
  const random = seededBytes(`aws-id:${seed}`, 5);
  const high = 2 ** 47 + Number(accountId) * 128 + (random[0]! & 0x7f);
  const bytes = Buffer.alloc(10);
  bytes.writeUIntBE(high, 0, 6);
  random.copy(bytes, 6, 1, 5);
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return `AKIA${out}`;
}

/** 40 characters of base64 alphabet, like an AWS secret access key. */
export function fakeAwsSecret(seed: string): string {
  return seededChars(`aws-secret:${seed}`, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+', 40);
}
