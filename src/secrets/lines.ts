/**
 * Line numbers on demand. Most files have no candidate at all, so the engine never splits a file into
 * lines up front: the first question about a line walks newlines (native `indexOf`) only as far as that
 * offset, and later questions continue from there. Each character is walked at most once per scan.
 */
export class LineIndex {
  /** Offsets where each known line starts (starts[0] = 0). */
  private readonly starts: number[] = [0];
  /** Every newline before this offset is recorded in `starts`. */
  private scanned = 0;
  private done = false;

  constructor(private readonly text: string) {}

  /** Records the next newline; false when there is none. */
  private next(): boolean {
    if (this.done) return false;
    const nl = this.text.indexOf('\n', this.scanned);
    if (nl < 0) {
      this.done = true;
      this.scanned = this.text.length + 1;
      return false;
    }
    this.starts.push(nl + 1);
    this.scanned = nl + 1;
    return true;
  }

  /** 0-based line holding `offset`. */
  lineOf(offset: number): number {
    while (this.scanned <= offset && this.next());
    const starts = this.starts;
    let lo = 0,
      hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset where `line` starts (the line must be known: from lineOf or lastLineUpTo). */
  start(line: number): number {
    return this.starts[line]!;
  }

  /** Offset of the newline ending `line` (or the text's length for the last line). */
  end(line: number): number {
    while (this.starts.length <= line + 1 && this.next());
    return line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
  }

  /** `line`, clamped to the last line of the text. */
  lastLineUpTo(line: number): number {
    while (this.starts.length <= line && this.next());
    return Math.min(line, this.starts.length - 1);
  }
}
