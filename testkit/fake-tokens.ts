/**
 * Fake-but-structurally-valid credentials, generated at test time so no token literal is ever
 * committed. Checksums, account-id encodings, macaroon headers, key encodings and JWT signatures are
 * all real; the secrets just unlock nothing. Token prefixes are assembled from pieces (`p('gh', 'p_')`)
 * so this file itself does not look like a leak to push protection or other scanners.
 *
 * Every generator takes an optional `Rng`; pass a seeded one (`new Rng(42)`) for reproducible corpora.
 */
import { createCipheriv, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { base62, crc32 } from '../src/secrets/structure.js';

/** Joins prefix pieces: keeps literal token prefixes out of the source. */
export const p = (...parts: string[]): string => parts.join('');

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEXCHARS = '0123456789abcdef';
export const B64URLCHARS = ALNUM + '_-';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Small seeded PRNG (mulberry32): reproducible corpora, not for real keys. */
export class Rng {
  private state: number;
  constructor(seed: number = randomBytes(4).readUInt32LE(0)) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chars(alphabet: string, n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  digits(n: number): string {
    return String(1 + this.int(9)) + this.chars('0123456789', n - 1);
  }
}

const defaultRng = (): Rng => new Rng();

// ------------------------------------------------------------------ GitHub / npm (CRC32 + base62)

/** `prefix` + 30 random base62 + 6-char base62 CRC32 of the random part. */
export function checksummedToken(prefix: string, rng: Rng = defaultRng(), randomLength = 30): string {
  const random = rng.chars(ALNUM, randomLength);
  return prefix + random + base62(crc32(random), 6);
}

export type GithubTokenKind = 'p' | 'o' | 'u' | 's' | 'r';
export function fakeGithubToken(kind: GithubTokenKind = 'p', rng: Rng = defaultRng()): string {
  return checksummedToken(p('gh', kind, '_'), rng);
}
/** GitHub classic personal access token with a valid checksum. */
export const fakeGithubClassicPat = (rng: Rng = defaultRng()): string => fakeGithubToken('p', rng);
/** Same shape, but the checksum is wrong: a look-alike every detector must reject. */
export function fakeGithubPatBadChecksum(rng: Rng = defaultRng()): string {
  const good = fakeGithubClassicPat(rng);
  const last = good[good.length - 1] === 'A' ? 'B' : 'A';
  return good.slice(0, -1) + last;
}
export const fakeGithubFineGrainedPat = (rng: Rng = defaultRng()): string => p('github', '_pat_') + rng.chars(ALNUM, 22) + '_' + rng.chars(ALNUM, 59);
export const fakeNpmToken = (rng: Rng = defaultRng()): string => checksummedToken(p('np', 'm_'), rng);
export function fakeNpmTokenBadChecksum(rng: Rng = defaultRng()): string {
  return p('np', 'm_') + rng.chars(ALNUM, 36);
}

// ------------------------------------------------------------------ AWS

function base32Encode(bytes: Uint8Array): string {
  let bits = 0,
    acc = 0,
    out = '';
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/**
 * An AWS access key id that encodes `accountId` the way AWS does since 2019: the first 48 bits of the
 * 10 decoded bytes are `2^47 | account << 7 | random7`, the remaining 4 bytes random.
 */
export function fakeAwsAccessKeyId(accountId = '123456789012', rng: Rng = defaultRng(), opts: { temporary?: boolean } = {}): string {
  if (!/^\d{12}$/.test(accountId)) throw new Error('accountId must be 12 digits');
  const x = 2 ** 47 + Number(accountId) * 128 + rng.int(128);
  const bytes = Buffer.alloc(10);
  let v = x;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = v % 256;
    v = Math.floor(v / 256);
  }
  rng.bytes(4).copy(bytes, 6);
  return (opts.temporary ? p('AS', 'IA') : p('AK', 'IA')) + base32Encode(bytes);
}

/** 40 chars of base64 alphabet with at least one digit, upper, lower and `/` or `+`. */
export function fakeAwsSecretAccessKey(rng: Rng = defaultRng()): string {
  for (;;) {
    const v = rng.chars(ALNUM + '+/', 40);
    if (/[0-9]/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v) && /[+/]/.test(v)) return v;
  }
}

/** An STS session token shape (base64 starting with the IQoJb3JpZ2lu header AWS uses). */
export const fakeAwsSessionToken = (rng: Rng = defaultRng()): string => p('IQoJb3', 'JpZ2lu') + 'X2VjE' + rng.chars(ALNUM + '+/', 300) + '=';

/** The AWS documentation example pair (publicly documented fakes every scanner must reject). */
export const AWS_DOC_KEY_ID = p('AKIAIOSFODNN7', 'EXAMPLE');
export const AWS_DOC_SECRET = p('wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY');

export function fakeAwsCredentialsFile(accountId = '123456789012', rng: Rng = defaultRng()): { text: string; keyId: string; secret: string } {
  const keyId = fakeAwsAccessKeyId(accountId, rng);
  const secret = fakeAwsSecretAccessKey(rng);
  return { keyId, secret, text: `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\nregion = eu-west-1\n` };
}

// ------------------------------------------------------------------ Slack / Stripe / SaaS

export const fakeSlackBotToken = (rng: Rng = defaultRng()): string => p('xo', 'xb-') + rng.digits(12) + '-' + rng.digits(13) + '-' + rng.chars(ALNUM, 24);
export const fakeSlackUserToken = (rng: Rng = defaultRng()): string =>
  p('xo', 'xp-') + rng.digits(12) + '-' + rng.digits(12) + '-' + rng.digits(13) + '-' + rng.chars(HEXCHARS, 32);
export const fakeSlackAppToken = (rng: Rng = defaultRng()): string =>
  p('xa', 'pp-1-') + 'A' + rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10) + '-' + rng.digits(13) + '-' + rng.chars(HEXCHARS, 64);
