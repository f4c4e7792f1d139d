import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGit } from '../../connectors/git/connector.js';
import { defaultCacheDir } from '../../connectors/git/cache.js';
import { secretHash } from '../../src/redact.js';
import { testContext } from '../support/context.js';
import { ALICE, BOB, TestRepo } from '../../testkit/git-repo.js';
import { fakeAwsKeyId, fakeAwsSecret, fakeGithubToken } from '../../testkit/seeded-tokens.js';

const hashOf = (value: string) => secretHash(value);
const scan = (target: string, options: Record<string, unknown> = {}, config: Record<string, unknown> = {}) =>
  collectGit(testContext(`git:${target}`, { options: { threads: '1', ...options }, config: config as never }));
const credentialFor = (result: Awaited<ReturnType<typeof scan>>, value: string) => result.credentials.find((c) => c.secret?.hash === hashOf(value));

/** alice adds a token (history only after bob removes it); bob adds an AWS key pair that stays at HEAD. */
function historyRepo() {
  const repo = TestRepo.create();
  const token = fakeGithubToken('history-only');
  const keyId = fakeAwsKeyId('ci-deployer');
  const awsSecret = fakeAwsSecret('ci-deployer');
  repo.commit('initial', { 'README.md': '# payments\n' });
  const introducing = repo.commit('add release script', { 'scripts/release.sh': `#!/bin/sh\nexport GITHUB_TOKEN=${token}\n./release\n` }, ALICE);
  const introducedAt = repo.lastDate();
  repo.commit('remove hard-coded token', { 'scripts/release.sh': '#!/bin/sh\n./release\n' }, BOB);
  const awsCommit = repo.commit('ci credentials', { 'deploy/ci.env': `aws_access_key_id = ${keyId}\naws_secret_access_key = ${awsSecret}\n` }, BOB);
  return { repo, token, keyId, awsSecret, introducing, introducedAt, awsCommit };
}

