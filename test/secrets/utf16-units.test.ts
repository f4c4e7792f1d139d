/**
 * The engine's stand-in for a decoded UTF-8 string must be that string: the same code units, slices equal
 * to the string's own (a surrogate pair cut in two included), and the prefilter's hits over the units those
 * it finds in the string (non-ASCII units read by their low byte: `Ŵoken` holds "token").
 */
import { describe, expect, it } from 'vitest';
import { KeywordMatcher } from '../../src/secrets/keywords.js';
import { unitsToString, utf16Units } from '../../src/secrets/utf16-units.js';
import { Rng } from '../../testkit/fake-tokens.js';

describe('utf16Units', () => {
  const pieces = ['a', 'Z', '\n', '=', 'é', 'Ŵ', 'п', 'ѕ', '密', '\u00a0', '\ufeff', '😀', '𝔘', '\u07ff', '\u0800', '\uffff', '\u{10ffff}'];

  it('gives the code units, slices and low bytes of buffer.toString("utf8"), pairs cut in two included', () => {
    const rng = new Rng(7);
    for (let round = 0; round < 200; round++) {
      // Short texts and long ones.
      const length = round % 2 ? 1 + rng.int(300) : 1500 + rng.int(3000);
      const text = Array.from({ length }, () => pieces[rng.int(pieces.length)]).join('');
      const bytes = Buffer.from(`xx${text}yy`, 'utf8');
      const units = utf16Units(bytes, 2, bytes.length - 2)!;
      expect(Array.from(units)).toEqual(Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)));
      expect(unitsToString(units, 0, units.length)).toBe(text);
      const from = rng.int(text.length),
        to = from + rng.int(text.length - from + 1);
      expect(unitsToString(units, from, to)).toBe(text.slice(from, to));
    }
  });

  it('reads runs of ASCII a word at a time wherever the text lies in its memory, with the same units', () => {
    const rng = new Rng(11);
    const ascii = ['a', 'msgid "', 'credential.helper', '\n', '=', '0123456789abcdef'];
    for (let round = 0; round < 300; round++) {
      // Runs of ASCII of every length around a word, between multi-byte characters, at each alignment.
      const parts = Array.from({ length: 1 + rng.int(60) }, () =>
        rng.int(3) ? ascii[rng.int(ascii.length)]!.repeat(1 + rng.int(4)) : pieces[rng.int(pieces.length)]!,
      );
      const text = parts.join('');
      const encoded = Buffer.from(text, 'utf8');
      const lead = rng.int(8),
        trail = rng.int(8);
      const memory = Buffer.alloc(lead + encoded.length + trail, 0xff); // not UTF-8 around the text
      encoded.copy(memory, lead);
      const bytes = memory.subarray(rng.int(lead + 1)); // the view's own offset varies too
      const start = lead - memory.length + bytes.length;
      const units = utf16Units(bytes, start, start + encoded.length)!;
      expect(unitsToString(units, 0, units.length)).toBe(text);
    }
  });

  it('gives the prefilter the hits it finds in the string, by direct search and by the automaton', () => {
    const keywords = ['token', 'password', 'key', 'ghp_'];
    const text = 'Ŵoken пароль password=密码 ghp_x 😀key ŋey Ŵokentoken';
    const units = utf16Units(Buffer.from(text, 'utf8'), 0, Buffer.byteLength(text))!;
    for (const directBudget of [1 << 16, 0]) {
      const fromText: number[] = [],
        fromUnits: number[] = [];
      new KeywordMatcher(keywords, { directBudget }).scan(text, (k, end) => fromText.push(k, end));
      new KeywordMatcher(keywords, { directBudget }).scanUnits(units, (k, end) => fromUnits.push(k, end));
      expect(fromUnits).toEqual(fromText);
      expect(fromText.filter((_, i) => i % 2 === 0 && fromText[i] === 0)).toHaveLength(3); // two of the "token"s are the low bytes of Ŵ
    }
  });

  it('refuses bytes that are not UTF-8 cut on character boundaries, so the caller decodes them', () => {
    for (const pad of ['', 'é'.repeat(5000)]) {
      const pair = Buffer.from(`${pad}ab😀`, 'utf8');
      expect(utf16Units(pair, 0, pair.length - 1)).toBeUndefined(); // the emoji cut at the end
      const padded = (bytes: number[]) => Buffer.concat([Buffer.from(pad), Buffer.from(bytes)]);
      expect(utf16Units(padded([0x61, 0xff, 0x62]), 0, padded([0x61, 0xff, 0x62]).length)).toBeUndefined();
      expect(utf16Units(padded([0xc0, 0x80]), 0, padded([0xc0, 0x80]).length)).toBeUndefined();
    }
  });
});
