/**
 * Fake credentials for the git/dir tests, keyed by a readable seed string so a test can rebuild the same
 * value to assert on its hash. The structure (checksums, key ids encoding an account) comes from the
 * engine's own generators in testkit/fake-tokens.ts; nothing here is a real secret, and no literal
 * token is committed: every value is derived when a test runs.
 */
import { createHash } from 'node:crypto';
import { fakeAwsAccessKeyId, fakeAwsSecretAccessKey, fakeGithubPatBadChecksum, fakeGithubToken as githubToken, Rng } from './fake-tokens.js';

/** A PRNG seeded from the string: the same seed always gives the same token. */
function rng(seed: string): Rng {
  return new Rng(createHash('sha256').update(seed).digest().readUInt32LE(0));
}

/** `ghp_` + 30 random base62 + the base62 CRC32 of those 30. */
export function fakeGithubToken(seed: string): string {
  return githubToken('p', rng(`gh:${seed}`));
}

/** A GitHub token whose checksum is wrong: a look-alike the detectors must reject. */
export function badChecksumGithubToken(seed: string): string {
  return fakeGithubPatBadChecksum(rng(`gh-bad:${seed}`));
}

/** An AKIA key id that decodes to `accountId`. */
export function fakeAwsKeyId(seed: string, accountId = '123456789012'): string {
  return fakeAwsAccessKeyId(accountId, rng(`aws-id:${seed}`));
}

/** 40 characters of base64 alphabet, like an AWS secret access key. */
export function fakeAwsSecret(seed: string): string {
  return fakeAwsSecretAccessKey(rng(`aws-secret:${seed}`));
}

/**
 * An Entra client secret shaped like the ones Entra issues (40 characters: 3, a digit, `Q~`, 34),
 * starting with `hint` (Graph's first three characters) so it can be matched to its application.
 */
export function fakeEntraClientSecret(seed: string, hint: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-';
  const bytes = createHash('sha256').update(`entra:${seed}`).digest();
  const more = createHash('sha256').update(`entra2:${seed}`).digest();
  const tail = Array.from({ length: 34 }, (_, i) => alphabet[(i < 32 ? bytes[i]! : more[i]!) % alphabet.length]).join('');
  return `${hint}${bytes[0]! % 10}Q~${tail}`;
}
