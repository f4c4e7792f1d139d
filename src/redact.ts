/**
 * Redaction: how nhiscan names a secret without revealing it.
 * A secret is shown as a short prefix (enough to recognise the token type, never to use it)
 * plus a SHA-256 hash that identifies the same secret wherever it appears.
 */
import { createHash } from 'node:crypto';

export function secretHash(value: string): string {
  return `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}

/**
 * `ghp_ab…(40 chars)`. Shows at most 4 characters, or fewer for short values, and never more than
 * a quarter of the value: the prefix of a structured token is its public type marker.
 */
export function redactedPreview(value: string): string {
  const visible = Math.min(value.length >= 16 ? 6 : 2, Math.floor(value.length / 4));
  const prefixMatch = /^[A-Za-z]{2,12}[_-]/.exec(value); // keep a whole type marker like `github_pat_`, `xoxb-`
  const shown = prefixMatch && prefixMatch[0].length <= Math.floor(value.length / 3)
    ? prefixMatch[0] + value.slice(prefixMatch[0].length, prefixMatch[0].length + 2)
    : value.slice(0, visible);
  return `${shown}…(${value.length} chars)`;
}

/**
 * Shapes that must never reach a log or error even if a caller slips. Structured token prefixes only:
 * generic scrubbing would mangle ordinary messages.
 */
const LEAK_SHAPES: RegExp[] = [
  /\b(gh[pousr]_)[A-Za-z0-9]{30,}/g,
  /\b(github_pat_)[A-Za-z0-9_]{40,}/g,
  /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{4})[A-Z0-9]{12}\b/g,
  /\b(xox[abposr]-)[A-Za-z0-9-]{10,}/g,
  /\b(sk_live_|rk_live_|sk-ant-|sk-proj-|npm_|glpat-|pypi-)[A-Za-z0-9_-]{16,}/g,
  /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

/**
 * `https://user:token@host/x` → `https://***@host/x`: credentials in URLs (clone URLs, DSNs). The whole
 * userinfo goes, since a token may stand alone (`https://TOKEN@host`), and it runs to the last `@` of
 * the authority, since a password may contain `@` or `:` unencoded.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*(?:@[^\s/?#@]*)*@/gi, '$1***@');
}

/** Scrubs known secret shapes out of free text (log lines, error messages from SDKs). */
export function redactText(text: string): string {
  let out = redactUrlCredentials(text);
  for (const shape of LEAK_SHAPES) out = out.replace(shape, (_m, prefix: string) => `${prefix}[REDACTED]`);
  return out;
}
