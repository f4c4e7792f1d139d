/**
 * Property and fuzz tests on every parser nhiscan feeds with outside data: imports of every format,
 * the config, the credential report CSV, git deltas and pack indexes, .gitignore files, and the report
 * writers' round trips. No input may crash (anything but a clear, expected error), hang, or carry a
 * planted secret into an output. Bounded for CI: few runs each, a fixed seed so failures reproduce.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDelta, deltaResultSize } from '../../connectors/git/pack/delta.js';
import { readPackIndex } from '../../connectors/git/pack/pack-index.js';
import { parseCredentialReport, CredentialReportError } from '../../connectors/aws/credential-report.js';
import { walk } from '../../connectors/dir/walk.js';
import { renderToString, reporters } from '../../reports/index.js';
import { sarifUri } from '../../reports/sarif.js';
import { loadBuiltinPlugins } from '../../src/builtins.js';
import { ConfigError, defaultConfig, parseConfig } from '../../src/config.js';
import { runScan } from '../../src/engine.js';
import { forgetHeldSecrets, holdSecret } from '../../src/held-secrets.js';
import { silentLogger } from '../../src/log.js';
import { redactText } from '../../src/redact.js';
import { Registry } from '../../src/registry.js';
import { fakeGithubToken } from '../../testkit/fake-tokens.js';
import { syntheticFinding, syntheticReport } from '../../testkit/report-builder.js';
import { ROOT } from '../support/cli.js';

const RUNS = { numRuns: 25, seed: 1806, endOnFailure: true } as const;
const PLANTED = fakeGithubToken('p');
const ESTATE = join(ROOT, 'examples/estate');

afterEach(() => forgetHeldSecrets());

/** Replaces the value at a random path of `base` by `replacement`. */
function mutate(base: unknown, pick: number[], replacement: unknown): unknown {
  if (!pick.length || base === null || typeof base !== 'object') return replacement;
  const keys = Object.keys(base);
  if (!keys.length) return replacement;
  const key = keys[pick[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(base) ? ([...base] as unknown as Record<string, unknown>) : { ...(base as object) };
  copy[key] = mutate(copy[key], pick.slice(1), replacement);
  return copy;
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, 'false', 'true', 0, -1, '', [], {}, [null], { __proto__: null }, PLANTED, `password=${PLANTED}`),
);

let registry: Registry | undefined;
async function importOnce(file: string, text: string) {
  if (!registry) {
    registry = new Registry();
    for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
  }
  const dir = mkdtempSync(join(tmpdir(), 'nhiscan-fuzz-'));
  writeFileSync(join(dir, file), text);
  return runScan({ registry, config: defaultConfig(), sources: [`import:${file}`], log: silentLogger, now: new Date('2026-11-29T00:00:00Z'), baseDir: dir });
}

describe('imports of every format, mutated at random', () => {
  const samples = ['github/acme-org.json', 'azure/contoso.json', 'aws/authorization-details.json', 'aws/access-keys.json'];
  it.each(samples)('%s: any value anywhere is read, skipped or refused with a clear error; a planted token never reaches the report', async (sample) => {
    const base = JSON.parse(readFileSync(join(ESTATE, sample), 'utf8'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), hostileValue, async (pick, value) => {
        const result = await importOnce('x.json', JSON.stringify(mutate(base, pick, value)));
        const source = result.sources[0]!;
        for (const e of source.errors) expect(e.message).not.toMatch(/TypeError|Cannot read|is not a function|is not iterable|Maximum call stack/);
        // Source errors and notCovered reasons are redacted: a planted token never reaches them.
        expect(JSON.stringify(result.sources)).not.toContain(PLANTED);
      }),
      { ...RUNS, numRuns: 6 },
    );
  });
});

describe('credential report CSV', () => {
  const csv = readFileSync(join(ESTATE, 'aws/credential-report.csv'), 'utf8');
  it('any bytes after a valid header parse or fail with CredentialReportError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.constantFrom('\n', '\r', '\r\n'), (tail, eol) => {
        const text = `${csv.split('\n')[0]}${eol}${tail}`;
        try {
          const skipped: string[] = [];
          const rows = parseCredentialReport(text, skipped);
          for (const row of rows) expect(typeof row.user).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(CredentialReportError);
        }
      }),
      RUNS,
    );
  });
});

describe('config', () => {
  it('any JSON value is a config or a ConfigError, never a crash', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (raw) => {
        try {
          parseConfig(raw, 'fuzz.json');
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { ...RUNS, numRuns: 100 },
    );
  });
});