describe('git: source', () => {
  it('finds a secret that only survives in history and attributes it to the commit that introduced it', async () => {
    const { repo, token, introducing, introducedAt, awsSecret, awsCommit, keyId } = historyRepo();
    const result = await scan(repo.dir, { 'no-cache': true });
    expect(result.status).toBe('ok');

    const leaked = credentialFor(result, token)!;
    expect(leaked).toBeDefined();
    expect(leaked.id).toBe(`secret:leaked-secret:${hashOf(token).slice('sha256:'.length)}`);
    expect(leaked.kind).toBe('leaked-secret');
    expect(leaked.status).toBe('unknown');
    expect(leaked.secret).toMatchObject({ detector: 'github-pat-classic', hash: hashOf(token) });
    expect(leaked.locations).toEqual([
      expect.objectContaining({
        path: 'scripts/release.sh',
        line: 2,
        commit: introducing,
        author: ALICE.name,
        authorEmail: ALICE.email,
        date: introducedAt,
        presentAtHead: false,
        repository: repo.dir,
      }),
    ]);

    const aws = credentialFor(result, awsSecret)!;
    expect(aws.provider).toBe('aws');
    expect(aws.secret?.decoded).toMatchObject({ accessKeyId: keyId, awsAccountId: '123456789012' });
    expect(aws.attributes).toMatchObject({ severity: 'critical', confidence: 'high' });
    expect(aws.locations).toEqual([expect.objectContaining({ path: 'deploy/ci.env', commit: awsCommit, author: BOB.name, presentAtHead: true })]);

    // Nothing secret anywhere in what the connector returns.
    const text = JSON.stringify(result);
    for (const value of [token, awsSecret]) expect(text).not.toContain(value);
    expect(result.stats).toMatchObject({ blobs: 4, blobsScanned: 4, cachedBlobs: 0, secrets: 2 });
  });

  it('scans every ref, reads each unique blob once, and merges one secret seen in several files', async () => {
    const repo = TestRepo.create();
    const shared = fakeGithubToken('shared');
    const branchOnly = fakeGithubToken('feature-branch');
    repo.commit('one', { 'a/config.yml': `token: ${shared}\n`, 'b/copy.yml': `# copy\ntoken: ${shared}\n`, 'c/same-content.yml': `token: ${shared}\n` });
    repo.git('checkout', '-q', '-b', 'feature');
    const featureCommit = repo.commit('feature work', { 'feature.env': `GH_TOKEN=${branchOnly}\n` }, BOB);
    repo.git('checkout', '-q', 'main');
    repo.git('tag', '-a', 'v1', '-m', 'release one'); // an annotated tag is not a file
    const result = await scan(repo.dir, { 'no-cache': true });

    const sharedCred = credentialFor(result, shared)!;
    // Four files, but a/config.yml and c/same-content.yml are one blob: three distinct blobs are read, and
    // every place is listed: the identical copy too, found at HEAD.
    expect(result.stats).toMatchObject({ blobs: 3, blobsScanned: 3 });
    expect(sharedCred.locations!.map((l) => [l.path, l.line])).toEqual([
      ['a/config.yml', 1],
      ['b/copy.yml', 2],
      ['c/same-content.yml', 1],
    ]);
    expect(result.credentials.filter((c) => c.secret?.hash === hashOf(shared))).toHaveLength(1);

    const branch = credentialFor(result, branchOnly)!;
    expect(branch.locations).toEqual([expect.objectContaining({ path: 'feature.env', commit: featureCommit, presentAtHead: false })]);
  });

  it('--range and --since scan only the blobs the selected commits add', async () => {
    const repo = TestRepo.create();
    const old = fakeGithubToken('old');
    const added = fakeGithubToken('in-pr');
    const base = repo.commit('base', { 'old.env': `T=${old}\n`, 'README.md': 'x\n' });
    repo.git('checkout', '-q', '-b', 'pr');
    const prCommit = repo.commit('pr', { 'new.env': `T=${added}\n` }, BOB);

    const ranged = await scan(repo.dir, { range: `${base}..pr`, 'no-cache': true });
    expect(ranged.stats).toMatchObject({ blobs: 1, blobsScanned: 1 });
    expect(ranged.credentials.map((c) => c.secret?.hash)).toEqual([hashOf(added)]);
    expect(ranged.credentials[0]!.locations![0]).toMatchObject({ commit: prCommit, author: BOB.name });

    const since = await scan(repo.dir, { since: 'main', 'no-cache': true });
    expect(since.credentials.map((c) => c.secret?.hash)).toEqual([hashOf(added)]);

    await expect(scan(repo.dir, { range: 'nope..pr', 'no-cache': true })).rejects.toThrow(/--range nope..pr: no commit nope in this repository/);
    await expect(scan(repo.dir, { range: '--all', 'no-cache': true })).rejects.toThrow(/invalid revision/);
  });

  it('caches scanned blobs: a rescan reads no content, a new commit costs only its new blobs, findings persist', async () => {
    const { repo, token, awsSecret } = historyRepo();
    const first = await scan(repo.dir);
    expect(first.stats).toMatchObject({ blobsScanned: 4, cachedBlobs: 0 });
    const cacheDir = defaultCacheDir(join(repo.dir, '.git'));
    const cacheFiles = readdirSync(cacheDir);
    expect(cacheFiles).toHaveLength(1);
    const cacheText = readFileSync(join(cacheDir, cacheFiles[0]!), 'utf8');
    for (const value of [token, awsSecret]) expect(cacheText).not.toContain(value);

    const second = await scan(repo.dir);
    expect(second.stats).toMatchObject({ blobsScanned: 0, bytesScanned: 0 });
    expect(second.credentials).toEqual(first.credentials);

    const newToken = fakeGithubToken('after-cache');
    repo.commit('one more', { 'later.env': `T=${newToken}\n`, 'README.md': '# payments v2\n' });
    const third = await scan(repo.dir);
    expect(third.stats).toMatchObject({ blobs: 2, blobsScanned: 2 });
    expect(third.credentials.map((c) => c.secret!.hash).sort()).toEqual([hashOf(token), hashOf(awsSecret), hashOf(newToken)].sort());
    expect(credentialFor(third, token)!.locations).toEqual(credentialFor(first, token)!.locations);

    // A different detector set version invalidates the cache: everything is read again.
    const file = join(cacheDir, readdirSync(cacheDir)[0]!);
    const text = readFileSync(file, 'utf8');
    const raw = JSON.parse(text.slice(text.indexOf('\n') + 1));
    writeFileSync(file, `${text.slice(0, text.indexOf('\n'))}\n${JSON.stringify({ ...raw, detectorSetVersion: 'older-detectors' })}`);
    const fourth = await scan(repo.dir);
    expect(fourth.stats).toMatchObject({ blobsScanned: 6, cachedBlobs: 0 });

    // So does a different allowlist (it changes results): a separate cache key.
    const fifth = await scan(repo.dir, {}, { settings: { secrets: { allowlist: { detectors: ['aws-access-key-pair'] } } } });
    expect(fifth.stats).toMatchObject({ blobsScanned: 6 });
    expect(credentialFor(fifth, awsSecret)).toBeUndefined();
  });

  it('keeps scanning when the cache cannot be written, and says so', async () => {
    const { repo, token } = historyRepo();
    const notADirectory = join(repo.dir, 'README.md');
    const result = await scan(repo.dir, { 'cache-dir': notADirectory });
    expect(result.status).toBe('ok');
    expect(credentialFor(result, token)).toBeDefined();
    expect(result.notCovered).toEqual([expect.objectContaining({ part: 'cache', reason: expect.stringContaining('cannot write the blob cache') })]);
  });

  it('honours inline ignores and config allowlists by path, detector and hash', async () => {
    const repo = TestRepo.create();
    const ignored = fakeGithubToken('inline');
    const pathListed = fakeGithubToken('path');
    const hashListed = fakeGithubToken('hash');
    const kept = fakeGithubToken('kept');
    repo.commit('tokens', {
      'app.env': `A=${ignored} # nhiscan:ignore\nB=${hashListed}\nC=${kept}\n`,
      'fixtures/tokens.env': `D=${pathListed}\n`,
    });
    const result = await scan(
      repo.dir,
      { 'no-cache': true },
      { settings: { secrets: { allowlist: { paths: ['fixtures/**'], hashes: [hashOf(hashListed)] } } } },
    );
    expect(result.credentials.map((c) => c.secret!.hash)).toEqual([hashOf(kept)]);
  });

  it('clones a URL into a temporary bare repository and removes it afterwards', async () => {
    const { repo, token } = historyRepo();
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('nhiscan-clone-')).length;
    const result = await scan(`file://${repo.dir}`);
    expect(credentialFor(result, token)?.locations?.[0]).toMatchObject({ repository: `file://${repo.dir}`, presentAtHead: false });
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('nhiscan-clone-')).length).toBe(before);
    expect(existsSync(join(repo.dir, '.git', '.nhiscan-cache'))).toBe(false);
    await expect(scan(`file://${repo.dir}-does-not-exist`)).rejects.toThrow(/cannot clone/);
  });

  it('scans a bare mirror the same way as a working copy', async () => {
    const { repo, token } = historyRepo();
    const mirror = `${repo.dir}-mirror.git`;
    repo.git('clone', '-q', '--mirror', repo.dir, mirror);
    const result = await scan(mirror, { 'no-cache': true });
    expect(credentialFor(result, token)?.locations?.[0]).toMatchObject({ path: 'scripts/release.sh', presentAtHead: false });
    expect(result.stats).toMatchObject({ blobs: 4 });
  });

  it('fails clearly on something that is not a repository, even inside another repository', async () => {
    await expect(scan(tmpdir())).rejects.toThrow(/is not a git repository/);
    const { repo } = historyRepo();
    mkdirSync(join(repo.dir, 'plain-folder'));
    await expect(scan(join(repo.dir, 'plain-folder'))).rejects.toThrow(/is not a git repository/);
  });
});
