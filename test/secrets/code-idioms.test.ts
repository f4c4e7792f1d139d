/**
 * Precision on real code: idioms where a secret-like name stands next to code, a reference or a
 * placeholder are reported clean, and the real secrets placed among them are still found.
 */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../src/secrets/index.js';
import { isCodeValue, isPlaceholder } from '../../src/secrets/value-checks.js';
import { CODE_IDIOMS, idiomPositives } from '../../testkit/code-idioms.js';

describe('real-code idioms', () => {
  it.each(CODE_IDIOMS.map((i) => [i.label, i] as const))('%s: no finding', (_label, idiom) => {
    const hits = scanText(idiom.text, { path: idiom.path });
    expect(hits.map((h) => `${h.detectorId} ${h.line}:${h.column} ${h.value}`)).toEqual([]);
  });

  it.each(idiomPositives().map((s) => [s.label, s] as const))('%s: still found', (_label, sample) => {
    const hits = scanText(sample.text, { path: sample.path });
    expect(hits.map((h) => [h.detectorId, h.value])).toContainEqual([sample.detectorId, sample.value]);
  });

  it('every idiom file with its positives spliced in yields exactly the positives', () => {
    for (const sample of idiomPositives()) {
      const idioms = CODE_IDIOMS.filter((i) => i.path.split('.').pop() === sample.path.split('.').pop())
        .map((i) => i.text)
        .join('\n');
      const hits = scanText(`${idioms}\n${sample.text}`, { path: sample.path });
      expect(
        hits.map((h) => h.value),
        sample.label,
      ).toEqual([sample.value]);
    }
  });
});

describe('value checks', () => {
  it('code is never a value', () => {
    for (const code of [
      '$1',
      '$3',
      '$VAR',
      '${VAR}',
      '${VAR:-x}',
      '$(cat f)',
      '`cat f`',
      '$self->_scramble',
      '$x->y',
      '%VAR%',
      '{{ .Values.x }}',
      '${{ secrets.X }}',
      'process.env.X',
      'os.environ["X"]',
      '.value.object',
      '&server.masterauth',
      'getPassword()',
      'NULL',
      'Foo::bar',
    ]) {
      expect(isCodeValue(code), code).toBe(true);
    }
    expect(isCodeValue('config', '->password')).toBe(true);
    expect(isCodeValue('getpass', '("P')).toBe(true);
  });

  it('literals with symbols are values', () => {
    for (const literal of ['Xk9#mQ2vL7pR', '$2y$10$abcdefghijklmnopqrstuv', 'p%4dss%41word9', 'a$b', 'S3cure!Pa55-Zq']) {
      expect(isCodeValue(literal), literal).toBe(false);
    }
  });

  it('placeholders are never values', () => {
    for (const value of ['changeme', '<password>', 'your-api-key', 'xxxx', 'p4ssw0rd', 'secr3t', 'passwd-on-proxy', 'passw@rd'])
      expect(isPlaceholder(value), value).toBe(true);
    expect(isPlaceholder('Xk9#mQ2vL7pR')).toBe(false);
  });
});
