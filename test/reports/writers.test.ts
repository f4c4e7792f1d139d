import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderToString, reporters } from '../../reports/index.js';
import { LazyArray, stringSink, writeJson, type ReportSink } from '../../reports/sink.js';
import { sarifUri } from '../../reports/sarif.js';
import { writeAtomicStream } from '../../src/atomic-write.js';
import { syntheticFinding, syntheticReport } from '../../testkit/report-builder.js';
import { sarifSchemaErrors } from '../support/schemas.js';

/** A sink that remembers the largest chunk it was handed and how much it received. */
function measuringSink(): ReportSink & { largest: number; total: number } {
  const sink = {
    largest: 0,
    total: 0,
    write(chunk: string) {
      sink.largest = Math.max(sink.largest, chunk.length);
      sink.total += chunk.length;
    },
  };
  return sink;
}

describe('streaming report writers', () => {
  it('writes JSON byte for byte as JSON.stringify(report, null, 2) would', async () => {
    const report = syntheticReport(200);
    (report.inventory as unknown as Record<string, unknown>).odd = { a: [1, undefined, { b: undefined, c: null }], d: [], e: {}, f: 'x\n"y' };
    expect(await renderToString(reporters.json!, report)).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });

  it('writes a LazyArray as the array it yields, without building it', () => {
    const sink = stringSink();
    function* items() {
      for (let i = 0; i < 3; i++) yield { i, nested: [i] };
    }
    writeJson(sink, { list: new LazyArray(items()), empty: new LazyArray([]) });
    expect(sink.text()).toBe(JSON.stringify({ list: [...items()], empty: [] }, null, 2));
  });

  it.each(['json', 'md', 'sarif', 'html'])('hands the sink small chunks however many findings there are (%s)', async (format) => {
    const sink = measuringSink();
    await reporters[format]!.write(syntheticReport(20_000), sink);
    expect(sink.total).toBeGreaterThan(20_000 * 100); // every finding was written...
    expect(sink.largest).toBeLessThan(16 * 1024); // ...and never as one string
  });

  it('groups Markdown findings by rule, every finding once', async () => {
    const report = syntheticReport(2_000);
    const md = await renderToString(reporters.md!, report);
    const active = report.findings.filter((f) => !f.suppressed && f.status !== 'resolved');
    for (const f of active) expect(md.split(`\`${f.fingerprint}\``).length - 1).toBe(1);
    const headings = [...md.matchAll(/^### .* \((\d+)\)$/gm)].map((m) => Number(m[1]));
    expect(headings.reduce((a, b) => a + b, 0)).toBe(active.length);
    expect(headings.length).toBe(4); // 4 rules, each once whatever severities it was found at
  });

  it('writes atomically: a producer that fails leaves neither the report nor a temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nhiscan-write-'));
    await expect(
      writeAtomicStream(dir, 'r.json', (sink) => {
        sink.write('x'.repeat(3 << 20)); // flushed to the temp file before the failure
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readdirSync(dir)).toEqual([]);
    await writeAtomicStream(dir, 'r.json', (sink) => reporters.json!.write(syntheticReport(50), sink));
    expect(readdirSync(dir)).toEqual(['r.json']);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(syntheticReport(50))));
  });
});

describe('SARIF uris', () => {
  it.each([
    ['a b/c#d?.env', 'a%20b/c%23d%3F.env'],
    ['dir\\win\\file.txt', 'dir/win/file.txt'],
    ['./x/new\nline', 'x/new%0Aline'],
    ['c:colon/100%.txt', 'c%3Acolon/100%25.txt'],
  ])('percent-encodes %j', (path, uri) => {
    expect(sarifUri(path)).toBe(uri);
    expect(decodeURIComponent(uri)).toBe(path.replace(/\\/g, '/').replace(/^\.\//, ''));
  });

  it('keeps a file name with #, ?, a space and a newline one valid location', async () => {
    const report = syntheticReport(0);
    const finding = syntheticFinding(1);
    finding.location = { source: 'git:repo', path: 'conf/my app#1?.env\nx', line: 3 };
    report.findings = [finding];
    report.sources = [{ spec: 'git:repo', status: 'ok', errors: [], stats: {}, notCovered: [], durationMs: 0, repositoryPrefix: '' }];
    const log = JSON.parse(await renderToString(reporters.sarif!, report));
    expect(sarifSchemaErrors(log)).toBe('');
    const uri: string = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    expect(new URL(uri, 'file:///repo/').pathname).toBe(`/repo/${uri}`); // no fragment, no query
    expect(decodeURIComponent(uri)).toBe('conf/my app#1?.env\nx');
  });
});
