/**
 * Secret-detection engine entry point: text in, hits out. Pure and synchronous; no filesystem,
 * git or network. See docs/secrets.md for the detector catalogue, thresholds and guarantees.
 */
import type { KeywordHits, ScanBytesOptions, ScanBytesResult, ScanTextOptions, SecretHit } from './types.js';
import { DETECTORS } from './detectors/index.js';
import { currentScanner, currentDetectorSetVersion } from './plugin-detectors.js';
import { detectorSetVersion } from './version.js';

export type { SecretHit, ScanTextOptions, ScanBytesOptions, ScanBytesResult, KeywordHits, Allowlist } from './types.js';
export type { DetectorDef, DetectorEntry, DetectorExamples, Example, DetectorFamily, Confidence, ConfidenceClass, Verdict, Validator } from './detector.js';
export { DETECTORS as detectors, CATALOGUE as catalogue } from './detectors/index.js';
export { compileEntry, registerValidators, validatorNames } from './validators/index.js';
export { SecretScanner } from './engine.js';
export { isBinary, isBinaryText, BINARY_SNIFF_BYTES } from './binary.js';
export { holdsKeystore } from './keystores.js';
export { pathAllowlisted, INLINE_IGNORE } from './ignore.js';
export { isTestPath, LOCK_FILE } from './paths.js';
export { decodeAwsKeyId, hasValidCrc32Checksum } from './structure.js';

let builtinVersion: string | undefined;

/**
 * Changes whenever any detector or scoring rule changes; keys the git blob cache so a detector change forces a rescan.
 * Computed on first use: hashing the whole catalogue is start-up time a `dir:` or `staged:` scan never needs.
 */
export function builtinDetectorSetVersion(): string {
  return (builtinVersion ??= detectorSetVersion(DETECTORS));
}

/** Number of built-in detectors. */
export function countDetectors(): number {
  return DETECTORS.length;
}

export { addDetectors, pluginDetectors } from './plugin-detectors.js';

/** The version of the detectors scans use now: builtinDetectorSetVersion(), or that plus the plugins' detectors. */
export function detectorSetVersionInUse(): string {
  return currentDetectorSetVersion(builtinDetectorSetVersion());
}

/** Finds secrets in one file's text. Pure and synchronous; safe to call from worker threads. */
export function scanText(text: string, options: ScanTextOptions = {}): SecretHit[] {
  return currentScanner().scan(text, options);
}

/**
 * Finds secrets in one file's bytes: decoded as UTF-8, or as Latin-1 when they are not valid UTF-8
 * (`nonUtf8`, so ASCII tokens inside are still found). Same hits as `scanText` of the decoded text;
 * much cheaper on large files (see SecretScanner.scanBytes). Binary sniffing stays with the caller.
 */
export function scanBytes(bytes: Uint8Array, options: ScanBytesOptions = {}): ScanBytesResult {
  return currentScanner().scanBytes(bytes, options);
}

/** The prefilter's keyword hits of a file's bytes (see KeywordHits). */
export function keywordHitsOf(bytes: Uint8Array): KeywordHits {
  return currentScanner().keywordHitsOf(bytes);
}

/**
 * The keyword hits of `content`, rebuilt by a git delta from a file whose hits are `base`; `copies`
 * holds the delta's (destination, source, length) copy triples. Equal to `keywordHitsOf(content)`.
 * `rewalkedShare` (tests): the share of the result walked again past which the prefilter walks all of it.
 */
export function keywordHitsAfterDelta(base: KeywordHits, content: Uint8Array, copies: Int32Array, copyCount: number, rewalkedShare?: number): KeywordHits {
  return currentScanner().keywordHitsAfterDelta(base, content, copies, copyCount, rewalkedShare);
}
