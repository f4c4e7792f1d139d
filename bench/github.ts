/**
 * GitHub collection benchmark: an emulated organisation with 2,000 repositories behind a loopback GitHub
 * emulator that adds a fixed latency to every request. Measures wall time and request count of the
 * collector as shipped (bounded concurrency) against the same collector run sequentially (concurrency 1),
 * in the same run, and reports the ratio.
 */
import { pathToFileURL } from 'node:url';
import { createGithubClient } from '../connectors/github/client.js';
import { collectSnapshot } from '../connectors/github/collect.js';
import { normaliseSnapshot } from '../connectors/github/normalise.js';
import { silentLogger } from '../src/log.js';
import { startGithubEmulator } from '../testkit/github/server.js';
import { largeOrg } from '../testkit/github/orgs.js';

const TOKEN = 'bench-token-not-a-secret';

interface Measure {
  wallMs: number;
  requests: number;
  credentials: number;
  identities: number;
}

export async function run(args: { quick: boolean }): Promise<{ name: string; lines: string[] }> {
  const repos = args.quick ? 200 : 2000;
  const latencyMs = 10;
  const org = largeOrg(repos);
  const emulator = await startGithubEmulator(org, { latencyMs, tokens: [TOKEN] });
  try {
    const measure = async (concurrency: number | undefined): Promise<Measure> => {
      emulator.requests.length = 0;
      const client = createGithubClient({ auth: { kind: 'token', token: TOKEN }, baseUrl: emulator.url, log: silentLogger });
      const started = performance.now();
      const outcome = await collectSnapshot(client, { org: org.login, concurrency, authKind: 'token' });
      const wallMs = performance.now() - started;
      const inventory = normaliseSnapshot(outcome.snapshot, `github:${org.login}`);
      if (outcome.errors.length) throw new Error(`bench collection had errors: ${outcome.errors[0]!.message}`);
      return { wallMs, requests: emulator.requests.length, credentials: inventory.credentials.length, identities: inventory.identities.length };
    };
    // Both passes collect the whole organisation from the same server in this run (the sequential one
    // takes several minutes at 2,000 repositories), so the ratio is measured, not extrapolated.
    const shipped = await measure(undefined);
    const sequential = await measure(1);
    if (shipped.credentials !== sequential.credentials || shipped.identities !== sequential.identities) {
      throw new Error('concurrent and sequential collection disagree');
    }
    const fmt = (m: Measure) => `${(m.wallMs / 1000).toFixed(2)} s, ${m.requests} requests (${(m.requests / (m.wallMs / 1000)).toFixed(0)} req/s)`;
    return {
      name: 'github',
      lines: [
        `organisation: ${repos} repositories, ${latencyMs} ms injected latency per request; inventory ${shipped.credentials} credentials, ${shipped.identities} identities`,
        `nhiscan collector (default concurrency): ${fmt(shipped)}`,
        `sequential baseline (concurrency 1), same organisation: ${fmt(sequential)}`,
        `speed-up: ${(sequential.wallMs / shipped.wallMs).toFixed(1)}x wall time for the same inventory`,
      ],
    };
  } finally {
    await emulator.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run({ quick: process.argv.includes('--quick') }).then(
    (r) => console.log([`# ${r.name}`, ...r.lines].join('\n')),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
