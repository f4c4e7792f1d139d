/** Validators shared by many detectors (checksums, JWT, PEM, base64 lengths) and bounded look-arounds. */
import type { Validator, Verdict } from '../detector.js';
import { decodeBase64, isPlaceholder, isPrintableUtf8, isTemplateReference } from '../value-checks.js';
import { decodeJwt, hasValidCrc32Checksum, inspectPemPrivateKey } from '../structure.js';

export const checksumValidator: Validator = (value) => (hasValidCrc32Checksum(value) ? { confidence: 'high', decoded: { checksumValid: true } } : null);

export const jwtValidator: Validator = (value) => {
  const facts = decodeJwt(value);
  if (!facts || facts.alg.toLowerCase() === 'none') return null;
  const decoded: Verdict['decoded'] = { alg: facts.alg };
  if (facts.exp !== undefined) decoded.exp = facts.exp;
  if (facts.iat !== undefined) decoded.iat = facts.iat;
  if (facts.iss !== undefined) decoded.iss = facts.iss;
  return { confidence: 'high', decoded };
};

/** PEM private keys: body must decode; encrypted keys are reported one severity lower (`low`). */
export const pemValidator: Validator = (value) => {
  const facts = inspectPemPrivateKey(value);
  if (!facts) return null;
  const decoded: Verdict['decoded'] = { encrypted: facts.encrypted };
  if (facts.keyType) decoded.keyType = facts.keyType;
  if (facts.bits) decoded.bits = facts.bits;
  if (facts.encrypted) return { severity: 'low', confidence: 'high', decoded };
  return { confidence: facts.parsed ? 'high' : 'medium', decoded };
};

/** Base64 that decodes to exactly `bytes` bytes (Azure storage keys are 64 random bytes). */
export function base64Length(bytes: number): Validator {
  return (value) => (decodeBase64(value)?.length === bytes ? { confidence: 'high' } : null);
}

/**
 * Base64 of `user:password` (Docker `auth`, npm `_auth`, HTTP basic auth), decoded; null when it is not one,
 * or when the password is a placeholder or a template reference.
 */
export function decodeUserPasswordPair(value: string): { username: string; password: string } | null {
  const bytes = decodeBase64(value);
  if (!bytes || !isPrintableUtf8(bytes)) return null;
  const text = bytes.toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return null;
  const password = text.slice(colon + 1);
  if (isPlaceholder(password) || isTemplateReference(password)) return null;
  return { username: text.slice(0, colon), password };
}

/** Rejects values that are placeholders (`xxxx`, `<your-key>`, `example`...). */
export const notPlaceholder: Validator = (value) => (isPlaceholder(value) ? null : {});

/** Composes validators: all must accept; later verdicts override earlier fields. */
export function all(...validators: Validator[]): Validator {
  return (value, ctx) => {
    let verdict: Verdict = {};
    for (const v of validators) {
      const next = v(value, ctx);
      if (!next) return null;
      verdict = { ...verdict, ...next, decoded: { ...verdict.decoded, ...next.decoded } };
    }
    return verdict;
  };
}

/** Requires one of `words` (case-insensitive) within the candidate's line or `lines` lines around it. */
export function contextHas(words: RegExp, lines = 2): Validator {
  return (_value, ctx) => {
    const from = lineOffsetBefore(ctx.text, ctx.matchStart, lines);
    const to = lineOffsetAfter(ctx.text, ctx.matchEnd, lines);
    return words.test(ctx.text.slice(from, to)) ? {} : null;
  };
}

const MAX_CONTEXT = 2048;

/** Offset of the start of the line `lines` lines above `from`, never more than 2 KB back (no unbounded scans). */
export function lineOffsetBefore(text: string, from: number, lines: number): number {
  const floor = Math.max(0, from - MAX_CONTEXT);
  const region = text.slice(floor, from);
  let pos = region.length;
  for (let n = 0; n <= lines; n++) {
    const nl = region.lastIndexOf('\n', pos - 1);
    if (nl < 0) return floor;
    pos = nl;
  }
  return floor + pos + 1;
}

/** Offset of the end of the line `lines` lines below `from`, never more than 2 KB ahead. */
export function lineOffsetAfter(text: string, from: number, lines: number): number {
  const region = text.slice(from, Math.min(text.length, from + MAX_CONTEXT));
  let pos = -1;
  for (let n = 0; n <= lines; n++) {
    const nl = region.indexOf('\n', pos + 1);
    if (nl < 0) return from + region.length;
    pos = nl;
  }
  return from + pos;
}
