/**
 * The blob cache never turns a scan into a silent clean result: a blob that was not scanned keeps the
 * rescan partial until it is, and a cache someone else wrote (inside the scanned .git, or edited) is
 * not trusted.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectGit } from '../../connectors/git/connector.js';
import { cacheKey, defaultCacheDir } from '../../connectors/git/cache.js';
import { builtinDetectorSetVersion } from '../../src/secrets/index.js';
import type { Logger } from '../../src/log.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { TestRepo } from '../../testkit/git-repo.js';
import { fakeGithubToken } from '../../testkit/seeded-tokens.js';

function recordingLogger(lines: string[]): Logger {
  const push = (m: string) => void lines.push(m);
  return { debug: push, info: push, warn: push, error: push };
}

const scan = (dir: string, lines: string[] = [], options: Record<string, unknown> = {}) =>
  collectGit(testContext(`git:${dir}`, { options: { threads: '1', ...options }, log: recordingLogger(lines) }));

function repoWithSecret() {
  const repo = TestRepo.create();
  const secret = fakeGithubToken('cache-hardening');
  repo.commit('one', { 'README.md': '# app\n', 'app.env': `TOKEN=${secret}\n` });
  repo.commit('two', { 'README.md': '# app v2\n' });
  return { repo, secret, blob: repo.blobOf('HEAD', 'app.env') };
}

describe('blob cache', () => {
  it('stays partial while a blob is missing and finds it once the object arrives', async () => {
    const { repo, secret, blob } = repoWithSecret();
    const objectPath = join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    const saved = readFileSync(objectPath);
    rmSync(objectPath, { force: true });

    const first = await scan(repo.dir);
    expect(first.status).toBe('partial');
    const second = await scan(repo.dir);
    expect(second.status).toBe('partial');
    expect(second.errors!.map((e) => e.part).join(' ')).toContain(blob.slice(0, 12));

    writeFileSync(objectPath, saved);
    chmodSync(objectPath, 0o444);
    const third = await scan(repo.dir);
    expect(third.status).toBe('ok');
    expect(third.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(secret)]);
  });

  it('lives outside the scanned repository by default and never reads a cache planted in .git', async () => {
    const { repo, secret, blob } = repoWithSecret();
    // What an earlier CI step could leave behind: every blob "scanned", the tips up to date, no hits.
    const planted = join(repo.dir, '.git', '.nhiscan-cache');
    mkdirSync(planted, { recursive: true });
    const allBlobs = repo
      .git('rev-list', '--objects', '--all')
      .split('\n')
      .map((l) => l.split(' ')[0]!);
    const tips = [repo.git('rev-parse', 'HEAD')];
    // Named and keyed exactly as nhiscan 0.1 named the cache of a default scan.
    const key = cacheKey(builtinDetectorSetVersion(), { allowlist: { paths: [], detectors: [], hashes: [] }, maxFileSize: 10 * 1024 * 1024 });
    const content = JSON.stringify({ format: 1, key, detectorSetVersion: builtinDetectorSetVersion(), tips, scanned: allBlobs.join('\n'), hits: {} });
    writeFileSync(join(planted, `blobs-v1-${key}.json`), content);
    const result = await scan(repo.dir);
    expect(result.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(secret)]);
    expect(readdirSync(defaultCacheDir(join(repo.dir, '.git'))).length).toBeGreaterThan(0);
    expect(allBlobs).toContain(blob);
  });

  it('ignores a cache whose contents were changed, with a note, and scans everything', async () => {
    const { repo, secret } = repoWithSecret();
    await scan(repo.dir);
    const dir = defaultCacheDir(join(repo.dir, '.git'));
    const file = join(
      dir,
      readdirSync(dir).find((n) => n.endsWith('.json'))!,
    );
    const text = readFileSync(file, 'utf8');
    // Drop the hits (the secret would vanish) but keep every blob marked scanned.
    writeFileSync(file, text.replace(/"hits":\{.*\}\}?$/s, '"hits":{}}'));
    expect(readFileSync(file, 'utf8')).not.toBe(text);

    const lines: string[] = [];
    const result = await scan(repo.dir, lines);
    expect(result.credentials.map((c) => c.secret!.hash)).toEqual([secretHash(secret)]);
    expect(result.stats).toMatchObject({ cachedBlobs: 0 });
    expect(lines.join('\n')).toMatch(/blob cache .* integrity check/);
  });
});
