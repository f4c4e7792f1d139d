/**
 * The prefilter: one pass over a file finds every detector keyword (case-insensitive) with an
 * Aho-Corasick automaton compiled to a dense DFA, so the cost is one table lookup per character
 * whatever the number of keywords. It also records line starts on the way, which the engine needs
 * for line numbers and windows, so a file is only walked once before the confirming regexes run.
 */

export interface KeywordScan {
  /** Offsets where each line starts (lineStarts[0] = 0). */
  lineStarts: number[];
}

export class KeywordMatcher {
  /** UTF-16 code unit -> character class (case folded); 0 = in no keyword. 64 KB, so no branches in the loop. */
  private readonly classOf = new Uint8Array(65536);
  /** Pre-multiplied transition table: delta[stateBase + class] = next stateBase (stateBase = state * alphabet). */
  private readonly delta: Int32Array;
  /** stateBase -> 1 when entering that state completes at least one keyword. */
  private readonly hasOutput: Uint8Array;
  private readonly outputs = new Map<number, Int32Array>();

  constructor(readonly keywords: readonly string[]) {
    let classes = 1;
    const lowerClass = new Map<number, number>();
    for (const kw of keywords) {
      for (const ch of kw.toLowerCase()) {
        const c = ch.charCodeAt(0);
        if (c >= 128) throw new Error(`keyword must be ASCII: ${kw}`);
        if (!lowerClass.has(c)) lowerClass.set(c, classes++);
      }
    }
    if (classes > 255) throw new Error('too many distinct keyword characters');
    for (const [c, cls] of lowerClass) {
      this.classOf[c] = cls;
      const upper = String.fromCharCode(c).toUpperCase().charCodeAt(0);
      if (upper !== c && upper < 128) this.classOf[upper] = cls;
    }
    const A = classes;

    // Trie over classes.
    const goto: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    keywords.forEach((kw, index) => {
      let st = 0;
      for (const ch of kw.toLowerCase()) {
        const cls = lowerClass.get(ch.charCodeAt(0))!;
        let next = goto[st]!.get(cls);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          out.push([]);
          goto[st]!.set(cls, next);
        }
        st = next;
      }
      out[st]!.push(index);
    });

    // Breadth-first failure links folded into a complete DFA.
    const states = goto.length;
    const delta = new Int32Array(states * A);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let cls = 0; cls < A; cls++) {
      const next = goto[0]!.get(cls);
      if (next !== undefined) {
        delta[cls] = next;
        queue.push(next);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const st = queue[qi]!;
      out[st]!.push(...out[fail[st]!]!);
      for (let cls = 0; cls < A; cls++) {
        const next = goto[st]!.get(cls);
        if (next !== undefined) {
          fail[next] = delta[fail[st]! * A + cls]!;
          delta[st * A + cls] = next;
          queue.push(next);
        } else {
          delta[st * A + cls] = delta[fail[st]! * A + cls]!;
        }
      }
    }
    for (let i = 0; i < delta.length; i++) delta[i] = delta[i]! * A;
    this.delta = delta;
    this.hasOutput = new Uint8Array(states * A);
    for (let st = 0; st < states; st++) {
      if (out[st]!.length === 0) continue;
      this.hasOutput[st * A] = 1;
      this.outputs.set(st * A, Int32Array.from(new Set(out[st]!)));
    }
  }

  /**
   * Walks `text` once. `onHit(keywordIndex, endOffset)` is called for every keyword occurrence
   * (endOffset is one past its last character).
   */
  scan(text: string, onHit: (keyword: number, end: number) => void): KeywordScan {
    const { classOf, delta, hasOutput, outputs } = this;
    const lineStarts = [0];
    let state = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      state = delta[state + classOf[c]!]!;
      if (hasOutput[state] === 1) {
        const list = outputs.get(state)!;
        for (let k = 0; k < list.length; k++) onHit(list[k]!, i + 1);
      }
      if (c === 10) lineStarts.push(i + 1);
    }
    return { lineStarts };
  }
}