export const fakeSlackWebhookUrl = (rng: Rng = defaultRng()): string =>
  p('https://hooks.', 'slack.com/services/') +
  'T' +
  rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10) +
  '/B' +
  rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10) +
  '/' +
  rng.chars(ALNUM, 24);
/** Stripe live secret key. */
export const fakeStripeLiveKey = (rng: Rng = defaultRng()): string => p('sk', '_live_') + '51' + rng.chars(ALNUM, 97);
export const fakeStripeTestKey = (rng: Rng = defaultRng()): string => p('sk', '_test_') + '51' + rng.chars(ALNUM, 97);
export const fakeGitlabPat = (rng: Rng = defaultRng()): string => p('glp', 'at-') + rng.chars(B64URLCHARS, 20);
export const fakeOpenAiKey = (rng: Rng = defaultRng()): string =>
  p('sk-', 'proj-') + rng.chars(B64URLCHARS, 74) + p('T3Blbk', 'FJ') + rng.chars(B64URLCHARS, 74);
export const fakeAnthropicKey = (rng: Rng = defaultRng()): string => p('sk-', 'ant-', 'api03-') + rng.chars(B64URLCHARS, 93) + 'AA';
export const fakeGoogleApiKey = (rng: Rng = defaultRng()): string => p('AI', 'za') + 'Sy' + rng.chars(B64URLCHARS, 33);
export const fakeSendgridKey = (rng: Rng = defaultRng()): string => p('S', 'G.') + rng.chars(B64URLCHARS, 22) + '.' + rng.chars(B64URLCHARS, 43);
export const fakeTwilioApiKey = (rng: Rng = defaultRng()): string => p('S', 'K') + rng.chars(HEXCHARS, 32);
export const fakeDigitalOceanPat = (rng: Rng = defaultRng()): string => p('do', 'p_v1_') + rng.chars(HEXCHARS, 64);
export const fakeVaultToken = (rng: Rng = defaultRng()): string => p('hv', 's.') + 'CAESI' + rng.chars(B64URLCHARS, 90);
export const fakeTerraformToken = (rng: Rng = defaultRng()): string => rng.chars(ALNUM, 14) + p('.atlas', 'v1.') + rng.chars(ALNUM, 67);
export const fakeShopifyToken = (rng: Rng = defaultRng()): string => p('shp', 'at_') + rng.chars(HEXCHARS, 32);
export const fakeMailgunKey = (rng: Rng = defaultRng()): string => p('ke', 'y-') + rng.chars(HEXCHARS, 32);
export const fakeMailchimpKey = (rng: Rng = defaultRng()): string => rng.chars(HEXCHARS, 32) + p('-u', 's') + String(1 + rng.int(20));
export const fakeHerokuKey = (rng: Rng = defaultRng()): string => p('HR', 'KU-AA') + rng.chars(B64URLCHARS, 58);
export const fakeAtlassianToken = (rng: Rng = defaultRng()): string =>
  p('ATA', 'TT3') + rng.chars(B64URLCHARS, 180) + '=' + rng.chars(HEXCHARS, 8).toUpperCase();
