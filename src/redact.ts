/**
 * Redaction: how nhiscan names a secret without revealing it.
 * A secret is shown as a short prefix (enough to recognise the token type, never to use it)
 * plus a SHA-256 hash that identifies the same secret wherever it appears.
 */
import { createHash } from 'node:crypto';
import { scrubHeldSecrets } from './held-secrets.js';

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
  const shown =
    prefixMatch && prefixMatch[0].length <= Math.floor(value.length / 3)
      ? prefixMatch[0] + value.slice(prefixMatch[0].length, prefixMatch[0].length + 2)
      : value.slice(0, visible);
  return `${shown}…(${value.length} chars)`;
}

/**
 * Shapes that must never reach a log or error even if a caller slips. Structured token prefixes only:
 * generic scrubbing would mangle ordinary messages.
 */
const LEAK_SHAPES: RegExp[] = [
  // No leading \b: a token glued to other text (`keyghp_…`) is still a token.
  /(gh[pousr]_)[A-Za-z0-9]{30,}/g,
  /(github_pat_)[A-Za-z0-9_]{40,}/g,
  /(xox[abposr]-)[A-Za-z0-9-]{10,}/g,
  /(sk_live_|rk_live_|sk-ant-|sk-proj-|npm_|glpat-|pypi-)[A-Za-z0-9_-]{16,}/g,
  /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];
/** An AWS access key id: public by AWS's own account, but kept out of free text all the same. */
const AWS_KEY_ID_SHAPE = /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{4})[A-Z0-9]{12}\b/g;

/**
 * `https://user:token@host/x` → `https://***@host/x`: credentials in URLs (clone URLs, DSNs). The whole
 * userinfo goes, since a token may stand alone (`https://TOKEN@host`), and it runs to the last `@` of
 * the authority, since a password may contain `@` or `:` unencoded.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*(?:@[^\s/?#@]*)*@/gi, '$1***@');
}

/**
 * `password=VALUE`, `secret: VALUE`, `"token": "VALUE"`, `Authorization: Bearer VALUE`: a credential
 * named by its key, whatever its shape. The key is kept (it says what was there), the value goes.
 */
const KEYED_VALUE =
  /(\b(?:authorization|proxy-authorization)["']?\s*[:=]\s*["']?(?:bearer|token|basic|digest|aws4-hmac-sha256)?\s*)([^\s"',;]+)|((?<![/.\w-])[\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret|credential)["']?\s*([:=])\s*["']?)([^\s"',;&]+)/gi;

function redactKeyedValues(text: string, spareIdentifiers: boolean): string {
  return text.replace(KEYED_VALUE, (match, authKey?: string, authValue?: string, key?: string, separator?: string, value?: string) => {
    const v = (authValue ?? value)!;
    if (v.startsWith('[REDACTED') || v === '***') return match;
    // In an identifier, `secret:prod/db` is a part of an ARN (`arn:aws:secretsmanager:…:secret:NAME`),
    // not a pair: there, a colon separates a value only with a quote or a space beside it.
    // What follows is still looked at: `aws:aws-secret:password=VALUE` holds a pair after the spared part.
    if (spareIdentifiers && separator === ':' && /[\w-]:$/.test(key!)) return key! + redactKeyedValues(match.slice(key!.length), true);
    // `secrets: 5` is a count and `token: 403` a status in a message, not a value.
    if (separator === ':' && /^\d{1,6}$/.test(v)) return match;
    const closing = /[)\]}>.]+$/.exec(v)?.[0] ?? ''; // `(password=x)`: the bracket is the message's
    return `${authKey ?? key}[REDACTED]${closing}`;
  });
}

/**
 * Scrubs secrets out of free text (log lines, error messages from SDKs, connectors and plugins):
 * every credential nhiscan holds (held-secrets.ts), credentials in URLs, values named by a
 * credential key, and known token shapes. `spareIdentifiers` keeps AWS access key ids.
 */
export function redactText(text: string, options: { spareIdentifiers?: boolean } = {}): string {
  let out = redactUrlCredentials(scrubHeldSecrets(text));
  out = redactKeyedValues(out, !!options.spareIdentifiers);
  for (const shape of LEAK_SHAPES)
    out = out.replace(shape, (match, prefix: string) =>
      // A name such as `npm_publish_bot` has the shape of a token but a token's body has capitals or digits.
      options.spareIdentifiers && /^[a-z_-]*$/.test(match.slice(prefix.length)) ? match : `${prefix}[REDACTED]`,
    );
  // `spareIdentifiers`: collected data, where an AWS access key id is the key's name (the join of a key
  // to its leak and its user), not a secret; messages and logs lose it as before.
  return options.spareIdentifiers ? out : out.replace(AWS_KEY_ID_SHAPE, (_m, prefix: string) => `${prefix}[REDACTED]`);
}
