/**
 * Building blocks for catalogue entries: boundary-guarded token patterns, `name = value` patterns, and
 * entry builders that derive a detector's keyword, pattern and default examples from one declared
 * shape. Every token pattern starts at a token boundary (a lookbehind), so inside a long run of token
 * characters only the run's first position can start a match: that keeps the regexes linear.
 */
import type { DetectorEntry, Example } from '../detector.js';
import { escapeRegExp } from '../value-checks.js';

/** Characters that continue a token: a match must not start or end next to one. */
export const TOKEN_CHARS = 'A-Za-z0-9_\\-';

export const ALNUM = 'A-Za-z0-9';
export const HEX = '0-9a-f';
export const B64URL = 'A-Za-z0-9_\\-';
export const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

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
  return new RegExp(`(?:${names})[\\w.\\-]{0,30}["'\\]]{0,2}\\s{0,4}(?:=>|:=|=|:|,)\\s{0,4}["'\`]?(?<secret>${value})(?![A-Za-z0-9_\\-+/=])`, 'i');
}

/** Short references: where other scanners keep the rule for a format. */
export const ref = {
  gitleaks: (rule: string): string => `https://github.com/gitleaks/gitleaks/blob/master/cmd/generate/config/rules/${rule}.go`,
  noseyparker: (family: string): string =>
    `https://github.com/praetorian-inc/noseyparker/blob/main/crates/noseyparker/data/default/builtins/rules/${family}.yml`,
  kingfisher: (family: string): string => `https://github.com/mongodb/kingfisher/blob/main/data/rules/${family}.yml`,
  trufflehog: (detector: string): string => `https://github.com/trufflesecurity/trufflehog/tree/main/pkg/detectors/${detector}`,
};

type Common = Partial<DetectorEntry>;
type Named = Pick<DetectorEntry, 'id' | 'title' | 'provider' | 'references'>;

/** Fills an entry's defaults: a structured token of severity high. */
export function entry(e: Common & Named & Pick<DetectorEntry, 'keywords' | 'pattern' | 'examples'>): DetectorEntry {
  return { family: 'structured-token', severity: 'high', confidence: 'structured', ...e };
}

type Extra = { extraExamples?: Partial<DetectorEntry['examples']> };
/** One item of an `entries` list: a whole entry, a prefixed token shape, or a provider-named key shape. */
export type Item = Common &
  Partial<Named> &
  (Pick<DetectorEntry, 'keywords' | 'pattern' | 'examples'> | (TokenShape & Extra) | (KeyedShape & Extra & { keywords?: readonly string[] }));

/** A list of entries sharing defaults (provider, family, identity kind...); token and keyed shapes are expanded. */
export function entries(common: Common, list: Item[]): DetectorEntry[] {
  return list.map((item) => {
    const e: unknown = { ...common, ...item };
    if ('prefix' in item) return token(e as Parameters<typeof token>[0]);
    if ('names' in item) return keyed(e as Parameters<typeof keyed>[0]);
    return entry(e as Parameters<typeof entry>[0]);
  });
}

export interface TokenShape {
  /** Literal prefix; also the keyword (lower-cased). */
  prefix: string;
  /** Character class body of the random part, e.g. `A-Za-z0-9`. */
  body: string;
  min: number;
  max?: number;
}

/**
 * A prefixed token: keyword = the prefix, pattern = prefix + bounded body between token boundaries,
 * positive example = the same shape with a random body, negatives = a body one character short and a
 * repeated-character placeholder. Extra examples may be given and are added to the derived ones.
 */
export function token(e: Common & Named & TokenShape & { extraExamples?: Partial<DetectorEntry['examples']> }): DetectorEntry {
  const { prefix, body, min, max = min, extraExamples, examples, ...rest } = e;
  const filler = firstClassChar(body);
  const positive: Example[] = [`key: ${prefix}{[${body}]:${min}}`, ...(max > min ? [`"${prefix}{[${body}]:${max}}"`] : [])];
  const negative: Example[] = [`key: ${prefix}{[${body}]:${min - 1}}`, `key: ${prefix}${filler.repeat(min)}`];
  return entry({
    keywords: [prefix.toLowerCase()],
    pattern: prefixed(prefix, body, min, max),
    // Every match has `min` body characters right after the prefix: `scanBytes` drops the other keyword
    // occurrences (`ion_` inside `version_`, `session_`…) before decoding anything.
    keywordContext: { after: { min, chars: body } },
    ...rest,
    // Declared examples replace the derived ones (formats with a checksum need their own).
    examples: examples ?? { positive: [...positive, ...(extraExamples?.positive ?? [])], negative: [...negative, ...(extraExamples?.negative ?? [])] },
  });
}

export interface KeyedShape {
  /** Regex source of the provider words that name the value (`mixpanel[\w.\-]{0,20}?secret`). */
  names: string;
  /** Regex source of the value. */
  value: string;
  /** Template of a value (`{hex:32}`). */
  valueTemplate: string;
  /** A name people give it, for the examples (`MIXPANEL_API_SECRET`). */
  sampleName: string;
}

/**
 * A provider key without a prefix, recognised by the provider's name next to it (`named`). Keywords
 * default to the first word of the sample name; examples: the sample assignment (positive), the value
 * without its name, and a placeholder under the name (negatives).
 */
export function keyed(e: Common & Named & KeyedShape & { keywords?: readonly string[]; extraExamples?: Partial<DetectorEntry['examples']> }): DetectorEntry {
  const { names, value, valueTemplate, sampleName, extraExamples, ...rest } = e;
  const keywords = e.keywords ?? [sampleName.toLowerCase().split(/[_.-]/)[0]!];
  return entry({
    family: 'contextual',
    pattern: named(names, value),
    ...rest,
    keywords,
    examples: {
      positive: [`${sampleName}="${valueTemplate}"`, ...(extraExamples?.positive ?? [])],
      negative: [`unrelated_setting = "${valueTemplate}"`, `${sampleName}="<your-key-here>"`, ...(extraExamples?.negative ?? [])],
    },
  });
}

/** The first character a class body accepts (used for repeated-character placeholders). */
function firstClassChar(body: string): string {
  const re = new RegExp(`[${body}]`);
  for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') if (re.test(c)) return c;
  return '0';
}