export const fakeDatadogApiKey = (rng: Rng = defaultRng()): string => rng.chars(HEXCHARS, 32);
export const fakeOktaToken = (rng: Rng = defaultRng()): string => '00' + rng.chars(B64URLCHARS, 40);
export const fakeHuggingFaceToken = (rng: Rng = defaultRng()): string => p('h', 'f_') + rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 34);
export const fakeAzureAdClientSecret = (rng: Rng = defaultRng()): string =>
  rng.chars(ALNUM, 3) + String(rng.int(10)) + p('Q', '~') + rng.chars(ALNUM + '_~.-', 34).replace(/-$/, 'a');
export const fakeGcpOauthClientSecret = (rng: Rng = defaultRng()): string => p('GOC', 'SPX-') + rng.chars(B64URLCHARS, 28);

// ------------------------------------------------------------------ PyPI (macaroon v2)

/** `pypi-` + base64url(macaroon v2 with location pypi.org, an identifier and a signature). */
export function fakePypiToken(rng: Rng = defaultRng(), location = 'pypi.org'): string {
  const identifier = rng.bytes(32);
  const field = (type: number, data: Buffer): Buffer => Buffer.concat([Buffer.from([type, data.length]), data]);
  const macaroon = Buffer.concat([
    Buffer.from([2]),
    field(1, Buffer.from(location, 'latin1')),
    field(2, identifier),
    Buffer.from([0]),
    field(2, Buffer.from('{"version": 1, "permissions": "user"}', 'latin1')),
    Buffer.from([0, 0]),
    field(6, rng.bytes(32)),
  ]);
  return p('py', 'pi-') + macaroon.toString('base64url');
}

// ------------------------------------------------------------------ Keys

export type PemKind = 'rsa-pkcs1' | 'rsa-pkcs8' | 'ec-sec1' | 'ec-pkcs8' | 'ed25519-pkcs8' | 'rsa-pkcs8-encrypted';

