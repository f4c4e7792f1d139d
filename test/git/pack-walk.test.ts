/**
 * The pack walk: blobs of large selections are produced by resolving the packs' delta trees in the
 * workers instead of asking `git cat-file` for each. It must see exactly what git sees (same findings,
 * same counts), including through REF_DELTA packs and alternates, and a corrupt pack must degrade to
 * per-object errors, never a crash or a silent gap.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { mkdtempSync, openSync, readdirSync, readSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGit } from '../../connectors/git/connector.js';
import { createWorkerSource, type GitWorkMessage } from '../../connectors/git/scan-source.js';
import { applyDelta, CopyLog, DeltaError } from '../../connectors/git/pack/delta.js';
import { DeltaMachine } from '../../connectors/git/pack/delta-machine.js';
import { Inflater } from '../../connectors/git/pack/inflater.js';
import { PackedObjects } from '../../connectors/git/pack/packed-objects.js';
import { PackWalker } from '../../connectors/git/pack/pack-walk.js';
import { secretHash } from '../../src/redact.js';
import type { BatchReply } from '../../src/secret-scan/worker-source.js';
import { testContext } from '../support/context.js';
import { withEnv } from '../support/env.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';
import { Rng } from '../../testkit/fake-tokens.js';

const scan = (target: string) => collectGit(testContext(`git:${target}`, { options: { threads: '2', 'no-cache': true } }));

/** Scans once with the pack walk forced on (any selection size) and once with it off. */
async function scanBothWays(target: string) {
  const walked = await withEnv({ NHISCAN_GIT_PACK_WALK_MIN: '1' }, () => scan(target));
  const read = await withEnv({ NHISCAN_GIT_PACK_WALK_MIN: 'off' }, () => scan(target));
  return { walked, read };
}

/** Runs `run` with a whole history listed by rev-list's newest-first walk instead of commit by commit. */
const withRevListing = <T>(run: () => Promise<T>): Promise<T> => withEnv({ NHISCAN_GIT_COMMIT_ORDER: 'off' }, run);

const hashes = (result: Awaited<ReturnType<typeof scan>>) => result.credentials.map((c) => c.secret!.hash).sort();
const locations = (result: Awaited<ReturnType<typeof scan>>) =>
  result.credentials.flatMap((c) => c.locations.map((l) => `${c.secret!.hash} ${l.path}:${l.line} ${l.commit} ${l.presentAtHead}`)).sort();

/** A history where one file evolves over many commits (so the pack holds long delta chains) with leaks along the way. */
function evolvingRepo(): { repo: TestRepo; leaked: string[] } {
  const repo = TestRepo.create('nhiscan-pack-');
  const leaked: string[] = [];
  const body = (rev: number) => Array.from({ length: 300 }, (_, i) => `int handler_${i}(void) { return ${(i * rev) % 97}; }`).join('\n');
  for (let rev = 1; rev <= 24; rev++) {
    const files: Record<string, string | null> = { 'src/server.c': `${body(rev)}\n/* rev ${rev} */\n`, 'src/config.h': `#define VERSION ${rev}\n${body(1)}\n` };
    if (rev % 6 === 0) {
      const token = fakeGithubToken(`pack-${rev}`);
      leaked.push(token);
      files['src/server.c'] += `const char *token = "${token}";\n`;
    }
    if (rev === 10) files['assets/logo.bin'] = Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.alloc(4000, 7)]).toString('latin1');
    if (rev === 20) files['assets/logo.bin'] = null;
    repo.commit(`rev ${rev}`, files);
  }
  return { repo, leaked };
}

