/**
 * The engine lists only the detectors a text's keywords trigger, and confirms them in catalogue order
 * whatever order their keywords come in (keywordSpans). A text holding the catalogue's positive examples
 * in reverse order, far apart, must report exactly what each example reports alone, and so must the same
 * text scanned again (the scanner's reused per-detector slots left clean) and its bytes (scanBytes).
 */
import { describe, expect, it } from 'vitest';
import { scanBytes, scanText, type SecretHit } from '../../src/secrets/index.js';
import { CATALOGUE } from '../../src/secrets/detectors/index.js';
import { examplesOf } from '../../testkit/catalogue-examples.js';

/** Lines between two examples: no keyword, and more than any detector's window reaches. */
const GAP = Array.from({ length: 40 }, () => '.'.repeat(100));

const described = (hits: SecretHit[], lineShift: number) => hits.map((h) => `${h.detectorId} ${h.line + lineShift}:${h.column} ${h.value}`);

describe('detectors triggered out of catalogue order', () => {
  it('a text of every positive example, last detector first, reports what each example reports alone', () => {
    const examples = CATALOGUE.flatMap((entry) => examplesOf(entry).positive.slice(0, 1));
    const paths = new Map<string, number>();
    for (const ex of examples) paths.set(ex.path, (paths.get(ex.path) ?? 0) + 1);
    const path = [...paths].sort((a, b) => b[1] - a[1])[0]![0];
    const chosen = examples.filter((ex) => ex.path === path && !ex.text.includes('\r')).reverse();
    expect(chosen.length).toBeGreaterThan(100);

    const parts: string[] = [];
    const expected: string[] = [];
    let line = 0;
    for (const ex of chosen) {
      expected.push(...described(scanText(ex.text, { path }), line));
      parts.push(ex.text, ...GAP);
      line += ex.text.split('\n').length + GAP.length;
    }
    const text = parts.join('\n');
    expect(expected.length).toBeGreaterThan(100);
    const first = described(scanText(text, { path }), 0);
    expect(first).toEqual(expected);
    expect(described(scanText(text, { path }), 0)).toEqual(expected);
    expect(described(scanBytes(Buffer.from(text), { path }).hits, 0)).toEqual(expected);
  });
});
