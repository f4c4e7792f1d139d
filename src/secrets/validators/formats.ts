/**
 * Validators for file formats: PyPI macaroons, keystores (PKCS#12, Java JKS/JCEKS) by their binary
 * structure, base64 `user:password` pairs, password hashes, and values that are references to
 * something else.
 */
import type { Validator } from '../detector.js';
import { decodeUserPasswordPair } from './common.js';
import { decodePypiMacaroon, isDerSequence } from '../structure.js';
import { decodeBase64, isPlaceholder, isPrintableUtf8, isTemplateReference, shannonEntropy } from '../value-checks.js';

export const pypiMacaroonValidator: Validator = (value) => {
  const facts = decodePypiMacaroon(value);
  return facts
    ? { confidence: 'high', decoded: { location: facts.location }, ...(facts.location === 'test.pypi.org' ? { severity: 'low' as const } : {}) }
    : null;
};

/** `${NPM_TOKEN}`, `$TOKEN`, `{{ .token }}`: a reference, not the value. */
export const notReferenceValidator: Validator = (value) => (/^\$\{?/.test(value) || isTemplateReference(value) || isPlaceholder(value) ? null : {});

/** OID 1.2.840.113549.1.7.1 (PKCS#7 data), the content type of a PKCS#12 file's authSafe. */
const PKCS7_DATA_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);

/**
 * PKCS#12 (PFX, RFC 7292): one DER SEQUENCE holding INTEGER 3 (the version), then a ContentInfo
 * SEQUENCE whose type is PKCS#7 data. Looked at in the first 32 bytes only.
 */
export function isPkcs12(bytes: Uint8Array): boolean {
  if (bytes.length < 32 || bytes[0] !== 0x30) return false;
  let off = 1;
  const lenByte = bytes[off++]!;
  if (lenByte & 0x80) off += lenByte & 0x7f;
  if (bytes[off] !== 0x02 || bytes[off + 1] !== 0x01 || bytes[off + 2] !== 0x03) return false;
  off += 3;
  if (bytes[off] !== 0x30) return false;
  const inner = bytes[off + 1]!;
  off += 2 + (inner & 0x80 ? inner & 0x7f : 0);
  return Buffer.from(bytes.buffer, bytes.byteOffset + off, Math.min(PKCS7_DATA_OID.length, bytes.length - off)).equals(PKCS7_DATA_OID);
}

/** Java keystores: JKS starts with 0xFEEDFEED, JCEKS with 0xCECECECE, then a version (1 or 2). */
export function javaKeystoreKind(bytes: Uint8Array): 'jks' | 'jceks' | undefined {
  if (bytes.length < 12 || bytes[4] !== 0 || bytes[5] !== 0 || bytes[6] !== 0 || (bytes[7] !== 1 && bytes[7] !== 2)) return undefined;
  const magic = Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32BE(0);
  return magic === 0xfeedfeed ? 'jks' : magic === 0xcececece ? 'jceks' : undefined;
}

/** Base64 text of a PKCS#12 file (a keystore pasted into YAML, a CI variable...). */
export const pkcs12Validator: Validator = (value) => {
  const bytes = decodeBase64(value);
  return bytes && isPkcs12(bytes) && isDerSequence(bytes) ? { confidence: 'high', decoded: { format: 'pkcs12' } } : null;
};

/** Base64 text of a Java keystore. */
export const javaKeystoreValidator: Validator = (value) => {
  const bytes = decodeBase64(value);
  const kind = bytes ? javaKeystoreKind(bytes) : undefined;
  return kind ? { confidence: 'high', decoded: { format: kind } } : null;
};

/** Base64 of `user:password` (npm `_auth`, HTTP basic auth headers): reported as the pair, user decoded. */
export const basicAuthPairValidator: Validator = (value) => {
  const pair = decodeUserPasswordPair(value);
  if (!pair || pair.password.length < 4 || shannonEntropy(pair.password) < 2) return null;
  return { confidence: 'high', decoded: { username: pair.username } };
};

/**
 * Password hashes (crypt formats `$1$`, `$5$`, `$6$`, `$2y$`, `$y$`, `$apr1$`, `{SHA}`): a hashed
 * credential, crackable offline but not directly usable, so always `low`. The pattern's group `user`
 * names the account.
 */
export const passwordHashValidator: Validator = (value, ctx) => {
  const user = ctx.match.groups?.user;
  if (isPlaceholder(value.replace(/^\$[\w]{1,6}\$/, ''))) return null;
  return { severity: 'low', confidence: 'high', ...(user ? { decoded: { username: user } } : {}) };
};

/** Base64 of a password alone (npm `_password`): printable, not a placeholder. */
export const base64PasswordValidator: Validator = (value) => {
  const bytes = decodeBase64(value);
  if (!bytes || bytes.length < 6 || !isPrintableUtf8(bytes)) return null;
  const password = bytes.toString('utf8');
  if (isPlaceholder(password) || isTemplateReference(password) || shannonEntropy(password) < 2.5) return null;
  return { confidence: 'high' };
};
