/** Inline ignore markers and config allowlists. */
import { createRequire } from 'node:module';
import type { Allowlist } from './types.js';

/**
 * Markers that silence a finding on their line: nhiscan's own plus the ones teams already use with
 * gitleaks, detect-secrets and TruffleHog, so adopting nhiscan needs no re-annotation.
 */
export const INLINE_IGNORE = /nhiscan:ignore(?!-next-line)|gitleaks:allow|pragma:\s{0,3}allowlist[ -]secret|trufflehog:ignore/i;
/** Markers on the line above that silence the next line. */
export const NEXT_LINE_IGNORE = /nhiscan:ignore-next-line|pragma:\s{0,3}allowlist[ -]nextline[ -]secret/i;

const matcherCache = new WeakMap<readonly string[], (path: string) => boolean>();

/** True when the path matches one of the allowlist globs (picomatch, dotfiles included). */
export function pathAllowlisted(path: string | undefined, allowlist: Allowlist | undefined): boolean {
  const globs = allowlist?.paths;
  if (!path || !globs || globs.length === 0) return false;
  let isMatch = matcherCache.get(globs);
  if (!isMatch) {
    // picomatch loads (synchronously, as its CommonJS build) only when an allowlist names paths: a scan without one never pays for it.
    const picomatch = createRequire(import.meta.url)('picomatch') as typeof import('picomatch');
    isMatch = picomatch(globs as string[], { dot: true });
    matcherCache.set(globs, isMatch);
  }
  const normalised = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return isMatch(normalised);
}
