/**
 * Acceptance: recall and precision on a labelled corpus generated at test time.
 * Recall >= 0.98 on structured families, precision >= 0.95 overall. Prints the per-family table.
 */
import { describe, expect, it } from 'vitest';
import { scanText, type SecretHit } from '../../src/secrets/index.js';
import { buildCorpus, type CorpusFamily, type Sample } from '../../testkit/secret-corpus.js';

interface Row {
  positives: number;
  found: number;
  hits: number;
  truePositives: number;
  falsePositives: number;
}

const STRUCTURED: CorpusFamily[] = ['structured-token', 'cloud-key', 'private-key', 'jwt'];

function evaluate(corpus: Sample[]): { rows: Map<CorpusFamily, Row>; misses: string[]; falsePositives: string[] } {
  const rows = new Map<CorpusFamily, Row>();
  const misses: string[] = [];
  const falsePositives: string[] = [];
  const row = (f: CorpusFamily): Row => {
    let r = rows.get(f);
    if (!r) rows.set(f, (r = { positives: 0, found: 0, hits: 0, truePositives: 0, falsePositives: 0 }));
    return r;
  };
  for (const s of corpus) {
    const hits: SecretHit[] = scanText(s.text, { path: s.path });
    const r = row(s.family);
    if (s.expect) r.positives++;
    let matched = false;
    for (const h of hits) {
      r.hits++;
      const isExpected = !matched && s.expect !== undefined && h.detectorId === s.expect.detectorId && h.value === s.expect.value;
      if (isExpected) {
        matched = true;
        r.truePositives++;
        for (const [k, v] of Object.entries(s.expect!.decoded ?? {})) expect(h.decoded?.[k], `${s.label} decoded.${k}`).toBe(v);
      } else {
        r.falsePositives++;
        falsePositives.push(`${s.label} @ ${s.path}: got ${h.detectorId} (${h.confidence}) len=${h.value.length}`);
      }
    }
    if (s.expect) {
      if (matched) r.found++;
      else misses.push(`${s.label} @ ${s.path}: got [${hits.map((h) => h.detectorId).join(', ')}]`);
    }
  }
  return { rows, misses, falsePositives };
}

describe('labelled corpus', () => {
  const corpus = buildCorpus();
  const { rows, misses, falsePositives } = evaluate(corpus);

  it('prints the recall/precision table', () => {
    const lines = ['family            positives  recall  hits  precision'];
    let tp = 0,
      hits = 0;
    for (const [family, r] of [...rows].sort()) {
      tp += r.truePositives;
      hits += r.hits;
      const recall = r.positives ? (r.found / r.positives).toFixed(3) : '  -  ';
      const precision = r.hits ? (r.truePositives / r.hits).toFixed(3) : '  -  ';
      lines.push(`${family.padEnd(18)}${String(r.positives).padStart(9)}  ${recall.padStart(6)}  ${String(r.hits).padStart(4)}  ${precision.padStart(9)}`);
    }
    lines.push(
      `overall precision ${(tp / hits).toFixed(3)} over ${hits} hits; ${corpus.length} samples (${corpus.filter((s) => !s.expect).length} hard negatives)`,
    );
    console.log(lines.join('\n'));
    if (misses.length) console.log('misses:\n  ' + misses.join('\n  '));
    if (falsePositives.length) console.log('false positives:\n  ' + falsePositives.join('\n  '));
    expect(corpus.length).toBeGreaterThan(300);
  });

  it('recall >= 0.98 on structured tokens, cloud keys, private keys and JWTs', () => {
    let positives = 0,
      found = 0;
    for (const f of STRUCTURED) {
      const r = rows.get(f)!;
      positives += r.positives;
      found += r.found;
    }
    expect(positives).toBeGreaterThan(200);
    expect(found / positives).toBeGreaterThanOrEqual(0.98);
  });

  it('recall >= 0.9 on URL credentials, manifests and generic assignments', () => {
    for (const f of ['url-credential', 'manifest', 'generic'] as const) {
      const r = rows.get(f)!;
      expect(r.found / r.positives, f).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('precision >= 0.95 overall', () => {
    let tp = 0,
      hits = 0;
    for (const r of rows.values()) {
      tp += r.truePositives;
      hits += r.hits;
    }
    expect(tp / hits).toBeGreaterThanOrEqual(0.95);
  });

  it('reports nothing on the hard negatives', () => {
    const negatives = corpus.filter((s) => !s.expect);
    const noisy = negatives.filter((s) => scanText(s.text, { path: s.path }).length > 0).map((s) => `${s.label} @ ${s.path}`);
    expect(noisy).toEqual([]);
  });
});
