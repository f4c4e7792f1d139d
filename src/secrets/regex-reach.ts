/**
 * How far a regular expression can read around the place where a match attempt starts, worked out from
 * its source: at most `before` characters before it (lookbehinds) and `after` characters from it (what
 * it consumes, lookaheads counted as consumed). Undefined when no bound exists or the source uses syntax
 * this reading does not follow (unbounded quantifiers, backreferences, non-ASCII literals, `v`-mode
 * classes). The engine uses it to run an anchored detector's sticky pattern on a short slice of a file
 * instead of on the decoded file: within these bounds, the slice and the whole text give the same result.
 */
export interface RegexReach {
  before: number;
  after: number;
}

class Unbounded extends Error {}

export function regexReach(source: string, flags = ''): RegexReach | undefined {
  if (flags.includes('v')) return undefined;
  try {
    const reader = new ReachReader(source);
    const after = reader.alternation();
    if (reader.at < source.length) return undefined; // an unbalanced `)`
    return { before: reader.behind, after };
  } catch (error) {
    if (error instanceof Unbounded) return undefined;
    throw error;
  }
}

class ReachReader {
  at = 0;
  /** The widest lookbehind seen. */
  behind = 0;
  /** Inside a lookbehind, where a nested lookaround could read past these bounds. */
  private inBehind = false;
  constructor(private readonly source: string) {}

  /** The widest of `a|b|…`. */
  alternation(): number {
    let widest = this.sequence();
    while (this.source[this.at] === '|') {
      this.at++;
      widest = Math.max(widest, this.sequence());
    }
    return widest;
  }

  private sequence(): number {
    let total = 0;
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const width = this.atom();
      total += width * this.quantifier();
    }
    return total;
  }

  /** How many times the atom just read may repeat at most. */
  private quantifier(): number {
    const { source } = this;
    const c = source[this.at];
    if (c === '*' || c === '+') throw new Unbounded();
    let times = 1;
    if (c === '?') this.at++;
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(this.at));
      if (!m) return 1; // a literal brace, read as the next atom
      if (m[2] && m[3] === '') throw new Unbounded();
      times = Number(m[3] || m[1]);
      this.at += m[0].length;
    } else return 1;
    if (source[this.at] === '?') this.at++; // lazy
    return times;
  }

  private atom(): number {
    const c = this.source[this.at]!;
    if (c === '\\') return this.escape();
    if (c === '[') return this.characterClass();
    if (c === '(') return this.group();
    if (c.charCodeAt(0) > 0x7f) throw new Unbounded(); // a literal may be two code units, quantified as one character
    this.at++;
    return c === '^' || c === '$' ? 0 : 1;
  }

  private escape(): number {
    const { source } = this;
    const c = source[this.at + 1];
    if (c === undefined || c === 'k' || (c >= '1' && c <= '9')) throw new Unbounded(); // a backreference
    this.at += 2;
    if (c === 'b' || c === 'B') return 0;
    if (c === 'x') this.at += 2;
    else if (c === 'c') this.at += 1;
    else if ((c === 'u' || c === 'p' || c === 'P') && source[this.at] === '{') this.skipPast('}');
    else if (c === 'u') this.at += 4;
    return 1;
  }

  private characterClass(): number {
    const { source } = this;
    this.at++;
    if (source[this.at] === '^') this.at++;
    while (this.at < source.length && source[this.at] !== ']') this.at += source[this.at] === '\\' ? 2 : 1;
    if (this.at >= source.length) throw new Unbounded();
    this.at++;
    return 1;
  }

  private group(): number {
    const { source } = this;
    this.at++;
    let kind: 'group' | 'ahead' | 'behind' = 'group';
    if (source.startsWith('?:', this.at)) this.at += 2;
    else if (source.startsWith('?=', this.at) || source.startsWith('?!', this.at)) {
      this.at += 2;
      kind = 'ahead';
    } else if (source.startsWith('?<=', this.at) || source.startsWith('?<!', this.at)) {
      this.at += 3;
      kind = 'behind';
    } else if (source.startsWith('?<', this.at)) this.skipPast('>');
    else if (source[this.at] === '?') throw new Unbounded(); // modifiers or syntax not followed here
    if (kind !== 'group' && this.inBehind) throw new Unbounded();
    const outer = this.inBehind;
    this.inBehind = outer || kind === 'behind';
    const width = this.alternation();
    this.inBehind = outer;
    if (source[this.at] !== ')') throw new Unbounded();
    this.at++;
    if (kind !== 'behind') return width; // a lookahead reads as far as if it consumed
    // A lookbehind reads back from where it stands, which is never before the start.
    this.behind = Math.max(this.behind, width);
    return 0;
  }

  private skipPast(close: string): void {
    const end = this.source.indexOf(close, this.at);
    if (end < 0) throw new Unbounded();
    this.at = end + 1;
  }
}
