/**
 * What a source collects (names, tags, descriptions, notes, display names) was written by whoever could
 * edit the estate or the export, and every report copies it. A token pasted into an IAM user's tag, an
 * Entra app's notes or a GCP label must not reach a report, a log or SARIF, so every string of every
 * collected item (and every object key: tag keys are strings someone chose) passes through here:
 * - terminal escape sequences and control characters other than tab and line breaks are removed;
 * - secrets of a known structure the detection engine finds are replaced by their redacted preview;
 * - the redactor's last line of defence (held credentials, URL userinfo, `password=` pairs, token
 *   shapes) runs in its identifier-sparing form.
 * Identifiers survive: an AWS access key id is the name of a key, which joins it to its user and to
 * its leaks, not a secret (AWS documents it as public); ARNs, GUIDs and hashes are never secret-shaped.
 */
import { scanText } from './secrets/index.js';
import { redactedPreview, redactText } from './redact.js';
import { MAX_IMPORT_DEPTH } from './import-check.js';

// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\|$)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const AWS_KEY_ID = /^(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/;
/** No detector matches fewer than 8 characters without spaces; such strings (most of them) skip the engine. */
const MAY_HOLD_SECRET = /[^\s]{8}/;

/** One collected string, fit for a report: no control characters, no secret, identifiers kept. */
export function cleanCollectedText(text: string): string {
  let clean = text.replace(ESCAPES, '').replace(CONTROLS, '');
  if (MAY_HOLD_SECRET.test(clean)) {
    // Longest first, so a value containing another one is replaced whole.
    // Generic `keyword: value` hits are left to the redactor's keyed pairs: in identifiers
    // (`github:secret-scanning-alert:org/repo#1`) they are structure, not assignments.
    const hits = scanText(clean).filter((hit) => hit.assurance !== 'generic' && !AWS_KEY_ID.test(hit.value));
    const values = [...new Set(hits.map((hit) => hit.value))].sort((a, b) => b.length - a.length);
    for (const value of values) clean = clean.split(value).join(redactedPreview(value));
  }
  return redactText(clean, { spareIdentifiers: true });
}

/**
 * Cleans every string and key of the given items in place. One cache per call: collected data repeats
 * itself (dates, types, account ids), and the engine is the costly part.
 */
export function cleanCollectedItems(items: readonly object[]): void {
  const cache = new Map<string, string>();
  const clean = (text: string): string => {
    let out = cache.get(text);
    if (out === undefined) cache.set(text, (out = cleanCollectedText(text)));
    return out;
  };
  const seen = new WeakSet<object>(); // items share objects (a policy document, an owner list)
  const visit = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return clean(value);
    if (value === null || typeof value !== 'object' || depth > MAX_IMPORT_DEPTH || seen.has(value)) return value;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i], depth + 1);
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const cleanKey = clean(key);
      const child = visit(record[key], depth + 1);
      if (cleanKey !== key) delete record[key];
      record[cleanKey] = child;
    }
    return value;
  };
  for (const item of items) visit(item, 0);
}
