/**
 * The shape of one detector. Detectors are data: the engine (engine.ts) knows nothing about any
 * provider. The catalogue (detectors/, one data file per provider) holds `DetectorEntry` objects that
 * name their validators; `compileEntry` resolves the names against the validator registry
 * (validators/) into the `DetectorDef` the engine runs.
 */
import type { Severity } from '../model/index.js';

/** How sure a single hit is (per hit; validators may raise or lower it). */
export type Confidence = 'high' | 'medium' | 'low';

/**
 * What kind of evidence a detector's hits rest on: `validated` (a checksum, a structure or a key parse
 * proves the format), `structured` (a provider's token format, or a provider key named as such), or
 * `generic` (a keyword and an entropy signal).
 */
export type ConfidenceClass = 'validated' | 'structured' | 'generic';

/**
 * One example of a detector's input. A string is a template: `{name:args}` placeholders are expanded at
 * test time (testkit/catalogue-examples.ts), e.g. `token = ghp_{alnum:30}{crc32}`, `{[A-Z0-9]:20}`,
 * `{uuid}`, `{b64bytes:64}`, `{gen:fakeJwt}` (a generator of testkit/fake-tokens.ts). Secret-shaped
 * examples are never literal: the repository holds no token, only how to build one.
 */
export type Example = string | { template: string; path?: string };

export interface DetectorExamples {
  /** Each one must be reported by this detector. At least one. */
  positive: readonly Example[];
  /** Look-alikes and placeholders this detector must not report. */
  negative: readonly Example[];
}

/** Coarse grouping used for docs and the labelled-corpus recall/precision table. */
export type DetectorFamily =
  | 'structured-token' // fixed prefix/shape, often with a checksum
  | 'cloud-key' // cloud provider keys (AWS, Azure, GCP)
  | 'private-key' // PEM / OpenSSH / PGP / PuTTY
  | 'jwt'
  | 'url-credential' // passwords embedded in URLs and connection strings
  | 'manifest' // Kubernetes Secret, kubeconfig, docker config
  | 'contextual' // provider key without a prefix: needs the provider name nearby
  | 'generic'; // name = value assignments scored on the value

export interface ValidatorContext {
  /** The whole file text, for bounded look-arounds (never scan it all from a validator). */
  text: string;
  /** Absolute offset of the regex match in `text`. */
  matchStart: number;
  matchEnd: number;
  /** The match itself and its named groups. */
  match: RegExpExecArray;
  /** The line holding the value (capped to a few KB around it on huge lines). */
  line: string;
  path?: string;
  /** A validator rejecting a value only because of `path` (it would accept it at no path) calls this: see ScanBytesResult.droppedByPath. */
  rejectedByPath?: () => void;
}

/** What a validator says about a candidate: `null` rejects it; an object accepts, optionally overriding. */
export interface Verdict {
  severity?: Severity;
  confidence?: Confidence;
  decoded?: Record<string, string | number | boolean>;
  /** Replace the reported value (e.g. the decoded plaintext of a base64 Kubernetes secret). */
  value?: string;
}

export type Validator = (value: string, ctx: ValidatorContext) => Verdict | null;

export interface DetectorWindow {
  /** Extra lines of context before/after the keyword's line that the pattern may look at. */
  linesBefore?: number;
  linesAfter?: number;
  /** Caps in characters around the keyword (huge minified lines stay bounded). Default 2048. */
  charsBefore?: number;
  charsAfter?: number;
}

export interface DetectorDef {
  id: string;
  title: string;
  provider: string;
  family: DetectorFamily;
  /** Literal substrings (matched case-insensitively) of which one must occur in or near a secret. */
  keywords: readonly string[];
  /**
   * Confirms a candidate. The value is the named group `secret…` that matched (first defined one),
   * else group 1, else the whole match. Every quantifier must be bounded and adjacent quantified
   * classes separated by a literal outside them, so that matching stays linear (see docs/secrets.md).
   */
  pattern: RegExp;
  /** Confirms a candidate (compiled from `validators`, or given directly by code and tests). */
  validate?: Validator;
  /** Names of registered validators (validators/index.ts), all of which must accept. */
  validators?: readonly string[];
  /**
   * `validate` reads only the value, the match's groups and the path (never `text`, `line` or the
   * offsets), so the engine may run it on a match found in a window alone: a text whose every match it
   * rejects holds no candidate, and is not decoded whole to find that out. Set by compileEntry.
   */
  validatesMatchAlone?: boolean;
  severity: Severity;
  /** The kind of identity a leak of this secret hands over, when known. */
  identityKind?: string;
  /** The evidence class of this detector's hits (see ConfidenceClass). */
  confidence?: ConfidenceClass;
  /** Per-hit confidence when the validator does not say; defaults to `medium`. */
  hitConfidence?: Confidence;
  /** Where the format is documented (provider docs, other scanners' rules). */
  references?: readonly string[];
  examples?: DetectorExamples;
  window?: DetectorWindow;
  /** When two hits overlap, the higher priority wins (specific composite > token > jwt > url > generic). */
  priority?: number;
  /** Files this detector never looks at (lock files for the generic detectors). Tested against the path. */
  excludePaths?: RegExp;
  /**
   * Never report in code someone else wrote or a build generated: vendored dependencies and virtual
   * environments, bundles and minified files (by path), bundler output (by content) and minified lines
   * of scripts and pages. For detectors that rest on a name and an entropy signal (generic), which such
   * code trips by the thousand; structured tokens are still reported there, at a lower severity.
   */
  skipForeignCode?: boolean;
  /**
   * Every match starts where a run of `runChars` (an ASCII regex class body, e.g. \`A-Za-z0-9_.-\`)
   * begins, at most `reach` characters before the start of one of its keywords, and the character
   * before is not in the run (the pattern's own lookbehind must say so). The engine then runs the
   * pattern only there (sticky) instead of over whole windows: for \`name = value\` patterns whose name
   * begins with a lazy \`[runChars]{0,reach}?\` and whose keywords start where the name's word starts.
   */
  anchor?: { runChars: string; reach: number };
  /** Minimum Shannon entropy (bits/char) of the value; default 3.0 for values of 16+ chars, 0 disables. */
  minEntropy?: number;
  /**
   * What every match requires around its keyword, checked on a file's bytes before it is decoded: a
   * keyword occurrence failing it cannot belong to a match, so it is dropped, and a file left without
   * keywords is never decoded. It must follow from the pattern (a necessary condition, never a
   * stricter one): scanBytes is tested against scanText, which does not use it.
   */
  keywordContext?: KeywordContext;
}

export interface KeywordContext {
  /** At least `min` bytes of `chars` (an ASCII class body such as `A-Za-z0-9`) right after the keyword. */
  after?: { min: number; chars: string };
  /** At least `min` bytes of `chars` right before it. */
  before?: { min: number; chars: string };
  /**
   * A `name = value` entry: after the keyword, the rest of a name in `nameChars`, at most two of
   * `"`, `'`, `]`, at most four blanks, then `=`, `:` or `,`.
   */
  assignment?: { nameChars: string };
}

/** A catalogue entry: a detector as pure data, validators named, with references and examples. */
export interface DetectorEntry extends Omit<DetectorDef, 'validate' | 'validatesMatchAlone'> {
  confidence: ConfidenceClass;
  references: readonly string[];
  examples: DetectorExamples;
}
