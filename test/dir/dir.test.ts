import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectDir } from '../../connectors/dir/connector.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { fakeAwsKeyId, fakeAwsSecret, fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { fakeJavaKeystoreBytes, fakePkcs12Bytes } from '../../testkit/catalogue-examples.js';

const scan = (dir: string, options: Record<string, unknown> = {}, config: Record<string, unknown> = {}) =>
  collectDir(testContext(`dir:${dir}`, { options: { threads: '1', ...options }, config: config as never }));
const hashes = (result: Awaited<ReturnType<typeof scan>>) => result.credentials.map((c) => c.secret!.hash).sort();

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'nhiscan-dir-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('dir: source', () => {
  it('finds secrets in a working tree, honours .gitignore unless --no-ignore, and never enters .git', async () => {
    const tracked = fakeGithubToken('tracked');
    const ignored = fakeGithubToken('ignored');
    const nestedIgnored = fakeGithubToken('nested');
    const inGitDir = fakeGithubToken('git-dir');
    const root = tree({
      '.gitignore': 'build/\n*.local\n',
      'src/config.js': `const token = "${tracked}";\n`,
      'build/out.js': `t="${ignored}"\n`,
      'app/.gitignore': 'secrets.txt\n',
      'app/secrets.txt': `T=${nestedIgnored}\n`,
      'app/.env.local': `T=${ignored}\n`,
      '.git/config': `token=${inGitDir}\n`,
    });
    const result = await scan(root);
    expect(result.status).toBe('ok');
    expect(hashes(result)).toEqual([secretHash(tracked)]);
    expect(result.credentials[0]!.locations).toEqual([{ source: `dir:${root}`, repository: root, path: 'src/config.js', line: 1, column: 16 }]);
    expect(JSON.stringify(result)).not.toContain(tracked);

    const all = await scan(root, { 'no-ignore': true });
    expect(hashes(all)).toEqual([tracked, ignored, nestedIgnored].map(secretHash).sort());
    // The same secret in two ignored files: one credential, two locations.
    expect(
      all.credentials
        .find((c) => c.secret!.hash === secretHash(ignored))!
        .locations!.map((l) => l.path)
        .sort(),
    ).toEqual(['app/.env.local', 'build/out.js']);
  });

  it('applies allowlists from settings.secrets and settings.dir, and inline ignores', async () => {
    const a = fakeGithubToken('a');
    const b = fakeGithubToken('b');
    const c = fakeGithubToken('c');
    const root = tree({
      'x.env': `A=${a}\nB=${b} # gitleaks:allow\n`,
      'fixtures/y.env': `C=${c}\n`,
      'z.env': `AWS_ACCESS_KEY_ID=${fakeAwsKeyId('z')}\nAWS_SECRET_ACCESS_KEY=${fakeAwsSecret('z')}\n`,
    });
    const result = await scan(
      root,
      {},
      { settings: { secrets: { allowlist: { paths: ['fixtures/**'] } }, dir: { allowlist: { hashes: [secretHash(fakeAwsSecret('z'))] } } } },
    );
    expect(hashes(result)).toEqual([secretHash(a)]);
  });

  it('handles symlink loops, links leaving the root, FIFOs, deep trees, binaries and oversized files with per-file notes', async () => {
    const deepToken = fakeGithubToken('deep');
    const root = tree({
      'ok.env': `T=${fakeGithubToken('ok')}\n`,
      'bin.dat': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(fakeGithubToken('bin'))]),
      'big.txt': `T=${fakeGithubToken('big')}\n${'z'.repeat(300_000)}\n`,
    });
    symlinkSync(root, join(root, 'loop')); // a link to its own root
    mkdirSync(join(root, 'a'));
    symlinkSync(join(root, 'a'), join(root, 'a', 'self'));
    symlinkSync('/etc', join(root, 'outside'));
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    let deep = root;
    for (let i = 0; i < 60; i++) deep = join(deep, `d${i}`);
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'deep.env'), `T=${deepToken}\n`);

    const result = await scan(root, { 'max-file-size': '100k' });
    expect(result.status).toBe('ok');
    expect(hashes(result)).toEqual([fakeGithubToken('ok'), deepToken].map(secretHash).sort());
    expect(result.stats).toMatchObject({ skippedBinary: 1, skippedLarge: 1 });
    const notes = result.notCovered!.map((n) => `${n.part}: ${n.reason}`).join('\n');
    expect(notes).toMatch(/file:loop: symbolic link to a directory already scanned/);
    expect(notes).toMatch(/file:a\/self: symbolic link to a directory already scanned/);
    expect(notes).toMatch(/file:outside: symbolic link pointing outside/);
    expect(notes).toMatch(/file:dangling: broken symbolic link/);
    expect(notes).toMatch(/file:pipe: not a regular file/);
    expect(notes).toMatch(/file:big\.txt: larger than the 102400-byte limit/);
  });

  it('fails clearly when the directory does not exist', async () => {
    await expect(scan(join(tmpdir(), 'nhiscan-no-such-dir'))).rejects.toThrow(/is not a directory/);
  });
});

