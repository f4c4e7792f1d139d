/**
 * Value heuristics shared by validators and the generic scorer: entropy, character classes,
 * placeholders, template references, hashes. All functions are O(length of the value).
 */

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Number of character classes present among: lower, upper, digit, other (symbols). */
export function charClassCount(value: string): number {
  let lower = 0,
    upper = 0,
    digit = 0,
    other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/** Words that mark a value as a stand-in rather than a real secret. Matched case-insensitively as substrings. */
export const PLACEHOLDER_WORDS = [
  'example',
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'placeholder',
  'dummy',
  'sample',
  'redacted',
  'your_',
  'your-',
  'yourkey',
  'yourtoken',
  'yourpassword',
  'yoursecret',
  'insert',
  'replace',
  'fixme',
  'todo',
  'xxxx',
  '****',
  '....',
  '____',
  '----',
  'notreal',
  'not_real',
  'not-real',
  'fake',
  'mysecret',
  'mypassword',
  'secret_here',
  'token_here',
  'key_here',
  'password_here',
  'foobar',
  'lorem',
  'ipsum',
  'undefined',
  'null',
  'testtest',
  'test123',
  'password',
  'passw0rd',
  'p@ssw0rd',
  'qwerty',
  'letmein',
  'hunter2',
  'secret123',
  'abcdef',
  'abc123',
  '123456',
  '000000',
  '111111',
  'deadbeef',
  'supersecret',
  'super_secret',
  'topsecret',
  'passwd',
  'yourapikey',
  'your_api_key',
  'secretkey',
  'sekrit',
] as const;

const PLACEHOLDER_RE = new RegExp(PLACEHOLDER_WORDS.map(escapeRegExp).join('|'), 'i');
/** The whole value is one of these (case-insensitive): too short/common to be a credential. */
const PLACEHOLDER_EXACT =
  /^(?:secret|token|key|apikey|api_key|pass|pwd|none|nil|true|false|empty|test|demo|admin|root|user|guest|default|string|value|required|optional|tbd|n\/a|na|\*+|x+|-+|\.+|0+|1+)$/i;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Example values published in specifications and copied into code, docs and tests everywhere: matched
 * exactly (case-sensitive). RFC 6749 (OAuth 2.0): the client `s6BhdRkqt3` with secrets `7Fjfp0ZBr1KtDRbnfVdmIw`
 * (2.3.1) and `gX1fBat3bV` (the Basic header of 4.1.3), the code of 4.1.2, the tokens of 4.1.4 and 5.1, the
 * password of 4.3.2, the MAC token of 7.1; RFC 6750 (bearer tokens) and the bearer token its examples and
 * libraries use; RFC 5849 (OAuth 1.0): the consumer keys, tokens and secrets of 1.2, 3.1 and 3.5.1.
 */
export const DOCUMENTED_EXAMPLE_VALUES: ReadonlySet<string> = new Set([
  // RFC 6749
  's6BhdRkqt3',
  '7Fjfp0ZBr1KtDRbnfVdmIw',
  'gX1fBat3bV',
  'czZCaGRSa3F0MzpnWDFmQmF0M2JW',
  'SplxlOBeZQQYbYS6WxSbIA',
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  'A3ddj3w',
  'h480djs93hd8',
  'kDZvddkndxvhGRXZhvuDjEWhGeE=',
  // RFC 6750
  'mF_9.B5f-4.1JqM',
  'vF9dft4qmT',
  // RFC 5849
  'dpf43f3p2l4k3l03',
  'kd94hf93k423kf44',
  'hh5s93j4hdidpola',
  'hdhd0244k9j7ao03',
  'hfdp7dh39dks9884',
  'nnch734d00sl2jdk',
  'pfkkdhi9sl3r4s00',
  '9djdj82h48djs9d2',
  'kkk9d7dh3k39sjv7',
  'j49sk3j29djd',
  'dh893hdasih9',
  '0685bd9184jfhq22',
  'ad180jjd733klru7',
]);

export function isPlaceholder(value: string): boolean {
  if (DOCUMENTED_EXAMPLE_VALUES.has(value)) return true;
  if (PLACEHOLDER_EXACT.test(value)) return true;
  if (PLACEHOLDER_RE.test(value)) return true;
  if (/^<[^>]{0,200}>$|^\[[^\]]{0,200}\]$|^\([^)]{0,200}\)$/.test(value)) return true; // <your-key>, [token], (secret)
  if (isRepetitiveOrSequential(value)) return true;
  if (value.length <= 40 && LEET_WORDS.test(unleet(value)) && !LEET_WORDS.test(value.toLowerCase())) return true; // p4ssw0rd, secr3t, ch4ngem3
  return false;
}