function packFiles(gitDir: string): string[] {
  const dir = join(gitDir, 'objects', 'pack');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pack'))
    .map((f) => join(dir, f));
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('pack walk', () => {
  it('finds exactly what git cat-file finds, reading every packed blob from the pack (OFS_DELTA chains)', async () => {
    const { repo, leaked } = evolvingRepo();
    temps.push(repo.dir);
    repo.git('repack', '-adq', '--depth=50', '--window=50');
    // One commit after the repack: its objects are loose, so they must come through git instead.
    const late = fakeGithubToken('after-repack');
    repo.commit('late', { 'src/late.c': `const char *token = "${late}";\n` });

    const { walked, read } = await scanBothWays(repo.dir);
    expect(hashes(walked)).toEqual([...leaked, late].map(secretHash).sort());
    expect(hashes(walked)).toEqual(hashes(read));
    expect(locations(walked)).toEqual(locations(read));
    const { blobsFromPacks, ...walkedCounts } = walked.stats as Record<string, number>;
    const { blobsFromPacks: none, ...readCounts } = read.stats as Record<string, number>;
    expect(walkedCounts).toEqual(readCounts);
    expect(none).toBe(0);
    // Every blob but the loose one (src/late.c) came from the pack.
    expect(blobsFromPacks).toBe(walked.stats!.blobs! - 1);
  });

  it('attributes a secret first written by a merge (a conflict resolution) to the merge, in both modes', async () => {
    const repo = TestRepo.create('nhiscan-merge-');
    temps.push(repo.dir);
    repo.commit('base', { 'app/settings.ini': 'mode = base\n' });
    repo.git('checkout', '-q', '-b', 'side');
    repo.commit('side', { 'app/settings.ini': 'mode = side\n' });
    repo.git('checkout', '-q', 'main');
    repo.commit('main', { 'app/settings.ini': 'mode = main\n' });
    try {
      repo.git('merge', '-q', 'side');
    } catch {
      // the expected conflict
    }
    const token = fakeGithubToken('merge-resolution');
    const merge = repo.commit('merge side', { 'app/settings.ini': `mode = both\ntoken = ${token}\n` });
    expect(repo.git('rev-list', '--parents', '-n', '1', merge).split(' ')).toHaveLength(3);
    repo.git('repack', '-adq');

    const { walked, read } = await scanBothWays(repo.dir);
    expect(hashes(walked)).toEqual([secretHash(token)]);
    expect(locations(walked)).toEqual(locations(read));
    expect(walked.credentials[0]!.locations[0]).toMatchObject({ path: 'app/settings.ini', commit: merge, presentAtHead: true });
  });

  it('lists a whole history commit by commit exactly as rev-list does: an evil merge, a revert to old content, tagged blobs and trees', async () => {
    const repo = TestRepo.create('nhiscan-onepass-');
    temps.push(repo.dir);
    const tokens = ['evil-merge', 'reverted', 'tagged-blob', 'tagged-tree'].map((name) => fakeGithubToken(`onepass-${name}`));
    const [evil, reverted, taggedBlob, taggedTree] = tokens as [string, string, string, string];
    repo.commit('root', { 'conf/app.ini': `token = ${reverted}\n`, 'README.md': 'one pass\n' });
    repo.commit('rotate', { 'conf/app.ini': 'token = from-the-vault\n' });
    repo.git('checkout', '-q', '-b', 'side');
    repo.commit('side', { 'src/side.c': 'int side;\n' });
    repo.git('checkout', '-q', 'main');
    repo.commit('main', { 'src/main.c': 'int main;\n' });
    // An evil merge: no conflict, yet the merge itself adds content neither parent has.
    repo.git('merge', '-q', '--no-commit', 'side');
    const merge = repo.commit('merge side', { 'src/main.c': `int main;\nconst char *t = "${evil}";\n` });
    repo.commit('revert the rotation', { 'conf/app.ini': `token = ${reverted}\n` });
    // Reachable from tags only: a blob, and a tree (with a symlink, a blob too) that no commit holds.
    const blob = execFileSync('git', ['-C', repo.dir, 'hash-object', '-w', '--stdin'], { input: `key: ${taggedBlob}\n` })
      .toString()
      .trim();
    repo.git('tag', '-a', '-m', 'a key', 'signing-key', blob);
    const inner = execFileSync('git', ['-C', repo.dir, 'hash-object', '-w', '--stdin'], { input: `token = ${taggedTree}\n` })
      .toString()
      .trim();
    const mktree = (entries: string) => execFileSync('git', ['-C', repo.dir, 'mktree'], { input: entries }).toString().trim();
    const tree = mktree(`040000 tree ${mktree(`100644 blob ${inner}\tci.env\n`)}\tdeploy\n120000 blob ${blob}\tlink\n`);
    repo.git('tag', 'ci-tree', tree);
    repo.git('repack', '-adq');

    const byRevList = (await withRevListing(() => scanBothWays(repo.dir))).walked;
    const { walked: inOrder } = await scanBothWays(repo.dir);
    expect(hashes(inOrder)).toEqual([evil, reverted, taggedBlob, taggedTree].map(secretHash).sort());
    expect(hashes(inOrder)).toEqual(hashes(byRevList));
    expect(inOrder.stats).toEqual(byRevList.stats);
    const evilAt = inOrder.credentials.find((c) => c.secret!.hash === secretHash(evil))!.locations[0];
    expect(evilAt).toMatchObject({ path: 'src/main.c', commit: merge });
    // The reverted secret is the root commit's blob again: attributed to the commit that first wrote it.
    const revertedAt = inOrder.credentials.find((c) => c.secret!.hash === secretHash(reverted))!.locations[0];
    expect(revertedAt).toMatchObject({ path: 'conf/app.ini', commit: repo.git('rev-list', '--max-parents=0', 'HEAD') });
  });

  it("the listing in commit order and its attribution see the whole history even when the scanned repository's own config would hide parts of it", async () => {
    const repo = TestRepo.create('nhiscan-hostile-config-');
    temps.push(repo.dir);
    const tokens = ['root', 'outside-folder'].map((name) => fakeGithubToken(`onepass-${name}`));
    repo.commit('root', { 'conf/app.ini': `token = ${tokens[0]}\n` });
    repo.commit('later', { 'deploy/ci.env': `TOKEN=${tokens[1]}\n`, 'README.md': 'nothing here\n' });
    // The scanned repository chooses its own config: no root diffs, and diffs cut down to one folder.
    repo.git('config', 'log.showRoot', 'false');
    repo.git('config', 'diff.relative', 'true');
    repo.git('config', 'core.worktree', '/'); // the process's folder is then inside the work tree
    repo.git('repack', '-adq');
    const { walked, read } = await scanBothWays(repo.dir);
    expect(hashes(walked)).toEqual(tokens.map(secretHash).sort());
    expect(hashes(read)).toEqual(hashes(walked));
    expect(locations(walked)).toEqual(locations(read)); // the attribution's git log sees the root commit and every folder too
    expect(walked.stats.blobs).toBe(3);
  });

  it('walks REF_DELTA packs and produces every blob byte for byte (each hashes to its object id)', () => {
    const { repo } = evolvingRepo();
    temps.push(repo.dir);
    const gitDir = join(repo.dir, '.git');
    // pack-objects without --delta-base-offset writes deltas that name their base by id (REF_DELTA).
    const objects = repo.git('rev-list', '--objects', '--all');
    execFileSync('git', ['pack-objects', '-q', '--window=50', '--depth=50', join(gitDir, 'objects', 'pack', 'pack')], { cwd: repo.dir, input: `${objects}\n` });
    repo.git('prune-packed');
    const verify = repo.git('verify-pack', '-v', packFiles(gitDir)[0]!.replace(/\.pack$/, '.idx'));
    expect(verify).toMatch(/ blob .* [0-9a-f]{40}$/m); // at least one blob delta names its base by id

    const blobs = repo
      .git('rev-list', '--objects', '--all')
      .split('\n')
      .filter((l) => l.includes(' '))
      .map((l) => l.split(' ') as [string, string]);
    const packed = new PackedObjects(gitDir, (pack, reason) => {
      throw new Error(`${pack}: ${reason}`);
    });
    // Only blobs are entries of the layout: trees and commits are left out of its tables.
    const isBlob = new Map(blobs.map(([oid]) => [oid, repo.git('cat-file', '-t', oid) === 'blob']));
    for (const [oid, path] of blobs) expect(packed.mark(oid, path)).toBe(isBlob.get(oid));
    const produced = new Map<string, string>();
    for (const plan of packed.plan()) {
      expect(plan.unreachable).toEqual([]);
      const walker = new PackWalker(plan.pack.layout, { maxChainBytes: 1 << 26 });
      walker.walk(plan.roots, {
        object: (entry, content, wanted) => {
          if (wanted) produced.set(packed.describe(plan.pack, entry).oid, createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex'));
          return undefined;
        },
        handBack: (entry, reason) => {
          throw new Error(`handed back ${entry}: ${reason}`);
        },
      });
      walker.close();
    }
    const blobIds = blobs.map(([oid]) => oid).filter((oid) => isBlob.get(oid));
    expect([...produced.keys()].sort()).toEqual([...new Set(blobIds)].sort());
    for (const [oid, hash] of produced) expect(hash).toBe(oid);
  });

  it('walks every pack a worker is sent over one memory (one delta machine), each blob exact', async () => {
    const { repo } = evolvingRepo();
    temps.push(repo.dir);
    repo.git('repack', '-adq');
    for (let rev = 1; rev <= 3; rev++) {
      repo.commit(`more ${rev}`, { 'src/server.c': `${repo.git('show', 'HEAD:src/server.c')}\n/* more ${rev} */\n` });
      repo.git('repack', '-dq'); // the loose objects of each commit in a pack of their own
    }
    const gitDir = join(repo.dir, '.git');
    const packed = new PackedObjects(gitDir, () => {});
    for (const line of repo.git('rev-list', '--objects', '--all').split('\n')) {
      const [oid, path] = line.split(' ');
      if (path) packed.mark(oid!, path);
    }
    const plans = packed.plan();
    expect(plans.length).toBe(4);
    const produced = new Map<number, string>();
    const replies: BatchReply[] = [];
    const created = vi.spyOn(DeltaMachine, 'create');
    try {
      const source = createWorkerSource({
        allowlist: undefined,
        reply: (reply) => replies.push(reply),
        scanContent: (key, _path, content) => {
          produced.set(key, createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex'));
          return { result: { key, hits: [], nonUtf8: false, outcome: 'scanned', size: content.length } };
        },
      });
      const KEYS_PER_PACK = 1_000_000;
      plans.forEach((plan, id) => {
        const pack = { id, keyBase: id * KEYS_PER_PACK, layout: plan.pack.layout };
        source.handle({ type: 'pack', batch: id, pack, roots: plan.roots, maxSize: 1 << 20, paths: { from: 0, paths: [] } } satisfies GitWorkMessage);
      });
      await source.end();
      expect(created).toHaveBeenCalledTimes(1);
      expect(replies.map((r) => r.failed)).toEqual(plans.map(() => undefined));
      const expected = new Map<number, string>();
      plans.forEach((plan, id) => {
        for (let entry = 0; entry < plan.pack.layout.count; entry++) {
          if (plan.pack.layout.wanted[entry]! >= 0) expected.set(id * KEYS_PER_PACK + entry, packed.describe(plan.pack, entry).oid);
        }
      });
      expect(expected.size).toBeGreaterThan(40);
      expect(new Map([...produced].sort(([a], [b]) => a - b))).toEqual(new Map([...expected].sort(([a], [b]) => a - b)));
    } finally {
      created.mockRestore();
    }
  });

  it('hands a chain too large to hold back to git, which reads it', async () => {
    const { repo, leaked } = evolvingRepo();
    temps.push(repo.dir);
    repo.git('repack', '-adq', '--depth=50', '--window=50');
    const gitDir = join(repo.dir, '.git');
    const packed = new PackedObjects(gitDir, () => {});
    for (const line of repo.git('rev-list', '--objects', '--all').split('\n')) {
      const [oid, path] = line.split(' ');
      if (path) packed.mark(oid!, path);
    }
    let walkedCount = 0,
      handedBack = 0;
    for (const plan of packed.plan()) {
      const walker = new PackWalker(plan.pack.layout, { maxChainBytes: 20_000 }); // about one version of server.c
      walker.walk(plan.roots, { object: (_entry, _content, wanted) => void (walkedCount += wanted ? 1 : 0), handBack: () => (handedBack += 1) });
      walker.close();
    }
    expect(handedBack).toBeGreaterThan(0);
    expect(walkedCount).toBeGreaterThan(0);
    // Through the connector the default cap is far larger; the scan still finds every leak.
    const { walked } = await scanBothWays(repo.dir);
    expect(hashes(walked)).toEqual(leaked.map(secretHash).sort());
  });

  it('reads objects of alternates (a --shared clone) from the packs they live in', async () => {
    const { repo, leaked } = evolvingRepo();
    temps.push(repo.dir);
    repo.git('repack', '-adq');
    const clone = join(mkdtempSync(join(tmpdir(), 'nhiscan-shared-')), 'clone.git');
    temps.push(join(clone, '..'));
    execFileSync('git', ['clone', '-q', '--bare', '--shared', repo.dir, clone]);
    const { walked, read } = await scanBothWays(clone);
    expect(hashes(walked)).toEqual(leaked.map(secretHash).sort());
    expect(hashes(read)).toEqual(hashes(walked));
    expect(walked.stats!.blobsFromPacks).toBe(walked.stats!.blobs);
  });

  it('leaves packs beyond its object budget, or whose index it cannot read, to git', () => {
    const { repo } = evolvingRepo();
    temps.push(repo.dir);
    repo.git('repack', '-adq');
    const gitDir = join(repo.dir, '.git');
    const blob = repo.blobOf('HEAD', 'src/server.c');
    const skipped: string[] = [];
    const overBudget = new PackedObjects(gitDir, (pack, reason) => skipped.push(`${pack}: ${reason}`), 10);
    expect(overBudget.packs).toEqual([]);
    expect(overBudget.mark(blob, 'src/server.c')).toBe(false);
    expect(skipped).toEqual([expect.stringMatching(/^\*: \d+ packed objects exceed the 10 /)]);

    // A version-1 index (or any index it cannot parse) is skipped the same way.
    const idx = packFiles(gitDir)[0]!.replace(/\.pack$/, '.idx');
    const fd = openSync(idx, 'r+');
    writeSync(fd, Buffer.from([0, 0, 0, 1]), 0, 4, 4);
    closeSync(fd);
    skipped.length = 0;
    const unreadable = new PackedObjects(gitDir, (pack, reason) => skipped.push(`${pack}: ${reason}`));
    expect(unreadable.packs).toEqual([]);
    expect(skipped.join('\n')).toMatch(/not a version-2 pack index/);
  });

  it('turns a corrupt pack entry into per-object errors and scans everything else', async () => {
    const { repo, leaked } = evolvingRepo();
    temps.push(repo.dir);
    repo.git('repack', '-adq', '--depth=50', '--window=50');
    const gitDir = join(repo.dir, '.git');
    const pack = packFiles(gitDir)[0]!;
    // A delta of src/config.h deep in its chain: garble its compressed bytes (zlib's checksum fails).
    const configBlobs = new Set(
      repo
        .git('log', '--all', '--format=', '--raw', '--no-abbrev', '--', 'src/config.h')
        .split('\n')
        .map((l) => l.split(' ')[3])
        .filter(Boolean),
    );
    const entry = repo
      .git('verify-pack', '-v', pack.replace(/\.pack$/, '.idx'))
      .split('\n')
      .map((l) => l.split(/\s+/))
      .find((f) => f[1] === 'blob' && configBlobs.has(f[0]!) && Number(f[5]) >= 1)!;
    expect(entry).toBeDefined();
    const [oid, , , sizeInPack, offset] = entry as [string, string, string, string, string];
    const fd = openSync(pack, 'r+');
    const middle = Number(offset) + Math.floor(Number(sizeInPack) / 2);
    const byte = Buffer.alloc(4);
    readSync(fd, byte, 0, 4, middle);
    for (let i = 0; i < 4; i++) byte[i] = byte[i]! ^ 0xff;
    writeSync(fd, byte, 0, 4, middle);
    closeSync(fd);

    process.env.NHISCAN_GIT_PACK_WALK_MIN = '1';
    try {
      const result = await scan(repo.dir);
      expect(result.status).toBe('partial');
      expect(result.stats!.unreadableBlobs).toBeGreaterThanOrEqual(1);
      expect(result.errors!.map((e) => e.part).join('\n')).toContain(`blob:${oid.slice(0, 12)} src/config.h`);
      // The leaks live in src/server.c, whose chains are intact: all found.
      expect(hashes(result)).toEqual(leaked.map(secretHash).sort());
      expect(result.stats!.blobsFromPacks).toBeGreaterThan(0);
    } finally {
      delete process.env.NHISCAN_GIT_PACK_WALK_MIN;
    }
  });
});

describe('git deltas', () => {
  // Header: base size 11, result size 11; copy base[0..6) ("hello "); insert "there".
  const base = Buffer.from('hello world');
  const delta = Buffer.from([11, 11, 0x80 | 0x10, 6, 5, ...Buffer.from('there')]);

  it('copies from the base and inserts literals', () => {
    expect(applyDelta(base, delta).toString()).toBe('hello there');
  });

  it('rejects deltas that do not fit their base or their declared size', () => {
    expect(() => applyDelta(Buffer.from('hello'), delta)).toThrow(DeltaError); // wrong base size
    expect(() => applyDelta(base, Buffer.from([11, 11, 0x80 | 0x01 | 0x10, 8, 6]))).toThrow(/outside its base/); // copy past the end
    expect(() => applyDelta(base, delta.subarray(0, delta.length - 2))).toThrow(DeltaError); // truncated insert
    expect(() => applyDelta(base, Buffer.from([11, 12, 0x80 | 0x10, 11]))).toThrow(/produced 11 of 12/);
    expect(() => applyDelta(base, Buffer.from([11, 1, 0]))).toThrow(/reserved/);
    expect(() => applyDelta(base, Buffer.from([0x80]))).toThrow(/truncated/);
  });

  // The pack walk applies deltas in WebAssembly (delta-machine.ts) when base, delta and result live in its
  // arena: it must give what the JavaScript loop gives, bytes, copy log and errors alike.
  const machine = DeltaMachine.create(1 << 20)!;
  /** Base and delta copied into the machine's arena, the result allocated after them. */
  function inMachine(baseBytes: Uint8Array, deltaBytes: Uint8Array): { base: Buffer; delta: Buffer; allocate: (size: number) => Buffer } {
    const inArena = machine.arena.subarray(0, baseBytes.length);
    inArena.set(baseBytes);
    const deltaAt = 512 * 1024;
    const delta = machine.arena.subarray(deltaAt, deltaAt + deltaBytes.length);
    delta.set(deltaBytes);
    return { base: inArena, delta, allocate: (size) => machine.arena.subarray(1024, 1024 + size) };
  }
  type Outcome = { bytes: string; copies: number[] } | { error: string };
  function outcome(run: (copies: CopyLog) => Buffer): Outcome {
    const copies = new CopyLog();
    try {
      const out = run(copies);
      return { bytes: out.toString('hex'), copies: Array.from(copies.ops.subarray(0, 3 * copies.count)) };
    } catch (error) {
      return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
    }
  }
  function bothWays(baseBytes: Uint8Array, deltaBytes: Uint8Array): { js: Outcome; wasm: Outcome } {
    const js = outcome((copies) => applyDelta(Buffer.from(baseBytes), Buffer.from(deltaBytes), copies));
    const wasm = outcome((copies) => {
      const { base, delta, allocate } = inMachine(baseBytes, deltaBytes);
      return applyDelta(base, delta, copies, allocate, machine);
    });
    return { js, wasm };
  }

  it('are applied in WebAssembly exactly as in JavaScript, errors included', () => {
    const cases: Array<[Buffer, Buffer]> = [
      [base, delta],
      [Buffer.from('hello'), delta],
      [base, Buffer.from([11, 11, 0x80 | 0x01 | 0x10, 8, 6])],
      [base, delta.subarray(0, delta.length - 2)],
      [base, Buffer.from([11, 12, 0x80 | 0x10, 11])],
      [base, Buffer.from([11, 1, 0])],
      [base, Buffer.from([11, 11, 0x80 | 0x01])], // a copy whose operands run past the delta's end
      [base, Buffer.from([11, 11, 0x80 | 0x08 | 0x10, 0xff, 1])], // offset 0xff000000: outside, not wrapped
      [Buffer.alloc(0x10000, 7), Buffer.from([0x80, 0x80, 4, 0x80, 0x80, 4, 0x80])], // length 0 means 0x10000
    ];
    const outcomes = cases.map(([b, d]) => bothWays(b, d));
    for (const { js, wasm } of outcomes) expect(wasm).toEqual(js);
    expect(outcomes.map(({ js }) => ('error' in js ? js.error.replace(/:.*/, '') : 'ok'))).toEqual([
      'ok',
      'DeltaError',
      'DeltaError',
      'DeltaError',
      'DeltaError',
      'DeltaError',
      'DeltaError',
      'DeltaError',
      'ok',
    ]);
  });

  it('are applied in WebAssembly exactly as in JavaScript on random deltas, valid and corrupt', () => {
    const rng = new Rng(20261207);
    const next = (n: number) => rng.int(n);
    let valid = 0;
    for (let round = 0; round < 3000; round++) {
      const baseBytes = Buffer.from(Array.from({ length: 1 + next(300) }, () => next(256)));
      const ops: number[] = [];
      let size = 0;
      for (let i = 0, n = 1 + next(20); i < n; i++) {
        if (next(2)) {
          const offset = next(baseBytes.length),
            length = 1 + next(baseBytes.length - offset);
          ops.push(0x80 | 0x01 | 0x02 | 0x10 | 0x20, offset & 0xff, offset >> 8, length & 0xff, length >> 8);
          size += length;
        } else {
          const length = 1 + next(20);
          ops.push(length, ...Array.from({ length }, () => next(256)));
          size += length;
        }
      }
      const header = (n: number) => (n < 128 ? [n] : [0x80 | (n & 0x7f), n >> 7]);
      const deltaBytes = Buffer.from([...header(baseBytes.length), ...header(size), ...ops]);
      if (round % 3 === 1) deltaBytes[2 + next(deltaBytes.length - 2)] = next(256); // corrupt one byte
      if (round % 3 === 2) deltaBytes.writeUInt8(next(256), next(deltaBytes.length));
      const { js, wasm } = bothWays(baseBytes, round % 5 === 4 ? deltaBytes.subarray(0, next(deltaBytes.length)) : deltaBytes);
      expect(wasm).toEqual(js);
      if (!('error' in js)) valid += 1;
    }
    expect(valid).toBeGreaterThan(1000);
  });

  it('fall back to JavaScript when a delta holds more copies than the machine logs', () => {
    const many = 70_000; // one-byte copies of base[0]
    const deltaBytes = Buffer.from([1, 0x80 | (many & 0x7f), 0x80 | ((many >> 7) & 0x7f), many >> 14, ...Array.from({ length: many }, () => [0x90, 1]).flat()]);
    const { js, wasm } = bothWays(Buffer.from('x'), deltaBytes);
    expect(wasm).toEqual(js);
    expect('copies' in wasm && wasm.copies.length).toBe(3 * many);
  });
});

describe('pack entry inflation', () => {
  const text = Buffer.from('the same zlib stream, inflated again and again into memory the walk owns\n'.repeat(40));
  const stream = deflateSync(text);
  const fresh = (size: number) => Buffer.alloc(size);

  it('inflates entry after entry through one stream, into the memory it is given', () => {
    const inflater = new Inflater();
    const space = Buffer.alloc(text.length + 1); // less than it asks for: it must still stay within
    for (let i = 0; i < 3; i++) {
      const out = inflater.inflate(stream, text.length, () => space);
      expect(out.equals(text)).toBe(true);
      expect(out.buffer).toBe(space.buffer);
    }
    expect(inflater.inflate(deflateSync(Buffer.alloc(0)), 0, fresh).length).toBe(0);
    inflater.close();
  });

  it('refuses a stream longer or shorter than its header says, or corrupt, and goes on with the next entry', () => {
    const inflater = new Inflater();
    expect(() => inflater.inflate(stream, text.length - 1, fresh)).toThrow(/more than/);
    expect(() => inflater.inflate(stream, text.length + 5, fresh)).toThrow(/inflates to \d+ bytes, header says/);
    const garbled = Buffer.from(stream);
    garbled[garbled.length - 2] ^= 0xff; // the checksum
    expect(() => inflater.inflate(garbled, text.length, fresh)).toThrow(/cannot inflate/);
    expect(() => inflater.inflate(stream.subarray(0, stream.length - 6), text.length, fresh)).toThrow(/cannot inflate/);
    expect(inflater.inflate(stream, text.length, fresh).equals(text)).toBe(true);
    inflater.close();
  });
});