describe('dir: in this thread or in workers', () => {
  /** Scans with NHISCAN_SCAN_INLINE_BYTES set to `inline` (undefined: the default, 64 MiB). */
  async function scanWith(root: string, inline: string | undefined) {
    const before = process.env.NHISCAN_SCAN_INLINE_BYTES;
    if (inline === undefined) delete process.env.NHISCAN_SCAN_INLINE_BYTES;
    else process.env.NHISCAN_SCAN_INLINE_BYTES = inline;
    try {
      const result = await scan(root, { threads: '2' });
      return { status: result.status, stats: result.stats, credentials: result.credentials.map((c) => [c.secret!.hash, c.locations]) };
    } finally {
      if (before === undefined) delete process.env.NHISCAN_SCAN_INLINE_BYTES;
      else process.env.NHISCAN_SCAN_INLINE_BYTES = before;
    }
  }

  it('finds the same secrets at the same places whether a tree is scanned in this thread, in workers, or first one then the other', async () => {
    // 400 files: more than three batches of 128, a secret every 40 files.
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++)
      files[`src/m${String(i).padStart(3, '0')}.js`] = i % 40 === 7 ? `const token = "${fakeGithubToken(`f${i}`)}";\n` : `export const n${i} = ${i};\n`;
    const root = tree(files);
    const inThread = await scanWith(root, undefined);
    expect(inThread.credentials).toHaveLength(10);
    expect(inThread.stats).toMatchObject({ files: 400, filesScanned: 400 });
    expect(await scanWith(root, '0')).toEqual(inThread);
    // Past ~150 files' bytes the workers take over, mid-walk.
    expect(await scanWith(root, String(150 * 24))).toEqual(inThread);
  });
});

describe('dir: keystores', () => {
  it('reports PKCS#12 and JKS files by their structure whatever their name, and still skips other binaries', async () => {
    const p12 = fakePkcs12Bytes();
    const jks = fakeJavaKeystoreBytes('jks');
    const root = tree({
      'certs/client.bin': p12,
      'app/store': jks,
      'img/logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.alloc(64)]),
    });
    const result = await scan(root);
    expect(result.credentials.map((c) => c.secret!.hash).sort()).toEqual([secretHash(p12.toString('base64')), secretHash(jks.toString('base64'))].sort());
    expect(result.stats?.skippedBinary).toBe(1);
  });
});

describe('dir: and its own reports', () => {
  it('never scans nhiscan reports, recognised by content wherever they are and whatever their name', async () => {
    const { runCli, readReport, tempDir } = await import('../support/cli.js');
    const { copyFileSync, readdirSync } = await import('node:fs');
    const keyId = fakeAwsKeyId('own-report');
    const root = tree({ 'app/.env': `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${fakeAwsSecret('own-report')}\n` });
    const first = await runCli(['scan', `dir:${root}`, '--out', join(root, 'nhiscan-report'), '--fail-on', 'none', '--quiet']);
    expect(first.code).toBe(0);
    const written = readdirSync(join(root, 'nhiscan-report'));
    expect(written.sort()).toEqual(['nhiscan-report.json', 'nhiscan-report.md', 'nhiscan-report.sarif']);
    expect(readFileSync(join(root, 'nhiscan-report', 'nhiscan-report.json'), 'utf8')).toContain(keyId); // the decoded key id is in the report
    mkdirSync(join(root, 'archive'));
    for (const name of written)
      copyFileSync(join(root, 'nhiscan-report', name), join(root, 'archive', `renamed-${name.replace('nhiscan-report', 'audit')}.txt`));

    const out = tempDir();
    const second = await runCli(['scan', `dir:${root}`, '--out', out, '--fail-on', 'none', '--quiet']);
    const report = readReport(out);
    const paths = report.findings.filter((f: any) => f.ruleId === 'leaked-secret').map((f: any) => f.location.path);
    expect(second.code).toBe(0);
    expect(paths).toEqual(['app/.env']);
    expect(report.sources[0].stats.skippedReports).toBe(6);
  });

  it('scans files and directories whose names are not valid UTF-8, shown with \\xNN for the bytes that are not', async () => {
    const inFile = fakeGithubToken('latin1-file');
    const inDir = fakeGithubToken('latin1-dir');
    const root = mkdtempSync(join(tmpdir(), 'nhiscan-dir-bytes-'));
    const bytes = (...parts: (string | number[])[]) => Buffer.concat([Buffer.from(root), ...parts.map((p) => Buffer.from(p as never))]);
    // Latin-1 "café.env" (0xE9 alone is not UTF-8), and a directory "\xFF\xFE" holding a "\xC3(" file.
    writeFileSync(bytes('/caf', [0xe9], '.env'), `TOKEN=${inFile}\n`);
    mkdirSync(bytes('/', [0xff, 0xfe]));
    writeFileSync(bytes('/', [0xff, 0xfe], '/', [0xc3, 0x28], '.txt'), `t = "${inDir}"\n`);
    writeFileSync(join(root, '.gitignore'), 'ignored-*\n');
    writeFileSync(bytes('/ignored-', [0xe9]), `T=${fakeGithubToken('ignored')}\n`);
    const result = await scan(root);
    expect(result.status).toBe('ok');
    expect(result.errors ?? []).toEqual([]);
    expect(hashes(result)).toEqual([inFile, inDir].map(secretHash).sort());
    const paths = result.credentials.flatMap((c) => c.locations!.map((l) => l.path)).sort();
    expect(paths).toEqual(['\\xFF\\xFE/\\xC3(.txt', 'caf\\xE9.env']);
    expect(JSON.stringify(result)).not.toContain('\ufffd');
  });
});
