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
  private readonly alphabet: number; // number of character classes
  private readonly classOf = new Uint8Array(128); // ASCII (lower-cased) -> class; 0 = not in any keyword
  private readonly delta: Int32Array; // state * alphabet + class -> next state
  private readonly outStart: Int32Array; // state -> start in outList
  private readonly outList: Int32Array; // keyword indices matched on entering a state

  constructor(readonly keywords: readonly string[]) {
    let classes = 1;
    for (const kw of keywords) {
      for (const ch of kw.toLowerCase()) {
        const c = ch.charCodeAt(0);
        if (c >= 128) throw new Error(`keyword must be ASCII: ${kw}`);
        if (this.classOf[c] === 0) this.classOf[c] = classes++;
      }
    }
    this.alphabet = classes;

    // Trie.
    const goto: Map<number, number>[] = [new Map()];
    const outputs: number[][] = [[]];
    keywords.forEach((kw, index) => {
      let s = 0;
      for (const ch of kw.toLowerCase()) {
        const cls = this.classOf[ch.charCodeAt(0)]!;
        let next = goto[s]!.get(cls);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          outputs.push([]);
          goto[s]!.set(cls, next);
        }
        s = next;
      }
      outputs[s]!.push(index);
    });

    // Breadth-first failure links, folded into a full DFA.
    const states = goto.length;
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let cls = 0; cls < classes; cls++) {
      const next = goto[0]!.get(cls);
      if (next !== undefined) {
        delta[cls] = next;
        fail[next] = 0;
        queue.push(next);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      outputs[s]!.push(...outputs[fail[s]!]!);
      for (let cls = 0; cls < classes; cls++) {
        const next = goto[s]!.get(cls);
        if (next !== undefined) {
          fail[next] = delta[fail[s]! * classes + cls]!;
          delta[s * classes + cls] = next;
          queue.push(next);
        } else {
          delta[s * classes + cls] = delta[fail[s]! * classes + cls]!;
        }
      }
    }
    this.delta = delta;
    this.outStart = new Int32Array(states + 1);
    const flat: number[] = [];
    for (let s = 0; s < states; s++) {
      this.outStart[s] = flat.length;
      flat.push(...new Set(outputs[s]!));
    }
    this.outStart[states] = flat.length;
    this.outList = Int32Array.from(flat);
  }

  /**
   * Walks `text` once. `onHit(keywordIndex, endOffset)` is called for every keyword occurrence
   * (endOffset is one past its last character). Non-ASCII characters reset the automaton.
   */
  scan(text: string, onHit: (keyword: number, end: number) => void): KeywordScan {
    const { classOf, delta, outStart, outList, alphabet } = this;
    const lineStarts = [0];
    let state = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c === 10) lineStarts.push(i + 1);
      if (c >= 65 && c <= 90) c |= 32;
      const cls = c < 128 ? classOf[c]! : 0;
      state = delta[state * alphabet + cls]!;
      const from = outStart[state]!;
      const to = outStart[state + 1]!;
      for (let k = from; k < to; k++) onHit(outList[k]!, i + 1);
    }
    return { lineStarts };
  }
}
