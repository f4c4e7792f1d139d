/**
 * Secret-detection engine entry point. PLACEHOLDER: the full engine (80+ detectors as data,
 * prefilter, validators, generic scoring, inline ignores) replaces this; the exported API stays.
 */
import type { ScanTextOptions, SecretHit } from './types.js';
export type { SecretHit, ScanTextOptions, Allowlist } from './types.js';

/** Bumped whenever detectors change; keys the git blob cache so a detector change forces a rescan. */
export const DETECTOR_SET_VERSION = '0-placeholder';

/** Finds secrets in one file's text. Pure and synchronous; safe to call from worker threads. */
export function scanText(text: string, _options: ScanTextOptions = {}): SecretHit[] {
  const hits: SecretHit[] = [];
  const re = /\b(ghp_[A-Za-z0-9]{36})\b/g;
  for (const m of text.matchAll(re)) {
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    const column = m.index - before.lastIndexOf('\n');
    hits.push({ detectorId: 'github-pat-classic', title: 'GitHub personal access token (classic)', provider: 'github', identityKind: 'github-user', severity: 'high', value: m[1]!, line, column, confidence: 'medium' });
  }
  return hits;
}
