/**
 * Private keys. The body character class deliberately excludes `-`, so a body scan always stops at
 * the next `-----` marker: a file full of BEGIN lines costs one pass, not one pass per BEGIN.
 */
import type { DetectorDef, Validator } from '../detector.js';
import { decodeBase64 } from '../value-checks.js';
import { pemValidator } from './helpers.js';

/** Optional RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`) on real lines. */
const HEADERS = '(?:[A-Za-z][A-Za-z-]{1,20}: ?[^\\r\\n]{1,200}\\r?\\n){0,4}';
const BODY = '[A-Za-z0-9+/=\\s\\\\]{64,16384}';

function pem(label: string): RegExp {
  return new RegExp(`-----BEGIN ${label}-----(?:\\r?\\n)?${HEADERS}${BODY}-----END ${label}-----`);
}

const KEY_WINDOW = { linesAfter: 400, charsAfter: 20000 } as const;

function pemDetector(id: string, title: string, label: string, identityKind = 'key-holder'): DetectorDef {
  return {
    id, title, provider: 'crypto', family: 'private-key', keywords: [`begin ${label.toLowerCase()}`], pattern: pem(label),
    validate: pemValidator, severity: 'high', identityKind, window: KEY_WINDOW, priority: 55, minEntropy: 0,
  };
}

/** OpenPGP armored secret key: the first packet must be a secret key (tag 5) or secret subkey (tag 7). */
const pgpValidator: Validator = (value) => {
  const lines = value.replace(/\\n/g, '\n').split(/\r?\n/).map((l) => l.trim());
  const body = lines.filter((l) => l && !l.startsWith('-----') && !/^[A-Za-z-]{1,40}:/.test(l) && !l.startsWith('=')).join('');
  const bytes = decodeBase64(body);
  if (!bytes || bytes.length < 32) return null;
  const first = bytes[0]!;
  const tag = first & 0x40 ? first & 0x3f : (first >> 2) & 0x0f;
  if ((first & 0x80) === 0 || (tag !== 5 && tag !== 7)) return null;
  return { confidence: 'high' };
};

/**
 * PuTTY .ppk: the pattern only anchors the header; the validator walks the following lines
 * (bounded) and reports the Private-Lines block, which is the secret.
 */
const PUTTY_HEADER_LINE = /^(?:Comment|Public-Lines|Key-Derivation|Argon2-Memory|Argon2-Passes|Argon2-Parallelism|Argon2-Salt|Private-MAC|Private-Hash): /;
const BASE64_LINE = /^[A-Za-z0-9+/=]{1,64}$/;

const puttyValidator: Validator = (_value, ctx) => {
  // Walk line by line from the header; stop at the first line that cannot belong to a .ppk file,
  // so a file of repeated headers costs one short walk per header.
  const text = ctx.text;
  const limit = Math.min(text.length, ctx.matchStart + 16384);
  let pos = ctx.matchStart;
  const nextLine = (): string | undefined => {
    if (pos >= limit) return undefined;
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > limit) nl = limit;
    const line = text.slice(pos, nl).replace(/\r$/, '');
    pos = nl + 1;
    return line;
  };
  nextLine(); // PuTTY-User-Key-File-N: type
  const encryption = /^Encryption: (.{1,30})$/.exec(nextLine() ?? '')?.[1];
  if (!encryption) return null;
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    const privateLines = /^Private-Lines: (\d{1,3})$/.exec(line);
    if (privateLines) {
      const lines: string[] = [];
      for (let i = 0; i < Number(privateLines[1]); i++) {
        const l = nextLine();
        if (l === undefined || !BASE64_LINE.test(l)) return null;
        lines.push(l);
      }
      const encrypted = encryption !== 'none';
      return { value: lines.join('\n'), confidence: 'high', decoded: { encrypted }, ...(encrypted ? { severity: 'low' as const } : {}) };
    }
    if (!PUTTY_HEADER_LINE.test(line) && !BASE64_LINE.test(line)) return null;
  }
  return null;
};

export const keyDetectors: DetectorDef[] = [
  pemDetector('private-key-rsa', 'RSA private key (PKCS#1 PEM)', 'RSA PRIVATE KEY'),
  pemDetector('private-key-ec', 'EC private key (SEC1 PEM)', 'EC PRIVATE KEY'),
  pemDetector('private-key-dsa', 'DSA private key (PEM)', 'DSA PRIVATE KEY'),
  pemDetector('private-key-pkcs8', 'Private key (PKCS#8 PEM)', 'PRIVATE KEY'),
  pemDetector('private-key-pkcs8-encrypted', 'Encrypted private key (PKCS#8 PEM)', 'ENCRYPTED PRIVATE KEY'),
  pemDetector('private-key-openssh', 'OpenSSH private key', 'OPENSSH PRIVATE KEY', 'ssh-key-holder'),
  {
    id: 'private-key-pgp', title: 'OpenPGP private key block', provider: 'crypto', family: 'private-key', keywords: ['begin pgp private key block'],
    pattern: new RegExp(`-----BEGIN PGP PRIVATE KEY BLOCK-----(?:\\r?\\n)?${HEADERS}${BODY}-----END PGP PRIVATE KEY BLOCK-----`),
    validate: pgpValidator, severity: 'high', identityKind: 'pgp-key-holder', window: KEY_WINDOW, priority: 55, minEntropy: 0,
  },
  {
    id: 'private-key-putty', title: 'PuTTY private key (.ppk)', provider: 'crypto', family: 'private-key', keywords: ['putty-user-key-file-'],
    pattern: /PuTTY-User-Key-File-[23]: [a-z0-9@.-]{3,60}\r?\nEncryption: [a-z0-9-]{1,30}/, validate: puttyValidator,
    severity: 'high', identityKind: 'ssh-key-holder', window: KEY_WINDOW, priority: 55, minEntropy: 0,
  },
];
