/**
 * Building blocks for detector definitions: boundary-guarded token patterns and reusable validators.
 * Every pattern built here starts at a token boundary (a lookbehind), so inside a long run of token
 * characters only the run's first position can start a match: that keeps the regexes linear.
 */
import type { DetectorDef, Validator, Verdict } from '../detector.js';
import { escapeRegExp, decodeBase64, isPlaceholder } from '../value-checks.js';
import { decodeJwt, hasValidCrc32Checksum, inspectPemPrivateKey } from '../structure.js';

/** Characters that continue a token: a match must not start or end next to one. */
export const TOKEN_CHARS = 'A-Za-z0-9_\\-';

/** `(?<![tok])PREFIX[body]{min,max}(?![tok])` as a RegExp. */
export function prefixed(prefix: string, body: string, min: number, max = min, flags = ''): RegExp {
  return new RegExp(`(?<![${TOKEN_CHARS}])${escapeRegExp(prefix)}[${body}]{${min},${max}}(?![${TOKEN_CHARS}])`, flags);
}

/** Any prefix from a list (each escaped), then the body. */
export function prefixedAny(prefixes: string[], body: string, min: number, max = min): RegExp {
  return new RegExp(`(?<![${TOKEN_CHARS}])(?:${prefixes.map(escapeRegExp).join('|')})[${body}]{${min},${max}}(?![${TOKEN_CHARS}])`);
}

/**
 * A provider key without a recognisable prefix: `<provider words>…<key words> = VALUE` on one line.
 * `names` and `value` are regex sources; the value lands in group `secret`.
 */
export function named(names: string, value: string): RegExp {
  return new RegExp(
    `(?:${names})[\\w.\\-]{0,30}["'\\]]{0,2}\\s{0,4}(?:=>|:=|=|:|,)\\s{0,4}["'\`]?(?<secret>${value})(?![A-Za-z0-9_\\-+/=])`,
    'i',
  );
}

export const checksumValidator: Validator = (value) =>
  hasValidCrc32Checksum(value) ? { confidence: 'high', decoded: { checksumValid: true } } : null;

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

/** Shorthand for building a list of definitions with shared defaults. */
export function defs(common: Partial<DetectorDef>, list: Array<Partial<DetectorDef> & Pick<DetectorDef, 'id' | 'title' | 'keywords' | 'pattern'>>): DetectorDef[] {
  return list.map((d) => ({ family: 'structured-token', severity: 'high', provider: 'generic', ...common, ...d }) as DetectorDef);
}
