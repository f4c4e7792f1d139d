/**
 * Generic secrets: scoring of `name = value` assignments and config entries whose name says "secret"
 * and whose value looks like one (the entries are in detectors/generic.ts). Scoring thresholds are
 * documented in docs/secrets.md and exported as GENERIC_THRESHOLDS so builtinDetectorSetVersion() changes when
 * they do.
 */
import type { Validator, Verdict } from '../detector.js';
import { isCodePath, isTestPath } from '../paths.js';
import { charClassCount, isHexDigest, isHexOnly, isIntegrityHash, isPlaceholder, isTemplateReference, isUuid, shannonEntropy } from '../value-checks.js';

export const GENERIC_THRESHOLDS = {
  password: { minLength: 6, minEntropy: 2.5, minClasses: 2, longEnough: 12 },
  other: { minLength: 10, minEntropy: 3.0, minClasses: 2, longEnough: 24, longEntropy: 3.5, lettersOnlyMinLength: 32 },
  maxLength: 400,
  /** Entropy and length at which a generic hit is `medium` rather than `low` confidence. */
  confident: { minEntropy: 3.5, minLength: 16 },
} as const;

export type NameKind = 'password' | 'other';

/** Words after the secret word that make the name describe something else (`password_url`, `tokenType`). */
const NON_SECRET_SUFFIX =
  /^(?:name|names|id|ids|type|types|login|user|username|user_login|email|owner|sender|length|len|size|field|fields|label|url|uri|endpoint|path|file|filename|dir|env|var|arn|policy|policies|hint|prompt|regex|pattern|format|min|max|count|expiry|expires|expiration|expires_at|ttl|timeout|header|param|params|prefix|suffix|mode|enabled|required|hash|hashed|digest|checksum|salt|version|ref|placeholder|input|help|text|message|msg|error|errors|title|description|desc|key_id|provider|method|strategy|validator|reset|confirm|confirmation|rule|rules|strength|changed|updated|created|at|location|store|source|class|schema|template|manager|mgr|service|handler|generator|ref_name|secret_name|file_path|filepath|env_var|kind|store_name|secret_ref|last_used|last_changed|last_rotated|age|expired|reset_required|used|rotation|rotated|status|state|enum|options|value_from|from)$/;
/** A first word after the secret word that makes the name an object handling secrets (`HTTPPasswordMgrWithDefaultRealm`). */
const NON_SECRET_HEAD = /^(?:mgr|manager|handler|helper|provider|validator|generator|factory|dialog|form|widget|field|input|prompt|policy|hint|label)_/;
/** Words before it that make the value public or not a credential. */
const NON_SECRET_PREFIX =
  /(?:^|_)(?:no|public|publishable|pub|page|next_page|next|continuation|cancellation|sync|csrf|xsrf|max|min|num|total|input|is|has|show|hide|use|enable|disable|forgot|reset|confirm|verify|check|validate)(?:_|$)/;
const SECRET_WORD =
  /password|passwd|passphrase|pwd|pass|secret|credentials?|token|api_?key|apikey|access_?key|auth_?key|master_?key|signing_?key|encryption_?key|private_?key|secret_?key/;

/** `clientSecret` → `client_secret`, `API-KEY` → `api_key`. */
function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[.\-\s]+/g, '_')
    .toLowerCase()
    .replace(/^_+|_+$/g, '');
}

function nameDescribesSecret(rawName: string): boolean {
  const name = snake(rawName);
  const m = SECRET_WORD.exec(name);
  if (!m) return false;
  const rest = name.slice(m.index + m[0].length);
  if (/^[a-z]/.test(rest) && !/^(?:s|es|word|wd)(?:_|$)/.test(rest)) return false; // tokenizer, passport, secretary
  const suffix = rest.replace(/^s?_/, '');
  if (suffix && (NON_SECRET_SUFFIX.test(suffix) || NON_SECRET_HEAD.test(suffix))) return false;
  if (NON_SECRET_PREFIX.test(name.slice(0, m.index))) return false;
  return true;
}

/** Two or more word segments joined by - _ . : / (each a lower/UPPER/camelCase word, maybe a short number): a name, not a key. */
function identifierLike(value: string): boolean {
  const segments = value.split(/[-_.:/]+/).filter(Boolean);
  return segments.length >= 2 && segments.every((seg) => /^(?:[A-Z]?[a-z]{1,30}|[A-Z]{1,30})(?:[A-Z][a-z]{1,30}){0,6}\d{0,3}$/.test(seg));
}

/** A right-hand side that is code, not a literal: `config.password`, `getPassword()`, `args[0]`, `None`. */
function looksLikeExpression(value: string): boolean {
  return (
    /[()[\]{}]/.test(value) ||
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) ||
    /^(?:self|this|os|env|config|settings|params|props|options|opts|args)\b/.test(value)
  );
}

