/**
 * Private keys. The body character class deliberately excludes `-`, so a body scan always stops at
 * the next `-----` marker: a file full of BEGIN lines costs one pass, not one pass per BEGIN.
 * Bodies may hold JSON/YAML-escaped `\n`, so keys inside strings are found too.
 */
import type { DetectorEntry } from '../detector.js';
import { entry, ref } from './patterns.js';

/** Optional RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`) on real lines. */
const HEADERS = '(?:[A-Za-z][A-Za-z-]{1,20}: ?[^\\r\\n]{1,200}\\r?\\n){0,4}';
const BODY = '[A-Za-z0-9+/=\\s\\\\]{64,16384}';
const KEY_WINDOW = { linesAfter: 400, charsAfter: 20000 } as const;
const PEM_REFS = ['https://www.rfc-editor.org/rfc/rfc7468', ref.gitleaks('privatekey'), ref.kingfisher('pem')];

function pem(label: string): RegExp {
  return new RegExp(`-----BEGIN ${label}-----(?:\\r?\\n)?${HEADERS}${BODY}-----END ${label}-----`);
}

function pemEntry(id: string, title: string, label: string, examples: DetectorEntry['examples'], identityKind = 'key-holder'): DetectorEntry {
  return entry({
    id,
    title,
    provider: 'crypto',
    family: 'private-key',
    keywords: [`begin ${label.toLowerCase()}`],
    pattern: pem(label),
    validators: ['pem-key'],
    confidence: 'validated',
    identityKind,
    window: KEY_WINDOW,
    priority: 55,
    minEntropy: 0,
    references: PEM_REFS,
    examples,
  });
}

/** A truncated block: BEGIN/END around a body too short to be a key. */
const stub = (label: string): string => `-----BEGIN ${label}-----\n{b64:40}\n-----END ${label}-----\n`;

export const keyDetectors: DetectorEntry[] = [
  pemEntry('private-key-rsa', 'RSA private key (PKCS#1 PEM)', 'RSA PRIVATE KEY', {
    positive: [
      { template: '{pem:rsa-pkcs1}', path: 'deploy/tls.key' },
      '{pem:rsa-legacy-encrypted}',
      '{ "signingKey": "{pemjson:rsa-pkcs1}" }\n',
      'signing_key: "{pemjson:rsa-pkcs1}"\n',
    ],
    negative: [stub('RSA PRIVATE KEY'), '-----BEGIN RSA PRIVATE KEY-----\n{b64:200}\n-----END RSA PRIVATE KEY-----\n'],
  }),
  pemEntry('private-key-ec', 'EC private key (SEC1 PEM)', 'EC PRIVATE KEY', { positive: ['{pem:ec-sec1}'], negative: [stub('EC PRIVATE KEY')] }),
  pemEntry('private-key-dsa', 'DSA private key (PEM)', 'DSA PRIVATE KEY', { positive: ['{pem:dsa}'], negative: [stub('DSA PRIVATE KEY')] }),
  pemEntry('private-key-pkcs8', 'Private key (PKCS#8 PEM)', 'PRIVATE KEY', {
    positive: ['{pem:rsa-pkcs8}', '{pem:ec-pkcs8}', '{pem:ed25519-pkcs8}', '"key": "{pemjson:ed25519-pkcs8}"\n'],
    negative: [stub('PRIVATE KEY'), '-----BEGIN PUBLIC KEY-----\n{b64:200}\n-----END PUBLIC KEY-----\n'],
  }),
  pemEntry('private-key-pkcs8-encrypted', 'Encrypted private key (PKCS#8 PEM)', 'ENCRYPTED PRIVATE KEY', {
    positive: ['{pem:rsa-pkcs8-encrypted}'],
    negative: [stub('ENCRYPTED PRIVATE KEY')],
  }),
  pemEntry(
    'private-key-openssh',
    'OpenSSH private key',
    'OPENSSH PRIVATE KEY',
    {
      positive: [{ template: '{gen:fakeOpenSshPrivateKey}', path: '.ssh/id_ed25519' }, '{openssh:encrypted}'],
      negative: [stub('OPENSSH PRIVATE KEY'), '-----BEGIN OPENSSH PRIVATE KEY-----\n{b64:300}\n-----END OPENSSH PRIVATE KEY-----\n'],
    },
    'ssh-key-holder',
  ),
  entry({
    id: 'private-key-pgp',
    title: 'OpenPGP private key block',
    provider: 'crypto',
    family: 'private-key',
    keywords: ['begin pgp private key block'],
    pattern: new RegExp(`-----BEGIN PGP PRIVATE KEY BLOCK-----(?:\\r?\\n)?${HEADERS}${BODY}-----END PGP PRIVATE KEY BLOCK-----`),
    validators: ['pgp-secret-key'],
    confidence: 'validated',
    identityKind: 'pgp-key-holder',
    window: KEY_WINDOW,
    priority: 55,
    minEntropy: 0,
    references: ['https://www.rfc-editor.org/rfc/rfc4880#section-5.5.3'],
    examples: { positive: ['{pgp:secret}'], negative: ['{pgp:public-in-private-armor}', stub('PGP PRIVATE KEY BLOCK')] },
  }),
  entry({
    id: 'private-key-putty',
    title: 'PuTTY private key (.ppk)',
    provider: 'crypto',
    family: 'private-key',
    keywords: ['putty-user-key-file-'],
    pattern: /PuTTY-User-Key-File-[23]: [a-z0-9@.-]{3,60}\r?\nEncryption: [a-z0-9-]{1,30}/,
    validators: ['putty-key'],
    confidence: 'validated',
    identityKind: 'ssh-key-holder',
    window: KEY_WINDOW,
    priority: 55,
    minEntropy: 0,
    references: ['https://the.earth.li/~sgtatham/putty/0.78/htmldoc/AppendixC.html'],
    examples: {
      positive: [
        {
          template:
            'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n{b64:64}\n{b64:40}\nPrivate-Lines: 1\n{b64:64}\nPrivate-MAC: {hex:64}\n',
          path: 'keys/deploy.ppk',
        },
      ],
      negative: ['PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nsee the docs\n'],
    },
  }),
];
