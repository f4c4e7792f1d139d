/**
 * Expands the example templates of the detector catalogue (src/secrets/detectors/) into text at test
 * time, so no token is ever committed. Placeholders:
 *
 * - `{alnum:N}` `{hex:N}` `{HEX:N}` `{upper:N}` `{lower:N}` `{digits:N}` `{b64:N}` `{b64url:N}` `{base32:N}`
 *   `{ualnum:N}` (A-Z0-9) `{lalnum:N}` (a-z0-9), or any ASCII class `{[a-h0-9]:N}`: N random characters;
 * - `{crc32}`: the 6-character base62 CRC-32 of the previous random run (GitHub / npm checksums);
 * - `{rep:C:N}`: C repeated N times (placeholders); `{uuid}`; `{password}`; `{b64bytes:N}`: base64 of N random bytes;
 * - `{b64auth}`: base64 of `user:password`; `{b64password}`: base64 of a password;
 * - `{pem:KIND}` a real private key (PemKind of fake-tokens, `dsa`, `rsa-legacy-encrypted`), `{pemjson:KIND}` the same
 *   escaped as inside a JSON string, `{b64pem:KIND}` its base64; `{openssh:encrypted}`; `{pgp:secret}` /
 *   `{pgp:public-in-private-armor}`; `{jwt:alg-none}`; `{pkcs12}` / `{jks}` base64 of keystore bytes;
 * - `{gen:NAME}` / `{gen:NAME.field}`: an export of fake-tokens.ts: a function is called with the Rng; a
 *   string result is used, an object's `text` (or `field`).
 *
 * Random runs that happen to look like placeholders (`xxxx`, `test`, `abcdef`…) are drawn again.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DetectorEntry, Example } from '../src/secrets/detector.js';
import { base62, crc32 } from '../src/secrets/structure.js';
import { isPlaceholder, PLACEHOLDER_WORDS } from '../src/secrets/value-checks.js';
import * as fake from './fake-tokens.js';
import { Rng } from './fake-tokens.js';

const CLASSES: Record<string, string> = {
  alnum: fake.ALNUM,
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  b64: fake.ALNUM + '+/',
  b64url: fake.ALNUM + '_-',
  base32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  ualnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lalnum: 'abcdefghijklmnopqrstuvwxyz0123456789',
};

const PLACEHOLDER = /\{([A-Za-z0-9]{1,20}|\[[^\]]{1,60}\])(?::([^{}\n]{1,80}))?\}/g;

export interface ExpandedExample {
  text: string;
  path: string;
}

/** Every character of printable ASCII that an ASCII class body accepts. */
function classChars(body: string): string {
  const re = new RegExp(`[${body}]`);
  let out = '';
  for (let c = 33; c < 127; c++) if (re.test(String.fromCharCode(c))) out += String.fromCharCode(c);
  if (!out) throw new Error(`empty class [${body}]`);
  return out;
}

function looksLikePlaceholder(run: string): boolean {
  const lower = run.toLowerCase();
  return isPlaceholder(run) || PLACEHOLDER_WORDS.some((w) => lower.includes(w)) || /(.)\1\1\1/.test(run);
}

function randomRun(rng: Rng, alphabet: string, n: number): string {
  for (let attempt = 0; ; attempt++) {
    let run = rng.chars(alphabet, n);
    if (alphabet === CLASSES.digits && n > 1) run = String(1 + rng.int(9)) + run.slice(1);
    if (n < 8 || attempt > 50 || !looksLikePlaceholder(run)) return run;
  }
}

/** A seeded generator per example: the same catalogue always expands to the same text. */
function rngFor(seed: string): Rng {
  return new Rng(createHash('sha256').update(seed).digest().readUInt32LE(0));
}

const pemCache = new Map<string, string>();