function looksLikePathOrUrl(value: string): boolean {
  return (
    /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(value) ||
    /\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|ya?ml|txt|env|conf|cfg|ini|toml|xml|properties|gpg|asc|enc)$/i.test(value) ||
    (/^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(value) && !value.includes('@'))
  );
}

/** Nothing but printf conversions and escapes (`%lld\r\n`, `%s`, `%08x`). */
const PRINTF_FORMAT = /^(?:%[-+ #0]{0,3}\d{0,3}(?:\.\d{1,3})?(?:hh|h|ll|l|L|z|j|t|q)?[diouxXeEfFgGaAcsp%]|\\[rnt0])+$/;

/** Scores one candidate value; null rejects. Exported for tests and docs. */
export function scoreGenericValue(
  value: string,
  opts: { kind: NameKind; quoted: boolean; path?: string; name: string; rejectedByPath?: () => void },
): Verdict | null {
  const t = GENERIC_THRESHOLDS;
  const v = value.trim();
  if (v.length > t.maxLength || v.length === 0) return null;
  if (!nameDescribesSecret(opts.name)) return null;
  if (isTemplateReference(v) || isPlaceholder(v) || isIntegrityHash(v) || isUuid(v) || isHexDigest(v)) return null;
  if (/^eyJ[\w-]{0,4096}\./.test(v)) return null; // JWT-shaped: the jwt detector owns it, valid or not
  if (/^\d+(?:\.\d+)*$/.test(v) || looksLikePathOrUrl(v)) return null; // numbers, versions, OIDs
  if (/^['"`+]|['"`+]$|['"`]\s{0,2}\+|\+\s{0,2}['"`]/.test(v)) return null; // string-concatenation fragments
  if (!opts.quoted && /^[!&*@][A-Za-z_]/.test(v)) return null; // YAML tags (!vault), anchors, aliases; @Annotations
  if (/^[A-Za-z_]+$/.test(v) && (v.includes('_') || /^(?:[A-Z][a-z]+){2,}$|^[a-z]+(?:[A-Z][a-z]+)+$/.test(v))) return null; // STRING_VALUE, AccessKeysPerUserQuota, token_expire
  if (/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]{5,15}(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return null; // timestamps
  if (PRINTF_FORMAT.test(v)) return null; // "password_matches:%lld\r\n": a format string's conversions, not a value
  if (snake(v) === snake(opts.name)) return null; // enum-style NAME = "NAME"
  if (identifierLike(v)) return null; // X-IDENTITY-HEADER, msal.cache.encryption, acquire:tokenStart
  if (/token|secret|passw|api_?key|credential/i.test(v)) return null; // usertoken123, my_secret_key: self-describing stand-ins
  if (/\s/.test(v) && !/passphrase/i.test(opts.name)) return null; // prose: "Enter your password"
  if (!opts.quoted && /^[A-Za-z_]+$/.test(v)) return null; // bare identifiers
  if (!opts.quoted && looksLikeExpression(v)) return null;
  const entropy = shannonEntropy(v);
  const classes = charClassCount(v);
  if (opts.kind === 'password') {
    const p = t.password;
    if (v.length < p.minLength || entropy < p.minEntropy) return null;
    if (classes < p.minClasses && v.length < p.longEnough) return null;
  } else {
    const o = t.other;
    if (v.length < o.minLength) return null;
    const ok = (entropy >= o.minEntropy && classes >= o.minClasses) || (v.length >= o.longEnough && entropy >= o.longEntropy);
    if (!ok) return null;
    if (/^[A-Za-z]+$/.test(v) && v.length < o.lettersOnlyMinLength) return null; // words, not random keys
  }
  if (!opts.quoted && isCodePath(opts.path)) {
    // Code expressions: an unquoted value in code is one, where the same line in a config file is a value.
    opts.rejectedByPath?.();
    return null;
  }
  let confidence: Verdict['confidence'] = entropy >= t.confident.minEntropy && v.length >= t.confident.minLength ? 'medium' : 'low';
  if (isHexOnly(v)) confidence = 'low';
  if (isTestPath(opts.path)) return { confidence: 'low', severity: 'low' };
  return { confidence, ...(confidence === 'low' ? { severity: 'low' as const } : {}) };
}

export function genericValidator(kind: NameKind): Validator {
  return (value, ctx) => {
    const g = ctx.match.groups ?? {};
    return scoreGenericValue(value, { kind, quoted: g.secretBare === undefined, path: ctx.path, name: g.name ?? '', rejectedByPath: ctx.rejectedByPath });
  };
}