/** Stand-in words spelled with digits or symbols for letters (`p4ssw0rd`, `s3cr3t`, `l3tm3in`). */
const LEET_WORDS = /passw(?:[ao]r)?d|secret|changeme|letmein|qwerty|example|dummy|placeholder/;
const LEET: Record<string, string> = { '4': 'a', '@': 'a', '3': 'e', '1': 'i', '!': 'i', '0': 'o', $: 's', '5': 's', '7': 't' };

function unleet(value: string): string {
  return value.toLowerCase().replace(/[4@31!0$57]/g, (c) => LEET[c]!);
}

/** `aaaaaaaa`, `abababab`, `12345678`, `abcdefgh`: at most 2 distinct chars, or one long ascending run. */
export function isRepetitiveOrSequential(value: string): boolean {
  if (value.length === 0) return true;
  if (new Set(value).size <= 2 && value.length >= 4) return true;
  let run = 1,
    best = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best >= 6 && best >= value.length * 0.6;
}

/**
 * References to a value held elsewhere: `${VAR}`, `$VAR`, `%(var)s`, `{{ .Values.x }}`, `#{x}`, `%VAR%`,
 * `<%= x %>`, `process.env.X`, `os.environ[...]`, `getenv(...)`, `ENV[...]`, `secrets.X`, `vault:...`.
 */
const TEMPLATE_RE =
  /\$\{[^}]{0,200}\}|\$\([^)]{0,200}\)|^\$[A-Za-z_]\w{0,100}$|%\([\w.-]{1,100}\)[sdr]|\{\{[^}]{0,200}\}\}|#\{[^}]{0,200}\}|^%[\w.-]{1,100}%$|<%=?[^%]{0,200}%>|\bprocess\.env\b|\bos\.environ\b|\bgetenv\b|\bENV\[|\bSystem\.getenv\b|\bEnvironment\.GetEnvironmentVariable\b|^\{[\w.-]{1,100}\}$|\bsecrets\.[A-Za-z_]|\bvars\.[A-Za-z_]|^(?:vault|ssm|secretsmanager|arn|ref|env|file|keyvault|akv|op):|@Value\(|^!(?:Ref|Sub|GetAtt|ImportValue)\b/;

export function isTemplateReference(value: string): boolean {
  return TEMPLATE_RE.test(value);
}

/** Unix crypt / bcrypt / argon2 hashes (`$2y$10$…`, `$6$salt$…`): stored hashes, not shell variables. */
const CRYPT_HASH = /^\$(?:2[abxy]?|1|5|6|y|7|apr1|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d{1,3})?|sha1|gy)\$/;

/** `%VAR%` (Windows batch): a name of 3+ characters, or one that is not two hex digits (`%4d` is URL encoding). */
const BATCH_VARIABLE = /%(?![0-9A-Fa-f]{2}%)[A-Za-z_][\w]{0,100}%/;

/**
 * True when a candidate value is code, not a literal: a variable, command substitution, method call,
 * template expression or initializer (see docs/secrets.md, "Code is never a value"). `after` is the text
 * right after the value in the file (a few characters): an unquoted `name(`, `$x->`, `arr[` continues
 * an expression there.
 */
