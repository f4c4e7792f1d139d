/**
 * Reports are identical before and after a refactor: the sample estate and the git corpus, scanned by
 * this tree's CLI (in-process), must give exactly the golden reports in this folder, fingerprints,
 * ids, Markdown and SARIF included. A change meant to change findings regenerates them in the same
 * commit with `npm run golden` (see DEVELOPERS.md).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli.js';
import { GOLDEN_CASES, goldenPath, runGoldenCase, serialiseGolden, type CliRunner } from '../../testkit/golden.js';

/** The CLI in this process, run from `cwd` (sources are named relative to it). */
const inProcess: CliRunner = async (args, cwd) => {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await main(args);
  } finally {
    process.chdir(before);
  }
};

/** Where two JSON values differ, as paths (the first few): a readable failure for a 1 MB report. */
function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (out.length >= 12) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (a !== b) out.push(`${path}: ${JSON.stringify(a)?.slice(0, 120)} became ${JSON.stringify(b)?.slice(0, 120)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`, out);
  return out;
}

describe('reports are identical to the golden ones (npm run golden regenerates them)', () => {
  for (const goldenCase of GOLDEN_CASES) {
    it(
      goldenCase.name,
      async () => {
        const golden = JSON.parse(readFileSync(goldenPath(goldenCase.name), 'utf8'));
        const actual = JSON.parse(serialiseGolden(await runGoldenCase(goldenCase, inProcess)));
        expect(differences(golden, actual)).toEqual([]);
        expect(actual.report.findings.length).toBeGreaterThan(0);
      },
      120_000,
    );
  }
});
