/**
 * Contract between the secret-detection engine (src/secrets/) and the sources that feed it
 * (connectors/git, connectors/dir, GitHub --scan-history). The engine is a pure library:
 * text in, hits out. It never touches the filesystem, git or the network.
 */
import type { Severity } from '../model/index.js';

export interface SecretHit {
  /** Detector id, e.g. `aws-access-key-pair`, `github-pat-classic`, `generic-password-assignment`. */
  detectorId: string;
  /** Human title of the detector: `GitHub personal access token (classic)`. */
  title: string;
  /** Provider the secret belongs to (`aws`, `github`, `slack`, `generic`...). */
  provider: string;
  /** The kind of identity the secret unlocks (`iam-user`, `github-user`, `bot`...), when known. */
  identityKind?: string;
  severity: Severity;
  /**
   * The raw secret value. Lives in memory only: callers hash it (`secretHash`) and preview it
   * (`redactedPreview`) and must never write it anywhere.
   */
  value: string;
  /** 1-based line and column of the value's first character. */
  line: number;
  column: number;
  /** Facts decoded offline from the structure (for AWS: `accessKeyId`, `awsAccountId`; JWT: `exp`). Never secret. */
  decoded?: Record<string, string | number | boolean>;
  /** How sure the detector is: structured tokens with a valid checksum are `high`. */
  confidence: 'high' | 'medium' | 'low';
  /**
   * What the finding rests on: `validated` (a checksum, decoding or key parse proved the structure),
   * `structured` (a provider format or connection-string shape, not proven), `generic` (a secret-like
   * name and an entropy signal). Reports show it as the finding's confidence.
   */
  assurance: Assurance;
  /** A credential its provider marks as test-only (Stripe test mode, test.pypi.org): context, not a leak of production. */
  testCredential?: boolean;
}

export type Assurance = 'validated' | 'structured' | 'generic';

export interface Allowlist {
  /** Globs on the file path (picomatch), e.g. `**\/testdata/**`. */
  paths?: string[];
  /** Detector ids to ignore entirely. */
  detectors?: string[];
  /** `sha256:<hex>` hashes of secrets known to be fake or accepted. */
  hashes?: string[];
}

export interface ScanTextOptions {
  /** Path of the file (used for path-based context: test paths, lock files, allowlist globs). */
  path?: string;
  allowlist?: Allowlist;
}

/**
 * Keyword occurrences in a file's bytes, as the prefilter reports them: (keyword index, end offset)
 * pairs in `pairs[0 .. length)`, ordered by end. `overflow`: the list was cut short (a hostile file),
 * so it cannot stand for the file's hits.
 */
export interface KeywordHits {
  pairs: Int32Array;
  length: number;
  overflow: boolean;
}

export interface ScanBytesOptions extends ScanTextOptions {
  /** The file's keyword hits when already known (derived through a git delta): the prefilter is skipped. */
  keywordHits?: KeywordHits;
  /**
   * At most this many hits of one detector are kept for the file; further matches are only counted
   * (`hitsOverCap`), so a file flooded with one token shape cannot exhaust memory, and the rest of the
   * file (other detectors) is still scanned.
   */
  maxHitsPerDetector?: number;
}

export interface ScanBytesResult {
  hits: SecretHit[];
  nonUtf8: boolean;
  /** The file's keyword hits (byte offsets), for files read one byte per character; reusable for files derived from it. */
  keywordHits?: KeywordHits;
  /** Matches not kept because of `maxHitsPerDetector`. */
  hitsOverCap?: number;
  /**
   * A rule that reads the path dropped a candidate here (a path allowlist, a detector's `excludePaths`,
   * vendored or bundled code, a minified line of a script, a validator's rejection by path): the same
   * content at another path may hold hits this scan did not report. Absent: the path changed no hit away.
   */
  droppedByPath?: true;
}
