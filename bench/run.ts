/**
 * `npm run bench`: runs every benchmark module in bench/ (each exports
 * `run({ quick }) => { name, lines }`) and prints their figures. Each benchmark measures nhiscan
 * against a baseline in the same run and reports a ratio, so figures compare across machines.
 *
 *   npm run bench                 all benchmarks, full size
 *   npm run bench -- --quick      small sizes (a smoke test of the benchmarks themselves)
 *   npm run bench -- git aws      only those
 */
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadZod } from '../src/zod-lazy.js';

interface BenchModule {
  run(args: { quick: boolean }): Promise<{ name: string; lines: string[] }>;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const here = dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js' && !f.startsWith('_'))
  .filter((f) => !only.length || only.includes(basename(f, '.js')))
  .sort();

// The benches call nhiscan's modules in-process, as the CLI does with a config: zod first (src/zod-lazy.ts).
await loadZod();
let failed = 0;
for (const file of modules) {
  const mod = (await import(pathToFileURL(`${here}/${file}`).href)) as Partial<BenchModule>;
  if (typeof mod.run !== 'function') continue;
  process.stdout.write(`\n## ${basename(file, '.js')}\n`);
  try {
    const started = Date.now();
    const result = await mod.run({ quick });
    process.stdout.write(`${result.name}\n${result.lines.map((l) => `  ${l}`).join('\n')}\n  (bench took ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  } catch (error) {
    failed++;
    process.stdout.write(`  FAILED: ${(error as Error).stack ?? error}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
