/**
 * One test over the whole detector catalogue: every entry is complete, has examples, finds each of its
 * positive examples and none of its negatives (examples are expanded from templates at test time).
 */
import { describe, expect, it } from 'vitest';
import { holdsKeystore, scanBytes, scanText } from '../../src/secrets/index.js';
import { CATALOGUE } from '../../src/secrets/detectors/index.js';
import { examplesOf, fakeJavaKeystoreBytes, fakePkcs12Bytes } from '../../testkit/catalogue-examples.js';

describe('detector catalogue', () => {
  it('holds at least 400 detectors with unique ids', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(400);
    expect(new Set(CATALOGUE.map((e) => e.id)).size).toBe(CATALOGUE.length);
  });

  it('holds complete entries: ids, titles, providers, keywords, confidence, references and examples', () => {
    const problems: string[] = [];
    for (const e of CATALOGUE) {
      if (!/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/.test(e.id)) problems.push(`${e.id}: id is not kebab-case`);
      if (!e.title || !e.provider) problems.push(`${e.id}: no title or provider`);
      if (!e.keywords.length) problems.push(`${e.id}: no keywords`);
      if (!['validated', 'structured', 'generic'].includes(e.confidence)) problems.push(`${e.id}: confidence ${e.confidence}`);
      if (!e.references.length || e.references.some((r) => !/^https:\/\//.test(r))) problems.push(`${e.id}: references`);
      if (!e.examples.positive.length) problems.push(`${e.id}: no positive example`);
      if (!e.examples.negative.length) problems.push(`${e.id}: no negative example`);
    }
    expect(problems).toEqual([]);
  });

  it('finds every positive example and none of the negatives', () => {
    const failures: string[] = [];
    for (const entry of CATALOGUE) {
      const { positive, negative } = examplesOf(entry);
      positive.forEach((ex, i) => {
        const hits = scanText(ex.text, { path: ex.path });
        if (!hits.some((h) => h.detectorId === entry.id))
          failures.push(`${entry.id}: misses positive #${i} (got [${hits.map((h) => h.detectorId).join(', ')}])`);
      });
      negative.forEach((ex, i) => {
        if (scanText(ex.text, { path: ex.path }).some((h) => h.detectorId === entry.id)) failures.push(`${entry.id}: matches negative #${i}`);
      });
    }
    expect(failures).toEqual([]);
  });
});

describe('keystores by structure', () => {
  it('scanBytes reports binary PKCS#12, JKS and JCEKS files, valued by their bytes, and nothing for other binaries', () => {
    for (const [bytes, id, format] of [
      [fakePkcs12Bytes(), 'pkcs12-keystore', 'pkcs12'],
      [fakeJavaKeystoreBytes('jks'), 'java-keystore', 'jks'],
      [fakeJavaKeystoreBytes('jceks'), 'java-keystore', 'jceks'],
    ] as const) {
      expect(holdsKeystore(bytes)).toBe(true);
      const { hits } = scanBytes(bytes, { path: 'keys/anything' });
      expect(hits.map((h) => [h.detectorId, h.decoded?.format, h.value === bytes.toString('base64')])).toEqual([[id, format, true]]);
      expect(scanBytes(bytes, { path: 'x', allowlist: { detectors: [id] } }).hits).toEqual([]);
    }
    const notAKeystore = Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x01]), Buffer.alloc(300)]);
    expect(holdsKeystore(notAKeystore)).toBe(false);
    expect(scanBytes(notAKeystore, { path: 'cert.der' }).hits).toEqual([]);
  });
});
