/**
 * AWS access key ids (AKIA…/ASIA…) are identifiers, not secrets. Since 2019 their base32 body encodes
 * the owning account: the first 6 of the 10 decoded bytes are `2^47 | account << 7 | 7 random bits`.
 * The top bit is what tells a new id from an older one (whose bits mean nothing): a 5th character of
 * Q–Z or 2–7. This lets an imported `list-access-keys` export (which carries no ARN) and a leaked key id
 * found in code be tied to an account.
 */
import { decodeAwsKeyId } from '../../src/secrets/structure.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const ACCESS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z2-7]{16}$/;

/** Set in every key id minted since 2019: the account encoding is present. */
const ACCOUNT_ENCODED = 1n << 47n;

/** The account a key id encodes, decoded by the secrets engine's `decodeAwsKeyId` (one rule for leaks and imports). */
export function accountIdFromAccessKeyId(keyId: string): string | undefined {
  if (!ACCESS_KEY_ID.test(keyId)) return undefined;
  return decodeAwsKeyId(keyId)?.accountId;
}

/** Builds a well-formed key id for `account` (used by tests, the emulator and the sample estate), decodable like a real one. */
export function makeAccessKeyId(account: string, seed: number, prefix = 'AKIA'): string {
  let low = BigInt(seed) * 0x9e3779b97f4a7c15n;
  const first48 = ACCOUNT_ENCODED | (BigInt(account) << 7n) | (low & 0x7fn);
  low = (low >> 7n) & 0xffffffffn;
  const bits = (first48 << 32n) | low;
  let out = '';
  for (let i = 15; i >= 0; i--) out += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
  return prefix + out;
}
