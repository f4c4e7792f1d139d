/**
 * Bundles the compiled CLI (dist/src/cli.js, from `tsc`) into dist/cli/: the `nhiscan` command the
 * package, the container and the tests run. Run by `npm run build` after `tsc`.
 *
 * Why: a pre-commit hook (`nhiscan scan staged:.`) starts Node for every commit, and loading ~380
 * separate ES modules (resolving, reading and compiling each) was most of its time (docs/pipelines.md).
 * One ES module with code splitting keeps the lazy `import()`s lazy: each connector, importer, writer
 * and SDK-backed part is its own chunk, loaded only when used.
 *
 * - npm dependencies stay external (installed next to the package, loaded from node_modules as
 *   before), except the few a scan may load at start-up: zod (~95 modules of its own), and ignore and
 *   p-limit, small CommonJS and ES packages whose separate files (resolved, read, and for CommonJS
 *   lexed for their exports) cost more at each start than their code. picomatch stays external: the
 *   allowlist code requires it synchronously only when an allowlist names paths (src/secrets/ignore.ts),
 *   so a bundled copy would only sit beside the one loaded from node_modules.
 * - The worker-thread modules are entry points of their own, written next to the chunks under their
 *   own names: the code finds them as `new URL('./worker.js', import.meta.url)` from whichever chunk
 *   holds it (src/secret-scan/worker-source.ts), and that is dist/cli/ for every chunk.
 * - dist/cli/ sits two levels below the package root, like dist/src/, so package.json is found the
 *   same way (src/version.ts).
 */
import { build, type Plugin } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'dist/cli');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** Bundled in: what every scan loads at start-up. Everything else (SDKs, native better-sqlite3 and pg, …) loads from node_modules. */
const BUNDLED = new Set(['zod', 'ignore', 'p-limit']);
const external = Object.keys(pkg.dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

/**
 * zod's translated error messages (`z.locales`, ~60 modules, half of zod's size) hang off its `z`
 * namespace, so bundling cannot drop them, and nhiscan never uses them: zod's English messages come
 * from their own module (zod/v4/locales/en.js), which stays. Only the catalogue of other languages is
 * left out, as an empty namespace.
 */
const withoutZodLocales: Plugin = {
  name: 'without-zod-locales',
  setup(bundle) {
    bundle.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'nhiscan-empty' } : undefined,
    );
    bundle.onLoad({ filter: /.*/, namespace: 'nhiscan-empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: {
    cli: join(ROOT, 'dist/src/cli.js'),
    // Worker threads: the secret-scan worker and the git source's part of it.
    worker: join(ROOT, 'dist/src/secret-scan/worker.js'),
    'scan-source': join(ROOT, 'dist/connectors/git/scan-source.js'),
  },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [withoutZodLocales],
  // A quarter less source text to read and compile at every start; function and class names are kept
  // (error names, stacks), and the source maps next to the chunks map back to the code.
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  // The shebang of src/cli.ts is kept on the entry by esbuild.
  logLevel: 'warning',
});
