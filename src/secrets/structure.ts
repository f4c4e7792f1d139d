/**
 * Offline structural checks: the parts of a credential's format that a look-alike gets wrong.
 * No network, no secrets logged. Every function is bounded by the length of its input.
 */
import { createPrivateKey } from 'node:crypto';
import { decodeBase64 } from './value-checks.js';

// ---------------------------------------------------------------- CRC32 + base62 (GitHub, npm)

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** zlib CRC-32 of the string's UTF-8 (here always ASCII) bytes, unsigned. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62]! + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_) tokens: the last 6 characters are the base62
 * CRC-32 of the random part before them (the prefix is excluded).
 */
export function hasValidCrc32Checksum(token: string): boolean {
  const underscore = token.indexOf('_');
  const body = token.slice(underscore + 1);
  if (body.length < 7) return false;
  const random = body.slice(0, -6);
  return base62(crc32(random), 6) === body.slice(-6);
}

// ---------------------------------------------------------------- AWS access key ids

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let bits = 0,
    acc = 0,
    j = 0;
  for (const ch of text) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}

export interface AwsKeyIdFacts {
  /** `AKIA` long-term IAM user key, `ASIA` STS temporary key, others are identifiers for other resources. */
  prefix: string;
  /** The 12-digit account id, for key ids minted since 2019 (5th char Q-Z/2-7); undefined for older keys. */
  accountId?: string;
}

/**
 * Decodes an AWS key id. The 16 base32 chars after the prefix are 10 bytes; when the top bit of the
 * first 48 bits is set, bits 46..7 hold the account id (`(x & 0x7fffffffff80) >> 7`). Returns null when
 * the id is not base32 (not a key id at all).
 */
export function decodeAwsKeyId(keyId: string): AwsKeyIdFacts | null {
  if (keyId.length !== 20) return null;
  const bytes = base32Decode(keyId.slice(4));
  if (!bytes) return null;
  let x = 0;
  for (let i = 0; i < 6; i++) x = x * 256 + bytes[i]!;
  const facts: AwsKeyIdFacts = { prefix: keyId.slice(0, 4) };
  if (x >= 2 ** 47) {
    const account = Math.floor((x - 2 ** 47) / 128);
    if (account < 1e12) facts.accountId = String(account).padStart(12, '0');
  }
  return facts;
}

/** AWS documentation example credentials (assembled so this file is not itself a finding). */
export const AWS_DOC_EXAMPLE_KEYS: ReadonlySet<string> = new Set([
  'AKIAIOSFODNN7' + 'EXAMPLE',
  'ASIAIOSFODNN7' + 'EXAMPLE',
  'AKIAI44QH8DHB' + 'EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvb' + 'EXAMPLEKEY',
]);

// ---------------------------------------------------------------- PyPI macaroons

/** Reads a protobuf-style varint; returns [value, nextOffset] or null. */
function readVarint(bytes: Uint8Array, offset: number): [number, number] | null {
  let value = 0,
    shift = 0,
    i = offset;
  while (i < bytes.length && shift < 28) {
    const b = bytes[i++]!;
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [value, i];
    shift += 7;
  }
  return null;
}

/**
 * PyPI API tokens are `pypi-` + base64url(macaroon v2). A v2 macaroon starts with version byte 2,
 * then field 1 (location, `pypi.org` or `test.pypi.org`), then field 2 (identifier).
 */
export function decodePypiMacaroon(token: string): { location: string } | null {
  const bytes = decodeBase64(token.slice('pypi-'.length));
  if (!bytes || bytes.length < 40 || bytes[0] !== 2 || bytes[1] !== 1) return null;
  const len = readVarint(bytes, 2);
  if (!len) return null;
  const [locationLength, locationStart] = len;
  const location = Buffer.from(bytes.subarray(locationStart, locationStart + locationLength)).toString('latin1');
  if (location !== 'pypi.org' && location !== 'test.pypi.org') return null;
  if (bytes[locationStart + locationLength] !== 2) return null; // identifier field must follow
  return { location };
}

// ---------------------------------------------------------------- DER / PEM / OpenSSH

/** True when the bytes are one DER SEQUENCE whose declared length matches the buffer (±trailing zeros). */
export function isDerSequence(der: Uint8Array): boolean {
  if (der.length < 8 || der[0] !== 0x30) return false;
  let len = der[1]!;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) return false;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
    header = 2 + n;
  }
  return header + len === der.length;
}

export interface PrivateKeyFacts {
  encrypted: boolean;
  keyType?: string;
  bits?: number;
  /** createPrivateKey accepted it (unencrypted PKCS#1/SEC1/PKCS#8). */
  parsed: boolean;
}