describe('git pack reader', () => {
  it('applyDelta and deltaResultSize on arbitrary bytes return or throw an Error, never hang', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (base, delta) => {
        try {
          deltaResultSize(delta);
          const out = applyDelta(Buffer.from(base), delta);
          expect(Buffer.isBuffer(out)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { ...RUNS, numRuns: 200 },
    );
  });

  it('readPackIndex on an arbitrary file throws an Error or returns an index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-fuzz-idx-'));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), (bytes, withHeader) => {
        const path = join(dir, 'p.idx');
        // Half the cases start with a real v2 header, so the parser gets past its first check.
        writeFileSync(path, withHeader ? Buffer.concat([Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]), bytes]) : bytes);
        try {
          readPackIndex(path);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      RUNS,
    );
  });
});

describe('.gitignore files', () => {
  it('any .gitignore content walks to completion; a file is listed or ignored, never lost with an exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('*', '!*', '**/', '/a', '\\', '[', '#x', '!b/c', 'a/**/b')), { maxLength: 20 }),
        async (lines) => {
          const root = mkdtempSync(join(tmpdir(), 'nhiscan-fuzz-gi-'));
          mkdirSync(join(root, 'a', 'b'), { recursive: true });
          writeFileSync(join(root, '.gitignore'), lines.join('\n'));
          writeFileSync(join(root, 'a', 'b', 'c.txt'), 'x');
          writeFileSync(join(root, 'top.txt'), 'y');
          const seen: string[] = [];
          for await (const entry of walk(root, { respectGitignore: true, maxFileSize: 1024 })) if (entry.kind === 'file') seen.push(entry.path);
          for (const path of seen) expect(['.gitignore', 'a/b/c.txt', 'top.txt']).toContain(path);
        },
      ),
      { ...RUNS, numRuns: 15 },
    );
  });
});

describe('redaction', () => {
  it('a planted token or a held credential never survives redactText, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9]{12,40}$/), (before, after, held) => {
        holdSecret(held, 'fuzz');
        const out = redactText(`${before}${PLANTED}${after} ${before}${held}${after}`);
        expect(out).not.toContain(PLANTED);
        expect(out).not.toContain(held);
        forgetHeldSecrets();
      }),
      { ...RUNS, numRuns: 200 },
    );
  });
});

describe('report writers round trip', () => {
  const text = fc.string({ maxLength: 30, unit: 'binary' });
  it('JSON written then parsed equals the model; SARIF parses and keeps every path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ name: text, message: text, path: text, line: fc.nat(10_000) }), { maxLength: 20 }), async (entries) => {
        const report = syntheticReport(0);
        report.findings = entries.map((e, i) => {
          const f = syntheticFinding(i);
          f.resource = { ...f.resource, name: e.name };
          f.message = e.message;
          f.location = { source: 'git:repo', path: e.path, line: e.line || undefined };
          return JSON.parse(JSON.stringify(f));
        });
        report.sources = [{ spec: 'git:repo', status: 'ok', errors: [], stats: {}, notCovered: [], durationMs: 0, repositoryPrefix: '' }];
        expect(JSON.parse(await renderToString(reporters.json!, report))).toEqual(JSON.parse(JSON.stringify(report)));
        const sarif = JSON.parse(await renderToString(reporters.sarif!, report));
        const uris = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
        expect(uris).toEqual(report.findings.map((f) => sarifUri(f.location!.path))); // suppressed ones are results too
        for (const uri of uris) expect(uri).toMatch(/^[A-Za-z0-9\-._~%/]*$/);
        const md = await renderToString(reporters.md!, report);
        // One line per active finding in its rule's section: "- [SEVERITY] **name**…".
        expect(md.split('\n').filter((l) => /^- \[[A-Z]+\] \*\*/.test(l)).length).toBe(report.findings.filter((f) => !f.suppressed).length);
        // The HTML report's data block cannot be closed early and gives every name back as it was.
        const html = await renderToString(reporters.html!, report);
        const data = JSON.parse(html.match(/<script type="application\/json" id="nhiscan-findings">([\s\S]*?)<\/script>/)![1]!);
        expect(data.rows.map((r: unknown[]) => r[3]).sort()).toEqual(
          report.findings
            .filter((f) => !f.suppressed)
            .map((f) => f.resource.name)
            .sort(),
        );
      }),
      RUNS,
    );
  });
});