export function isCodeValue(value: string, after = ''): boolean {
  const v = value.trim();
  if (v.length === 0) return false;
  if (CRYPT_HASH.test(v)) return false;
  // Shell, Perl, PHP, Make: $1, $VAR, ${VAR}, $(cmd), $$, $@, @{...}, $(VAR) in Makefiles.
  if (/^\$[\w{(@*#?!$-]/.test(v) || (/^@[{A-Za-z_]/.test(v) && /->|::|\(/.test(v + after))) return true;
  if (/\$\{|\$\(|`/.test(v)) return true;
  if (/\$[A-Za-z_]\w{0,100}(?:->|::)/.test(v)) return true; // $self->x, $obj::y inside a string
  if (/(?:^|[^$\w])\$[A-Z_][A-Z0-9_]{2,100}\b/.test(v)) return true; // basic:$USERPASS64, user:$PASSWORD
  if (BATCH_VARIABLE.test(v)) return true;
  if (/\{\{|\{%|<%|#\{|\$\{\{/.test(v)) return true; // {{ x }}, {% x %}, <%= x %>, #{x}, ${{ secrets.X }}
  if (isTemplateReference(v)) return true; // process.env.X, os.environ[...], getenv(), secrets.X
  // C / C++ / Go / Rust: designated initializers (.value.object=), address-of, deref, casts, struct literals.
  if (
    /^\.[A-Za-z_]\w{0,100}(?:[.=[]|$)/.test(v) ||
    /^[&*][A-Za-z_(]/.test(v) ||
    /^\((?:const\s|unsigned\s|struct\s)?[A-Za-z_]\w{0,60}\s?\**\)/.test(v) ||
    /^\{[\s.A-Za-z_0-9,=&]{0,100}\}?$/.test(v)
  )
    return true;
  if (/->|::[A-Za-z_]/.test(v)) return true; // method / member calls: obj->x, Class::get
  if (/^[A-Za-z_][\w.]{2,100}\(/.test(v)) return true; // a call: getPassword(), os.Getenv("X"), sprintf(
  // Null and boolean literals, also as the last argument of a call or signature (`password=None,` `pwd=nil)`).
  if (/^(?:NULL|nullptr|nil|None|null|undefined|true|false|NaN)[,;:)\]}]{0,4}$/.test(v)) return true;
  // An element access continuing an expression: `l[1]||""`, `args[0],`, `parts[2].trim()`.
  if (/^[A-Za-z_$][\w$.]{0,60}\[[\w'"$.-]{1,40}\](?:\|\||&&|\?\?|[?+,;)]|\.[A-Za-z_])/.test(v)) return true;
  // What follows an unquoted identifier-like value continues an expression: `name(`, `name->`, `name[`, `name.x`.
  if (/^[A-Za-z_$][\w$.]{0,100}$/.test(v) && /^(?:\(|->|\[|\.[A-Za-z_]|::)/.test(after)) return true;
  return false;
}

/** `apache@localhost`, `user@host`, `bot@example.org`: an address, never a password or token. */
export function isEmailAddress(value: string): boolean {
  return /^[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}$/.test(value);
}

/**
 * A base64 value that decodes to a self-describing stand-in (`YW5vdGhlci10b2tlbg==` is `another-token`,
 * `YWxpY2U6c2VjcmV0LXBhc3N3ZA==` is `alice:secret-passwd`): test data, not a credential.
 */
export function isEncodedStandIn(value: string): boolean {
  if (value.length < 8 || value.length > 400 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const bytes = decodeBase64(value);
  if (!bytes || bytes.length < 4 || !isPrintableUtf8(bytes)) return false;
  const text = bytes.toString('utf8');
  if (!/^[\x20-\x7e]+$/.test(text)) return false;
  const parts = text.split(/[:]/);
  return parts.some((p) => isPlaceholder(p) || /token|secret|passw|api[-_ ]?key|credential/i.test(p));
}

/** Hex digests: md5 (32), sha1 (40), sha224 (56), sha256 (64), sha384 (96), sha512 (128). */
export function isHexDigest(value: string): boolean {
  return /^[0-9a-f]+$/i.test(value) && [32, 40, 56, 64, 96, 128].includes(value.length);
}

export function isHexOnly(value: string): boolean {
  return /^[0-9a-f]+$/i.test(value);
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** Subresource-integrity / lock-file hashes: `sha512-<base64>`, `sha1-...`, go.sum `h1:<base64>`. */
export function isIntegrityHash(value: string): boolean {
  return /^(?:sha(?:1|256|384|512)-[A-Za-z0-9+/]{20,}={0,2}|h1:[A-Za-z0-9+/]{40,}={0,2}|sha256:[0-9a-f]{64})$/.test(value);
}

/** Decodes standard or URL-safe base64 (padding optional); null when it is not base64. */
export function decodeBase64(value: string): Buffer | null {
  const clean = value.replace(/\\n|\s/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean) || clean.length % 4 === 1) return null;
  return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** True when the bytes are UTF-8 text without control characters (except tab/newline). */
export function isPrintableUtf8(bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD')) return false;
  return !/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.test(text);
}

/** Default entropy floor the engine applies to every detector's value (see DetectorDef.minEntropy). */
export const DEFAULT_MIN_ENTROPY = 3.0;
export const DEFAULT_MIN_ENTROPY_LENGTH = 16;
