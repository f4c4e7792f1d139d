/**
 * Secret engine throughput and linearity.
 *
 * 1. Real code: source/config files from node_modules (sorted walk, ~32 MB full, 6 MB quick) with
 *    planted GitHub tokens. nhiscan's scanText per file against two baselines measured in the same run:
 *    a newline-counting pass over the same text (the floor for any line-reporting scanner) and the
 *    naive approach of running every detector regex over every file with no keyword prefilter.
 * 2. Linearity on hostile inputs: time(4n) / time(n) for each input; ~4 means linear.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectors, scanText } from '../src/secrets/index.js';
import { base62, crc32 } from '../src/secrets/structure.js';

const EXTENSIONS = /\.(?:js|mjs|cjs|ts|json|ya?ml|md|py|sh|txt)$/;

function collect(root: string, budget: number): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  let total = 0;
  const walk = (dir: string): void => {
    let entries: string[];
    try { entries = readdirSync(dir).sort(); } catch { return; }
    for (const e of entries) {
      if (total >= budget) return;
      const full = join(dir, e);
      let st;
      try { st = statSync(full); } catch { continue; }
      if (st.isDirectory()) walk(full);
      else if (EXTENSIONS.test(e) && st.size < 2_000_000) {
        const text = readFileSync(full, 'utf8');
        out.push({ path: full, text });
        total += text.length;
      }
    }
  };
  walk(root);
  return out;
}

function plantTokens(files: Array<{ path: string; text: string }>, count: number): number {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < count; i++) {
    let r = '';
    for (let k = 0; k < 30; k++) r += alphabet[Math.floor(rand() * 62)];
    const token = ['gh', 'p_'].join('') + r + base62(crc32(r), 6);
    const f = files[Math.floor((i * files.length) / count)]!;
    f.text += `\nconst plantedToken${i} = "${token}";\n`;
  }
  return count;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export async function run(args: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const budget = args.quick ? 6_000_000 : 32_000_000;
  const files = collect(join(process.cwd(), 'node_modules'), budget);
  const planted = plantTokens(files, 100);
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  const mb = bytes / 1e6;

  // Warm up JIT on a slice.
  for (const f of files.slice(0, 50)) scanText(f.text, { path: f.path });

  let newlines = 0;
  const baselineMs = time(() => {
    for (const f of files) for (let i = f.text.indexOf('\n'); i >= 0; i = f.text.indexOf('\n', i + 1)) newlines++;
  });

  let found = 0, hits = 0;
  const scanMs = time(() => {
    for (const f of files) {
      const h = scanText(f.text, { path: f.path });
      hits += h.length;
      found += h.filter((x) => x.detectorId === 'github-pat-classic').length;
    }
  });

  // Naive: every regex over every file, no prefilter, on a sample (extrapolated per MB).
  const sample = files.slice(0, Math.max(1, Math.floor(files.length / (args.quick ? 4 : 16))));
  const sampleMb = sample.reduce((n, f) => n + f.text.length, 0) / 1e6;
  const regexes = detectors.map((d) => new RegExp(d.pattern.source, d.pattern.flags.includes('g') ? d.pattern.flags : d.pattern.flags + 'g'));
  const naiveSampleMs = time(() => {
    for (const f of sample) for (const re of regexes) { re.lastIndex = 0; while (re.exec(f.text)) { /* count */ } }
  });
  const naiveMs = (naiveSampleMs / sampleMb) * mb;

  // Linearity on hostile inputs.
  const hostile: Array<[string, (n: number) => string]> = [
    ['single line of "a"', (n) => 'a'.repeat(n)],
    ['"password=" repeated', (n) => 'password='.repeat(Math.ceil(n / 9))],
    ['"ghp_" repeated', (n) => ['gh', 'p_'].join('').repeat(Math.ceil(n / 4))],
    ['BEGIN PRIVATE KEY lines', (n) => '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(Math.ceil(n / 32))],
    ['base64 run', (n) => Buffer.alloc(Math.ceil((n * 3) / 4), 7).toString('base64')],
    ['"eyJ" repeated', (n) => 'eyJ'.repeat(Math.ceil(n / 3))],
  ];
  const n = args.quick ? 250_000 : 1_000_000;
  const linearity = hostile.map(([name, make]) => {
    const small = make(n), large = make(4 * n);
    scanText(small);
    const best = (text: string): number => Math.min(...[0, 1, 2].map(() => time(() => scanText(text))));
    const t1 = Math.max(0.01, best(small));
    const t4 = best(large);
    return `${name}: ${(n / 1e6).toFixed(2)} MB ${t1.toFixed(1)} ms, ${((4 * n) / 1e6).toFixed(2)} MB ${t4.toFixed(1)} ms → ratio ${(t4 / t1).toFixed(2)} (4.0 = linear)`;
  });

  return {
    name: 'secrets',
    lines: [
      `${detectors.length} detectors; corpus: ${files.length} files, ${mb.toFixed(1)} MB of node_modules source/config, ${planted} planted GitHub tokens`,
      `nhiscan scanText: ${scanMs.toFixed(0)} ms (${(mb / (scanMs / 1000)).toFixed(1)} MB/s), planted tokens found ${found}/${planted}, ${hits} hits in total`,
      `baseline newline pass: ${baselineMs.toFixed(0)} ms → ratio scan/newline-pass ${(scanMs / baselineMs).toFixed(1)}×`,
      `baseline every regex on every file, no prefilter: ${naiveMs.toFixed(0)} ms (extrapolated from ${sampleMb.toFixed(1)} MB) → prefilter speed-up ${(naiveMs / scanMs).toFixed(1)}×`,
      ...linearity,
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(`${result.name}\n  ${result.lines.join('\n  ')}`);
}
