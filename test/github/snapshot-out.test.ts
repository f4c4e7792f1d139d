/**
 * --github-snapshot-out: the raw snapshot is resolved against the source's base directory (not the
 * process's working directory), written atomically, and a failed write costs only the recording.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGithubEmulator, type GithubEmulator } from '../../testkit/github/server.js';
import { acmeOrg, fakeGithubPat } from '../../testkit/github/orgs.js';
import { githubConnector } from '../../connectors/github/connector.js';
import { githubSnapshotImporter } from '../../connectors/github/importer.js';
import { defaultConfig } from '../../src/config.js';
import { tempDir } from '../support/cli.js';
import { testContext } from '../support/context.js';

const TOKEN = fakeGithubPat();
const { org } = acmeOrg();

describe('github --github-snapshot-out', () => {
  let emulator: GithubEmulator;
  beforeAll(async () => {
    emulator = await startGithubEmulator(org, { tokens: [TOKEN] });
  });
  afterAll(() => emulator.close());

  async function scan(baseDir: string, snapshotOut: string) {
    process.env.GITHUB_TOKEN = TOKEN;
    try {
      const ctx = testContext('github:acme', {
        baseDir,
        options: { 'github-snapshot-out': snapshotOut },
        config: { ...defaultConfig(), settings: { github: { apiUrl: emulator.url, retryBaseMs: 5 } } },
      });
      return await githubConnector.collect(ctx);
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  }

  it('writes a relative path under the source base directory, atomically and owner-only, in a form import: reads back', async () => {
    const dir = tempDir('nhiscan-gh-snap-');
    const result = await scan(dir, 'snapshots/acme.json');
    expect((result.errors ?? []).filter((e) => e.part === 'snapshot-out')).toEqual([]);
    // Under baseDir (the config's folder for configured sources), not under the test's working directory.
    expect(readdirSync(join(dir, 'snapshots'))).toEqual(['acme.json']); // no temporary file left behind
    const path = join(dir, 'snapshots', 'acme.json');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    const parsed = JSON.parse(text);
    expect(githubSnapshotImporter.detect({ path, text, parsed })).toBe(true);
    const reread = await githubSnapshotImporter.read({ path, text, parsed }, testContext(`import:${path}`));
    expect(reread.credentials.length).toBe(result.credentials.length);
  });

  it('a snapshot that cannot be written makes the source partial, naming the path; the inventory is kept', async () => {
    const dir = tempDir('nhiscan-gh-snap-');
    writeFileSync(join(dir, 'not-a-dir'), '');
    const result = await scan(dir, 'not-a-dir/acme.json');
    expect(result.status).toBe('partial');
    expect(result.stats?.repositories).toBe(123); // the collection itself went on
    const snapshotErrors = (result.errors ?? []).filter((e) => e.part === 'snapshot-out');
    expect(snapshotErrors).toHaveLength(1);
    expect(snapshotErrors[0]!.message).toMatch(/^cannot write the snapshot to .*not-a-dir.acme\.json: E[A-Z]+$/);
    expect(result.credentials.some((c) => c.kind === 'deploy-key')).toBe(true);
  });
});
