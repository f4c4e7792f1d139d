/**
 * No plaintext secret in any output, whatever field of an export holds it: for every importer, a token
 * is planted in a random string field (an IAM user name, a tag, a description, an Entra displayName or
 * notes, a GCP label, a role name…), alone, glued to text, inside a sentence or as a `password=` pair.
 * The scan's reports in every format, its log lines and its source errors must not contain it. The
 * identifiers that joins need (AWS access key ids) stay as they are: the golden reports prove that.
 * Bounded for CI: few runs per importer, a fixed seed so a failure reproduces.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderToString, reporters } from '../../reports/index.js';
import { defaultConfig } from '../../src/config.js';
import { runScan } from '../../src/engine.js';
import type { Logger } from '../../src/log.js';
import { buildReport } from '../../src/report-model.js';
import { VERSION } from '../../src/version.js';
import * as fake from '../../testkit/fake-tokens.js';
import { importSamples, renderSample } from '../support/import-samples.js';
import { builtinRegistry } from '../support/registry.js';

const rng = new fake.Rng(20261206);
const TOKENS = [
  fake.fakeGithubClassicPat(rng),
  fake.fakeSlackBotToken(rng),
  fake.fakeStripeLiveKey(rng),
  fake.fakeOpenAiKey(rng),
  fake.fakeNpmToken(rng),
  fake.fakeGitlabPat(rng),
];
const PASSWORD = fake.fakePassword(rng);
/** How the value sits in the field. */
const PLACINGS: ((token: string) => string)[] = [
  (t) => t,
  (t) => `x${t}`,
  (t) => `rotate ${t} before Friday`,
  (t) => `deploy-bot\u001b]8;;${t}\u0007`,
  () => `password=${PASSWORD}`,
];

/** Paths of every string value (and of object keys, as `{key}`), lists contributing their first three entries. */
function stringPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === 'string') out.push(path);
  if (value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) value.slice(0, 3).forEach((v, i) => stringPaths(v, [...path, i], out));
  else for (const [k, v] of Object.entries(value)) stringPaths(v, [...path, k], out);
  return out;
}

function planted(base: unknown, path: (string | number)[], text: string): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = text;
  return copy;
}

function recordingLogger(lines: string[]): Logger {
  const write = (message: string) => void lines.push(message);
  return { debug: write, info: write, warn: write, error: write };
}

/** Every output of one scan of `text`: the reports in every format, the log, the sources' errors. */
async function outputsOf(text: string, options?: Record<string, unknown>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nhiscan-planted-'));
  writeFileSync(join(dir, 'export.json'), text);
  const log: string[] = [];
  const now = new Date('2026-11-29T00:00:00Z');
  const result = await runScan({
    registry: await builtinRegistry(),
    config: defaultConfig(),
    sources: ['import:export.json'],
    options,
    log: recordingLogger(log),
    now,
    baseDir: dir,
  });
  const rules = [...(await builtinRegistry()).rules.values()].map((r) => r.meta);
  const report = buildReport({ result, findings: result.findings, version: VERSION, rules, gate: result.gate, now });
  const rendered = await Promise.all(Object.values(reporters).map((reporter) => renderToString(reporter, report)));
  return [...rendered, log.join('\n'), JSON.stringify(result.sources)];
}

describe('a token planted in any string field of any export reaches no output', () => {
  it('covers every report format', () => expect(Object.keys(reporters).sort()).toEqual(expect.arrayContaining(['json', 'md', 'sarif'])));

  it.each(Object.entries(importSamples()))('%s', async (_name, sample) => {
    const paths = stringPaths(sample.json);
    expect(paths.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.nat(paths.length - 1), fc.nat(TOKENS.length - 1), fc.nat(PLACINGS.length - 1), async (p, t, placing) => {
        const token = TOKENS[t]!;
        const value = PLACINGS[placing]!(token);
        const secret = value.startsWith('password=') ? PASSWORD : token;
        const outputs = await outputsOf(renderSample(sample, planted(sample.json, paths[p]!, value)), sample.options);
        for (const output of outputs) expect(output).not.toContain(secret);
      }),
      { numRuns: 8, seed: 1806, endOnFailure: true },
    );
  });
});
