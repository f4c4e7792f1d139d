/**
 * Keystores found by their binary structure (not their file name): PKCS#12 (.p12/.pfx) and Java
 * JKS/JCEKS files hold private keys, so the file itself is the secret. The connectors skip binary files;
 * they hand these ones to the engine (`holdsKeystore`), whose `scanBytes` reports them here.
 */
import { secretHash } from '../redact.js';
import { DETECTORS } from './detectors/index.js';
import { pathAllowlisted } from './ignore.js';
import type { ScanTextOptions, SecretHit } from './types.js';
import { isPkcs12, javaKeystoreKind } from './validators/formats.js';

/** Keystores larger than this are reported by their first bytes (the value is hashed whole either way). */
const MAX_VALUE_BYTES = 1 << 20;

function keystoreKind(bytes: Uint8Array): 'pkcs12' | 'jks' | 'jceks' | undefined {
  const first = bytes[0];
  if (first === 0x30) return isPkcs12(bytes) ? 'pkcs12' : undefined;
  if (first === 0xfe || first === 0xce) return javaKeystoreKind(bytes);
  return undefined;
}

/** A cheap look at the first bytes: is this (binary) file a keystore? */
export function holdsKeystore(bytes: Uint8Array): boolean {
  return keystoreKind(bytes) !== undefined;
}

/** The keystore hit of a file, or undefined when it is no keystore (then it is scanned as text). */
export function keystoreHits(bytes: Uint8Array, options: ScanTextOptions = {}): SecretHit[] | undefined {
  const kind = keystoreKind(bytes);
  if (!kind) return undefined;
  const id = kind === 'pkcs12' ? 'pkcs12-keystore' : 'java-keystore';
  const def = DETECTORS.find((d) => d.id === id);
  if (!def || pathAllowlisted(options.path, options.allowlist) || options.allowlist?.detectors?.includes(id)) return [];
  const value = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAX_VALUE_BYTES)).toString('base64');
  if (options.allowlist?.hashes?.includes(secretHash(value))) return [];
  const hit: SecretHit = {
    detectorId: id,
    title: def.title,
    provider: def.provider,
    severity: def.severity,
    value,
    line: 1,
    column: 1,
    decoded: { format: kind, encoding: 'binary' },
    confidence: 'high',
    assurance: 'validated', // the file's structure (PKCS#12 / JKS magic and layout) was checked
  };
  if (def.identityKind) hit.identityKind = def.identityKind;
  return [hit];
}