/** A real private key in PEM from node:crypto (RSA 1024 by default to keep tests fast). */
export function fakePemPrivateKey(kind: PemKind = 'rsa-pkcs1', bits = 1024): string {
  switch (kind) {
    case 'rsa-pkcs1':
      return generateKeyPairSync('rsa', {
        modulusLength: bits,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey;
    case 'rsa-pkcs8':
      return generateKeyPairSync('rsa', {
        modulusLength: bits,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey;
    case 'rsa-pkcs8-encrypted':
      return generateKeyPairSync('rsa', {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: randomBytes(12).toString('hex') },
      }).privateKey;
    case 'ec-sec1':
      return generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'sec1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey;
    case 'ec-pkcs8':
      return generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey;
    case 'ed25519-pkcs8':
      return generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
        .privateKey;
  }
}
/** RSA private key PEM (PKCS#1, `BEGIN RSA PRIVATE KEY`). */
export const fakeRsaPrivateKeyPem = (bits = 1024): string => fakePemPrivateKey('rsa-pkcs1', bits);

/** Legacy OpenSSL-encrypted PKCS#1 (`Proc-Type: 4,ENCRYPTED`): headers plus a cipher-block body. */
export function fakeLegacyEncryptedRsaPem(): string {
  const der = Buffer.from(fakeRsaPrivateKeyPem().replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', randomBytes(16), iv);
  const body = Buffer.concat([cipher.update(der), cipher.final()])
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${iv.toString('hex').toUpperCase()}\n\n${body}\n-----END RSA PRIVATE KEY-----\n`;
}

function sshString(data: Buffer | string): Buffer {
  const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** An OpenSSH (`openssh-key-v1`) ed25519 private key; `encrypted` uses aes256-ctr/bcrypt headers. */
export function fakeOpenSshPrivateKey(opts: { encrypted?: boolean } = {}): string {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pk = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pk)]);
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pk), sshString(Buffer.concat([seed, pk])), sshString('nhiscan-test')]);
  for (let i = 1; priv.length % 8 !== 0; i++) priv = Buffer.concat([priv, Buffer.from([i])]);
  const [cipher, kdf, kdfOptions, section] = opts.encrypted
    ? ['aes256-ctr', 'bcrypt', Buffer.concat([sshString(randomBytes(16)), Buffer.from([0, 0, 0, 16])]), randomBytes(priv.length + 16 - (priv.length % 16))]
    : ['none', 'none', Buffer.alloc(0), priv];
  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString(cipher),
    sshString(kdf),
    sshString(kdfOptions),
    Buffer.from([0, 0, 0, 1]),
    sshString(pubBlob),
    sshString(section),
  ]);
  const body = blob.toString('base64').replace(/(.{70})/g, '$1\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** A GCP service-account key file (JSON) with a real RSA key. */
export function fakeGcpServiceAccountJson(rng: Rng = defaultRng(), project = 'acme-prod'): { json: string; email: string } {
  const email = `ci-deployer@${project}.iam.gserviceaccount.com`;
  const json = JSON.stringify(
    {
      type: 'service_account',
      project_id: project,
      private_key_id: rng.chars(HEXCHARS, 40),
      private_key: fakePemPrivateKey('rsa-pkcs8'),
      client_email: email,
      client_id: rng.digits(21),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    null,
    2,
  );
  return { json, email };
}

// ------------------------------------------------------------------ JWT

/** An HS256-signed JWT; `claims` are merged over a default subject/issuer/expiry. */
export function fakeJwt(claims: Record<string, unknown> = {}, rng: Rng = defaultRng()): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({ sub: `svc-${rng.chars(HEXCHARS, 8)}`, iss: 'https://auth.internal', iat: 1_700_000_000, exp: 1_900_000_000, ...claims }),
  ).toString('base64url');
  const sig = createHmac('sha256', rng.bytes(32)).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

// ------------------------------------------------------------------ URLs, connection strings, manifests

/** A random password with upper, lower, digits and a symbol that is URL-safe. */
export function fakePassword(rng: Rng = defaultRng(), length = 18): string {
  for (;;) {
    const v = rng.chars(ALNUM + '_.~!', length);
    if (/[0-9]/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v)) return v;
  }
}

/** `postgres://user:password@host:5432/db` with a random password (returned separately). */
export function fakePostgresUrl(rng: Rng = defaultRng(), host = 'db-prod.internal'): { url: string; password: string } {
  const password = fakePassword(rng);
  return { password, url: `${p('post', 'gres')}://svc_app:${password}@${host}:5432/app` };
}
export function fakeDatabaseUrl(scheme: 'mysql' | 'mongodb+srv' | 'redis' | 'amqp' | 'https', rng: Rng = defaultRng()): { url: string; password: string } {
  const password = fakePassword(rng);
  const user = scheme === 'redis' ? '' : 'svc_app';
  const host = {
    mysql: 'mysql.internal:3306/app',
    'mongodb+srv': 'cluster0.abcd1.mongodb.net/app',
    redis: 'cache.internal:6379/0',
    amqp: 'mq.internal:5672/vhost',
    https: 'git.corp.internal/team/repo.git',
  }[scheme];
  return { password, url: `${scheme}://${user}:${password}@${host}` };
}

export function fakeAzureStorageKey(rng: Rng = defaultRng()): string {
  return rng.bytes(64).toString('base64');
}
export function fakeAzureStorageConnectionString(rng: Rng = defaultRng()): { text: string; key: string } {
  const key = fakeAzureStorageKey(rng);
  return { key, text: `DefaultEndpointsProtocol=https;AccountName=acmeprod${rng.int(999)};${p('Account', 'Key=')}${key};EndpointSuffix=core.windows.net` };
}
export function fakeAzureSasUrl(rng: Rng = defaultRng()): { url: string; sig: string } {
  const sig = encodeURIComponent(rng.bytes(32).toString('base64'));
  return {
    sig,
    url: `https://acmeprod.blob.core.windows.net/backups/db.bak?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&${p('si', 'g=')}${sig}`,
  };
}

export function fakeDockerConfigJson(rng: Rng = defaultRng()): { text: string; auth: string } {
  const auth = Buffer.from(`deployer:${fakePassword(rng, 24)}`).toString('base64');
  return { auth, text: JSON.stringify({ auths: { 'registry.corp.internal': { auth } } }, null, 2) };
}

export function fakeKubernetesSecret(rng: Rng = defaultRng()): { text: string; password: string } {
  const password = fakePassword(rng, 24);
  const text = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: db-credentials',
    '  namespace: production',
    'type: Opaque',
    'data:',
    `  username: ${Buffer.from('svc_app').toString('base64')}`,
    `  password: ${Buffer.from(password).toString('base64')}`,
    '',
  ].join('\n');
  return { text, password };
}

export function fakeKubeconfig(rng: Rng = defaultRng()): { text: string; token: string } {
  const token = fakeJwt({ sub: 'system:serviceaccount:ci:deployer' }, rng);
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    server: https://k8s.corp.internal:6443',
    '  name: prod',
    'contexts:',
    '- context:',
    '    cluster: prod',
    '    user: deployer',
    '  name: prod',
    'current-context: prod',
    'users:',
    '- name: deployer',
    '  user:',
    `    token: ${token}`,
    '',
  ].join('\n');
  return { text, token };
}
