/** `--shard` on a GitHub organisation: repositories are split between shards, organisation-wide parts read by each. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubEmulator, type GithubEmulator } from '../../testkit/github/server.js';
import { acmeOrg, fakeGithubPat } from '../../testkit/github/orgs.js';
import { githubConnector } from '../../connectors/github/connector.js';
import { defaultConfig } from '../../src/config.js';
import { mergeInventories } from '../../src/engine.js';
import type { CollectResult } from '../../src/plugin.js';
import type { Shard } from '../../src/shard.js';
import { testContext } from '../support/context.js';

const TOKEN = fakeGithubPat();
const { org } = acmeOrg();

describe('github:ORG in shards', () => {
  let emulator: GithubEmulator;
  beforeAll(async () => {
    emulator = await startGithubEmulator(org, { tokens: [TOKEN], ignoreHideSecret: true });
  });
  afterAll(() => emulator.close());

  async function collect(shard?: Shard): Promise<CollectResult> {
    process.env.GITHUB_TOKEN = TOKEN;
    try {
      const config = { ...defaultConfig(), settings: { github: { apiUrl: emulator.url, retryBaseMs: 5 } } };
      return await githubConnector.collect(testContext('github:acme', { config, ...(shard ? { shard } : {}) }));
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  }

  it('splits the repositories, and the merged shards hold the whole organisation', async () => {
    const whole = await collect();
    const parts = [await collect({ index: 0, count: 3 }), await collect({ index: 1, count: 3 }), await collect({ index: 2, count: 3 })];
    const repoOf = (r: CollectResult) => new Set(r.credentials.filter((c) => c.scope?.includes('/')).map((c) => c.scope));
    const perShard = parts.map(repoOf);
    // Each repository's items come from exactly one shard, and every shard got some.
    for (const repo of repoOf(whole)) expect(perShard.filter((s) => s.has(repo)).length, repo).toBe(1);
    expect(perShard.every((s) => s.size > 0)).toBe(true);
    expect(parts.reduce((n, p) => n + (p.stats?.repositories ?? 0), 0)).toBe(whole.stats?.repositories);
    // Merged, the shards hold exactly the items of one collection (organisation-wide ones once).
    const ids = (r: { identities: { id: string }[]; credentials: { id: string }[] }) => [...r.identities, ...r.credentials].map((i) => i.id).sort();
    expect(ids(mergeInventories(parts))).toEqual(ids(whole));
  });
});
