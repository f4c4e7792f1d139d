/** A growable list of (keyword, end) pairs. */
export class PairList {
  pairs: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.pairs = new Int32Array(Math.max(2, capacity & ~1));
  }
  push(ki: number, end: number): void {
    if (this.length + 2 > this.pairs.length) {
      const grown = new Int32Array(this.pairs.length * 2);
      grown.set(this.pairs);
      this.pairs = grown;
    }
    this.pairs[this.length++] = ki;
    this.pairs[this.length++] = end;
  }
}
