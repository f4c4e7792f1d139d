/**
 * A deterministic RSA private key from a seed, so the sample estate's committed-key leak has the same
 * hash (and the same finding fingerprints) on every machine and every run, while no key is ever
 * committed: the key is rebuilt when the estate is generated. Node's generateKeyPair cannot be seeded,
 * so primes are searched here with BigInt Miller-Rabin over a SHA-256 counter stream.
 * Test material only: the "randomness" is public by construction.
 */
import { createHash, createPrivateKey } from 'node:crypto';

function stream(seed: string): (bytes: number) => bigint {
  let counter = 0;
  return (bytes) => {
    let hex = '';
    while (hex.length < bytes * 2) hex += createHash('sha256').update(`${seed}:${counter++}`).digest('hex');
    return BigInt(`0x${hex.slice(0, bytes * 2)}`);
  };
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

const SMALL_PRIMES = (() => {
  const out: bigint[] = [];
  for (let n = 3; out.length < 300; n += 2) if (out.every((p) => BigInt(n) % p !== 0n)) out.push(BigInt(n));
  return out;
})();

function probablyPrime(n: bigint, random: (bytes: number) => bigint): boolean {
  if (SMALL_PRIMES.some((p) => n % p === 0n)) return false;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  for (let round = 0; round < 24; round++) {
    const a = 2n + (random(64) % (n - 4n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function prime(bits: number, random: (bytes: number) => bigint): bigint {
  const top = 1n << BigInt(bits - 1);
  for (;;) {
    // Top two bits set so p*q has exactly 2*bits bits; odd.
    let candidate = random(bits / 8) | top | (top >> 1n) | 1n;
    for (let step = 0; step < 2000; step++, candidate += 2n) if (probablyPrime(candidate, random)) return candidate;
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const b64url = (n: bigint) => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
};

/** PKCS#8 PEM of an RSA key derived from `seed` (2048-bit by default), as Google puts in key files. */
export function seededRsaPrivateKeyPem(seed: string, modulusBits = 2048): string {
  const random = stream(`rsa:${seed}`);
  const e = 65537n;
  for (;;) {
    const p = prime(modulusBits / 2, random);
    const q = prime(modulusBits / 2, random);
    const phi = (p - 1n) * (q - 1n);
    if (p === q || phi % e === 0n) continue;
    const d = modInverse(e, phi);
    const jwk = {
      kty: 'RSA',
      n: b64url(p * q),
      e: b64url(e),
      d: b64url(d),
      p: b64url(p),
      q: b64url(q),
      dp: b64url(d % (p - 1n)),
      dq: b64url(d % (q - 1n)),
      qi: b64url(modInverse(q, p)),
    };
    return createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }).toString();
  }
}
