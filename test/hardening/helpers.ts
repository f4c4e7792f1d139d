/** Runs the CLI in-process (no build, no subprocess) and captures what it writes to stdout and stderr. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli.js';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(args: string[]): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

export function scratch(prefix = 'nhiscan-hardening-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every report format's text, concatenated (whichever were written). */
export function allReports(outDir: string): string {
  return ['nhiscan-report.json', 'nhiscan-report.md', 'nhiscan-report.sarif']
    .map((name) => {
      try {
        return readFileSync(join(outDir, name), 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
}