function pemOf(kind: string): string {
  let pem = pemCache.get(kind);
  if (!pem) {
    if (kind === 'dsa') pem = derPem('DSA PRIVATE KEY', derSequence([derInt(Buffer.from([0])), ...[128, 20, 128, 128, 20].map((n) => derInt(randomBytes(n)))]));
    else if (kind === 'rsa-legacy-encrypted') pem = fake.fakeLegacyEncryptedRsaPem();
    else pem = fake.fakePemPrivateKey(kind as fake.PemKind);
    pemCache.set(kind, pem);
  }
  return pem;
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function derInt(bytes: Buffer): Buffer {
  const body = bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}
function derSequence(items: Buffer[]): Buffer {
  const body = Buffer.concat(items);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}
function derPem(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** An OpenPGP armored block whose first packet has tag 5 (secret key) or 6 (public key). */
function pgpArmor(tag: 5 | 6): string {
  const body = Buffer.concat([Buffer.from([0x80 | (tag << 2) | 1, 0, 200]), randomBytes(200)]);
  const b64 = body
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${b64}\n=${randomBytes(3).toString('base64')}\n-----END PGP PRIVATE KEY BLOCK-----\n`;
}

/** A PKCS#12 file's leading structure (version 3, authSafe of type PKCS#7 data) followed by random content. */
export function fakePkcs12Bytes(size = 1200): Buffer {
  const content = randomBytes(size);
  const oid = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);
  const octets = Buffer.concat([Buffer.from([0x04]), derLength(content.length), content]);
  const explicit = Buffer.concat([Buffer.from([0xa0]), derLength(octets.length), octets]);
  const authSafe = derSequence([oid, explicit]);
  return derSequence([derInt(Buffer.from([3])), authSafe]);
}

/** A Java keystore's header (magic, version 2, one entry) followed by random entry bytes. */
export function fakeJavaKeystoreBytes(kind: 'jks' | 'jceks' = 'jks', size = 900): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt32BE(kind === 'jks' ? 0xfeedfeed : 0xcececece, 0);
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(1, 8);
  return Buffer.concat([header, randomBytes(size)]);
}

function generated(name: string, rng: Rng): string {
  const [fn, field] = name.split('.');
  const value = (fake as Record<string, unknown>)[fn!];
  if (value === undefined) throw new Error(`unknown generator ${fn}`);
  const out =
    typeof value === 'function'
      ? (value as (...args: unknown[]) => unknown)(...(fn === 'fakeAwsCredentialsFile' || fn === 'fakeAwsAccessKeyId' ? [undefined, rng] : [rng]))
      : value;
  if (typeof out === 'string') return out;
  const obj = out as Record<string, unknown>;
  const picked = obj[field ?? 'text'];
  if (typeof picked !== 'string') throw new Error(`generator ${name} has no string ${field ?? 'text'}`);
  return picked;
}

/** Expands one template; `seed` makes it reproducible. */
export function expandTemplate(template: string, seed: string): string {
  const rng = rngFor(seed);
  let lastRun = '';
  return template.replace(PLACEHOLDER, (_all, name: string, arg: string | undefined) => {
    const n = Number(arg);
    if (name.startsWith('[')) return (lastRun = randomRun(rng, classChars(name.slice(1, -1)), n));
    if (CLASSES[name]) return (lastRun = randomRun(rng, CLASSES[name]!, n));
    switch (name) {
      case 'crc32':
        return base62(crc32(lastRun), 6);
      case 'rep': {
        const [c, count] = arg!.split(':');
        return c!.repeat(Number(count));
      }
      case 'uuid': {
        const h = rng.chars(CLASSES.hex!, 32);
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
      }
      case 'password':
        return fake.fakePassword(rng);
      case 'b64bytes':
        return rng.bytes(n).toString('base64');
      case 'b64auth':
        return Buffer.from(`deployer:${fake.fakePassword(rng, 20)}`).toString('base64');
      case 'b64password':
        return Buffer.from(fake.fakePassword(rng, 20)).toString('base64');
      case 'pem':
        return pemOf(arg!).trimEnd();
      case 'pemjson':
        return JSON.stringify(pemOf(arg!)).slice(1, -1);
      case 'b64pem':
        return Buffer.from(pemOf(arg!)).toString('base64');
      case 'openssh':
        return fake.fakeOpenSshPrivateKey({ encrypted: arg === 'encrypted' }).trimEnd();
      case 'pgp':
        return pgpArmor(arg === 'secret' ? 5 : 6).trimEnd();
      case 'jwt': {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        const payload = Buffer.from(JSON.stringify({ sub: 'svc', iat: 1_700_000_000 })).toString('base64url');
        return `${header}.${payload}.${rng.chars(CLASSES.b64url!, 30)}`;
      }
      case 'pkcs12':
        return fakePkcs12Bytes().toString('base64');
      case 'jks':
        return fakeJavaKeystoreBytes(arg === 'jceks' ? 'jceks' : 'jks').toString('base64');
      case 'gen':
        return generated(arg!, rng);
      default:
        throw new Error(`unknown placeholder {${name}} in template ${JSON.stringify(template.slice(0, 60))}`);
    }
  });
}

export function expandExample(example: Example, seed: string): ExpandedExample {
  const { template, path } = typeof example === 'string' ? { template: example, path: undefined } : example;
  return { text: expandTemplate(template, seed), path: path ?? 'config/app.env' };
}

/** All examples of one entry, expanded. */
export function examplesOf(entry: Pick<DetectorEntry, 'id' | 'examples'>): { positive: ExpandedExample[]; negative: ExpandedExample[] } {
  return {
    positive: entry.examples.positive.map((e, i) => expandExample(e, `${entry.id}+${i}`)),
    negative: entry.examples.negative.map((e, i) => expandExample(e, `${entry.id}-${i}`)),
  };
}
