/**
 * Scan workers send their plain results (no hit, nothing but outcome and size) packed as numbers: the
 * main thread must get back exactly the results the worker made, in the same order, whatever their mix.
 */
import { describe, expect, it } from 'vitest';
import { packReply, unpackResults } from '../../src/secret-scan/packed-results.js';
import type { WorkResult } from '../../src/secret-scan/worker.js';

/** A reply after the trip: cloned as postMessage clones it. */
const travelled = <T>(message: T): T => structuredClone(message);

describe('packed scan results', () => {
  const hit = {
    detector: 'github-pat-classic',
    title: 't',
    provider: 'github',
    severity: 'high',
    confidence: 'high',
    hash: 'h',
    preview: 'p',
    line: 3,
    column: 7,
  };
  const results = [
    { key: 0, hits: [], nonUtf8: false, outcome: 'scanned', size: 3041 },
    { key: 1, hits: [], nonUtf8: true, outcome: 'scanned', size: 0x1_2345_6789 },
    { key: 7, hits: [hit], nonUtf8: false, outcome: 'scanned', size: 99 },
    { key: 2, hits: [], nonUtf8: false, outcome: 'missing' },
    { key: 3, hits: [], nonUtf8: false, outcome: 'hand-back', error: 'delta chain too large to resolve in memory' },
    { key: 4, hits: [], nonUtf8: false, outcome: 'scanned', size: 12, hitsOverCap: 5 },
    { key: 5, hits: [], nonUtf8: false, outcome: 'scanned', size: 12, hiddenByPath: true },
    { key: 6, hits: [], nonUtf8: false, outcome: 'too-large', size: 2 ** 40 },
    { key: 2 ** 40 + 3, hits: [], nonUtf8: false, outcome: 'binary', size: 5 },
    { key: 8, hits: [], nonUtf8: false, outcome: 'scanned', size: undefined },
    { key: 9, hits: [], nonUtf8: false, size: 1 },
  ] as WorkResult[];

  it('come back as the worker made them, in order, key for key and field for field', () => {
    const { message, transfer } = packReply({ batch: 4, results, failed: 'git cat-file failed' });
    expect(transfer).toHaveLength(2);
    expect(message.results.map((r) => r.key)).toEqual([7, 3, 4, 5, 8, 9]); // the others went as numbers
    const back = travelled(message);
    expect(back.failed).toBe('git cat-file failed');
    const unpacked = unpackResults(back);
    expect(unpacked).toStrictEqual(travelled(results));
    expect(unpacked.map((r) => Object.keys(r))).toEqual(results.map((r) => Object.keys(r)));
  });

  it('send an outcome the table does not know whole, so no later result shifts', () => {
    // A value a type check missed (a plugin's, a future Outcome): packed as -1 it once read back as an
    // object code, and every later object result moved up by one.
    const mixed = [results[0]!, { key: 20, hits: [], nonUtf8: false, outcome: 'skipped-new', size: 4 }, results[2]!, results[0]!] as WorkResult[];
    const { message } = packReply({ batch: 5, results: mixed });
    expect(message.results.map((r) => r.key)).toEqual([20, 7]);
    expect(unpackResults(travelled(message))).toStrictEqual(travelled(mixed));
  });

  it('leave a reply of one result, or none, as it was', () => {
    expect(unpackResults(travelled(packReply({ batch: 1, results: results.slice(0, 1) }).message))).toStrictEqual(results.slice(0, 1));
    expect(unpackResults(travelled(packReply({ batch: 2, results: [] }).message))).toEqual([]);
  });
});
