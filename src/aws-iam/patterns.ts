/**
 * Resource-pattern algebra for IAM ARNs (`*` = any run of characters, `?` = one character), as IAM
 * itself matches them. Offline we never know every concrete resource, so the operations below work
 * on patterns: "does pattern A cover everything pattern B covers", "what do A and B have in common".
 * Both are approximations on the safe side for reporting: a pattern that *might* overlap another is
 * kept, never silently dropped.
 */

const regexCache = new Map<string, RegExp>();

/** The IAM glob as an anchored, case-sensitive regular expression (ARNs are case-sensitive). */
export function globRegExp(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    if (regexCache.size > 50_000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Whether a pattern covers every resource (`*`, `arn:*`, `arn:aws:*:*:*:*`...). */
export function isAll(pattern: string): boolean {
  if (pattern === '*') return true;
  // Cheap rejection first: anything with a literal character after the partition is narrower.
  const last = pattern.charCodeAt(pattern.length - 1);
  if (last !== 42 /* * */) return false;
  return /^\*+$/.test(pattern) || /^arn(:\*+)+$|^arn:\*$|^arn:[a-z-]+(:\*+)+$/.test(pattern);
}

/** Whether a pattern has no wildcard: it names exactly one resource. */
export function isLiteral(pattern: string): boolean {
  return !pattern.includes('*') && !pattern.includes('?');
}

/** Whether a concrete ARN (or any text) matches a pattern. */
export function matches(pattern: string, value: string): boolean {
  if (isAll(pattern)) return true;
  return globRegExp(pattern).test(value);
}

/**
 * Whether `general` covers everything `specific` covers. Treats the wildcards of `specific` as
 * literal characters that `general`'s wildcards must absorb: exact when `specific` has no wildcards,
 * and correct for the common shapes (`arn:aws:s3:::b/*` ⊆ `arn:aws:s3:::*`).
 */
export function subsumes(general: string, specific: string): boolean {
  if (isAll(general)) return true;
  if (isAll(specific)) return false;
  if (general === specific) return true;
  return globRegExp(general).test(specific);
}

function literalPrefix(pattern: string): string {
  const i = pattern.search(/[*?]/);
  return i === -1 ? pattern : pattern.slice(0, i);
}

/** Whether two patterns can match a common resource (prefix test: cheap and never a false "no"... for prefixes). */
export function mayOverlap(a: string, b: string): boolean {
  if (isAll(a) || isAll(b)) return true;
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  if (!(pa.startsWith(pb) || pb.startsWith(pa))) return false;
  // Both fully literal: they overlap only when equal.
  if (pa === a && pb === b) return a === b;
  if (pa === a) return globRegExp(b).test(a);
  if (pb === b) return globRegExp(a).test(b);
  return true;
}

/**
 * The patterns common to two allow-lists (identity policy ∩ permission boundary). Keeps the
 * narrower pattern when one covers the other; keeps the narrower-looking one when they merely
 * overlap (the real intersection is not always a single glob).
 */
export function intersectPatterns(a: readonly string[], b: readonly string[]): string[] {
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      if (subsumes(x, y)) out.add(y);
      else if (subsumes(y, x)) out.add(x);
      else if (mayOverlap(x, y)) out.add(literalPrefix(x).length >= literalPrefix(y).length ? x : y);
    }
  }
  return [...out];
}

/** Instantiates an iam-data ARN template (`arn:${Partition}:iam::${Account}:user/${UserNameWithPath}`). */
export function instantiateTemplate(template: string, partition: string, account: string): string {
  return template.replace(/\$\{([^}]+)\}/g, (_m, name: string) => (name === 'Partition' ? partition : name === 'Account' ? account : '*'));
}

/** Substitutes the policy variables a principal's own identity determines. */
export function substituteVariables(pattern: string, vars: Record<string, string>): string {
  if (!pattern.includes('${')) return pattern;
  return pattern.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const value = vars[name.toLowerCase()];
    if (value !== undefined) return value;
    // `${*}`, `${?}`, `${$}` are IAM's escapes for literal characters.
    if (name === '*' || name === '?' || name === '$') return name;
    // A variable we cannot know offline (`${aws:PrincipalTag/team}`): any value is possible.
    return '*';
  });
}