/** Splits a PEM block into its headers and base64 body (handles JSON-escaped `\n`). */
function pemParts(pem: string): { label: string; headers: string[]; body: string } | null {
  const normalised = pem.replace(/\\r\\n|\\n|\r\n/g, '\n');
  const m = /-----BEGIN ([A-Z0-9 ]{1,40})-----\n?([\s\S]*?)-----END \1-----/.exec(normalised);
  if (!m) return null;
  const lines = m[2]!
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const headers = lines.filter((l) => /^[A-Za-z-]{1,40}:/.test(l));
  const body = lines.filter((l) => !/^[A-Za-z-]{1,40}:/.test(l)).join('');
  return { label: m[1]!, headers, body };
}

/**
 * Checks that a PEM private key block has a body that decodes to a plausible key:
 * unencrypted keys must parse with node:crypto (or at least be one DER SEQUENCE), PKCS#8-encrypted
 * keys must be DER, legacy `Proc-Type: 4,ENCRYPTED` bodies must be whole cipher blocks.
 */
export function inspectPemPrivateKey(pem: string): PrivateKeyFacts | null {
  const parts = pemParts(pem);
  if (!parts) return null;
  const der = decodeBase64(parts.body);
  if (!der || der.length < 40) return null; // Ed25519 PKCS#8 is 48 bytes
  const legacyEncrypted = parts.headers.some((h) => /^Proc-Type:\s*4,ENCRYPTED/i.test(h));
  if (legacyEncrypted) return der.length % 8 === 0 ? { encrypted: true, parsed: false } : null;
  if (parts.label === 'ENCRYPTED PRIVATE KEY') return isDerSequence(der) ? { encrypted: true, parsed: false } : null;
  if (parts.label === 'OPENSSH PRIVATE KEY') return inspectOpenSshKey(der);
  if (!isDerSequence(der)) return null;
  try {
    const normalised = `-----BEGIN ${parts.label}-----\n${parts.body.replace(/(.{64})/g, '$1\n')}\n-----END ${parts.label}-----\n`;
    const key = createPrivateKey({ key: normalised, format: 'pem' });
    const facts: PrivateKeyFacts = { encrypted: false, parsed: true, keyType: key.asymmetricKeyType };
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (bits) facts.bits = bits;
    return facts;
  } catch {
    // A DER SEQUENCE that OpenSSL will not load (e.g. a traditional DSA key on a build without it): still a key shape.
    return { encrypted: false, parsed: false };
  }
}

const OPENSSH_MAGIC = 'openssh-key-v1\0';

/** `openssh-key-v1\0`, then ciphername (`none` = unencrypted), kdfname, kdfoptions, key count, public key. */
export function inspectOpenSshKey(bytes: Uint8Array): PrivateKeyFacts | null {
  const buf = Buffer.from(bytes);
  if (buf.length < 64 || buf.toString('latin1', 0, OPENSSH_MAGIC.length) !== OPENSSH_MAGIC) return null;
  let off = OPENSSH_MAGIC.length;
  const readString = (): Buffer | null => {
    if (off + 4 > buf.length) return null;
    const len = buf.readUInt32BE(off);
    if (len > buf.length - off - 4) return null;
    const s = buf.subarray(off + 4, off + 4 + len);
    off += 4 + len;
    return s;
  };
  const cipher = readString();
  const kdf = readString();
  const kdfOptions = readString();
  if (!cipher || !kdf || !kdfOptions || off + 4 > buf.length) return null;
  const keyCount = buf.readUInt32BE(off);
  off += 4;
  if (keyCount < 1 || keyCount > 16) return null;
  const publicKey = readString();
  if (!publicKey || publicKey.length < 8) return null;
  const typeLen = publicKey.readUInt32BE(0);
  const keyType = typeLen < 64 ? publicKey.toString('latin1', 4, 4 + typeLen) : undefined;
  const facts: PrivateKeyFacts = { encrypted: cipher.toString('latin1') !== 'none', parsed: true };
  if (keyType && /^[a-z0-9@.-]+$/.test(keyType)) facts.keyType = keyType;
  return facts;
}

// ---------------------------------------------------------------- JWT

export interface JwtFacts {
  alg: string;
  exp?: number;
  iat?: number;
  iss?: string;
}

/** Decodes a JWT's header and payload; null unless both are JSON objects and the header names an alg. */
export function decodeJwt(token: string): JwtFacts | null {
  const [h, p, s] = token.split('.');
  if (!h || !p || s === undefined) return null;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload) || typeof header.alg !== 'string') return null;
    const facts: JwtFacts = { alg: header.alg };
    if (typeof payload.exp === 'number') facts.exp = payload.exp;
    if (typeof payload.iat === 'number') facts.iat = payload.iat;
    if (typeof payload.iss === 'string') facts.iss = payload.iss.slice(0, 200);
    return facts;
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
