/**
 * Every importer against wrong-typed fields, systematically: for each field of a valid export (the
 * first two entries of every list), the field set to a value of another type, and to null. The Entra
 * importer threw a TypeError on a `notCovered` that was not a list; this sweep looks for that class of
 * bug in every importer at once. Each mutated export must be read, read in part (named in
 * `notCovered`), or refused with a clear error; no rule may trip over what an importer let through.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.js';
import { runScan } from '../../src/engine.js';
import { silentLogger } from '../../src/log.js';
import { findImporter } from '../../src/engine.js';
import { IMPORTERS_WITHOUT_JSON_SAMPLE, importSamples, renderSample } from '../support/import-samples.js';
import { builtinRegistry } from '../support/registry.js';

/** At most this many fields per export, spread over the whole file (keeps the sweep to seconds). */
const MAX_FIELDS = 60;
const CRASH = /TypeError|Cannot use 'in'|Cannot read|Cannot convert|is not a function|is not iterable|of undefined|of null|Maximum call stack/;

/** Paths of every value below the root; lists contribute their first two entries. */
function fieldPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (path.length) out.push(path);
  if (value === null || typeof value !== 'object' || path.length > 10) return out;
  if (Array.isArray(value)) value.slice(0, 2).forEach((v, i) => fieldPaths(v, [...path, i], out));
  else for (const [k, v] of Object.entries(value)) fieldPaths(v, [...path, k], out);
  return out;
}

function spread<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

function wrongTyped(value: unknown): unknown {
  if (typeof value === 'string') return 7;
  if (typeof value === 'number') return 'seven';
  if (typeof value === 'boolean') return 'false';
  if (Array.isArray(value)) return 'a list?';
  if (value === null) return { unexpected: true };
  return ['an object?'];
}

function withValue(base: unknown, path: (string | number)[], make: (old: unknown) => unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  parent[last] = make(parent[last]);
  return copy;
}

describe('the import samples', () => {
  it('hold one export for every registered importer (a new importer needs a sample in test/support/import-samples.ts)', async () => {
    const registered = (await builtinRegistry()).importers.map((i) => i.id);
    const sampled = new Set([...Object.values(importSamples()).map((s) => s.importer), ...Object.keys(IMPORTERS_WITHOUT_JSON_SAMPLE)]);
    expect(registered.filter((id) => !sampled.has(id))).toEqual([]);
  });

  it.each(Object.entries(importSamples()))('%s is read by the importer it names', async (_name, sample) => {
    const { importer } = findImporter((await builtinRegistry()).importers, 'export.json', renderSample(sample));
    expect(importer?.id).toBe(sample.importer);
  });
});

describe('every importer, every field wrong-typed or null', () => {
  const samples = Object.entries(importSamples());
  it.each(samples)('%s', async (_name, sample) => {
    const paths = spread(fieldPaths(sample.json), MAX_FIELDS);
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-wrong-types-'));
    const files: string[] = [];
    const described = new Map<string, string>();
    paths.forEach((path, i) => {
      for (const [variant, make] of [
        ['wrong', wrongTyped],
        ['null', () => null],
      ] as const) {
        const file = `${i}-${variant}.json`;
        writeFileSync(join(dir, file), renderSample(sample, withValue(sample.json, path, make)));
        described.set(`import:${file}`, `${JSON.stringify(path)} ${variant}`);
        files.push(file);
      }
    });
    const result = await runScan({
      registry: await builtinRegistry(),
      config: defaultConfig(),
      sources: files.map((f) => `import:${f}`),
      options: sample.options,
      log: silentLogger,
      now: new Date('2026-11-29T00:00:00Z'),
      baseDir: dir,
    });
    const crashes = result.sources.flatMap((s) =>
      [...s.errors.map((e) => e.message), ...s.notCovered.map((n) => n.reason)].filter((m) => CRASH.test(m)).map((m) => `${described.get(s.spec)}: ${m}`),
    );
    expect(crashes).toEqual([]);
    expect(result.analysisErrors.map((e) => `${e.id}: ${e.message}`)).toEqual([]);
    // The sweep reached the importer: most mutations are read (ok or partial), not refused.
    expect(result.sources.filter((s) => s.status !== 'failed').length).toBeGreaterThan(files.length / 2);
  });
});
