/**
 * `--shard I/N` on the cloud sources, against their emulators with the real SDK clients: the accounts
 * of an AWS Organization (Organizations ListAccounts), Azure subscriptions and Google Cloud projects
 * are split between shards, each unit collected by exactly one, and `merge` of the shards' reports
 * gives what one run gives (findings, fingerprints, severities, counts, inventory). The scans and the
 * merge run the way the CLI runs them: `runScan` with the shard and the raw inventory kept, the JSON
 * report written to a file, read back by `readMergeInput` and analysed again by `mergeReports`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAzureConnector } from '../../connectors/azure/connector.js';
import { loadBuiltinPlugins } from '../../src/builtins.js';
import { defaultConfig, type Config } from '../../src/config.js';
import { runScan, type ScanResult } from '../../src/engine.js';
import { silentLogger } from '../../src/log.js';
import { mergeReports, readMergeInput } from '../../src/merge.js';
import type { Connector } from '../../src/plugin.js';
import { Registry } from '../../src/registry.js';
import { buildReport, type ScanReport } from '../../src/report-model.js';
import { shardOwns, type Shard } from '../../src/shard.js';
import { AwsEmulator } from '../../testkit/aws/server.js';
import { startArmEmulator, staticTestCredential, type ArmEmulator } from '../../testkit/azure/arm-emulator.js';
import { fixtureEstate } from '../../testkit/azure/fixture-estate.js';
import { fixtureGcpEstate, key, project, serviceAccount, testServiceAccountKey } from '../../testkit/gcp/estate.js';
import { startGcpEmulator, type GcpEmulator } from '../../testkit/gcp/server.js';
import { smallAccount } from '../aws/fixtures.js';
import { tempDir } from '../support/cli.js';

const NOW = new Date('2026-11-29T00:00:00Z');
const SHARDS = 3;

/** What must not change between one run and a merge of shards: every finding as the user sees it, the counts and the inventory. */
function essence(report: ScanReport) {
  return {
    findings: report.findings.map((f) => `${f.fingerprint} ${f.ruleId} ${f.severity} ${f.resource.id} ${f.message}`).sort(),
    bySeverity: report.summary.bySeverity,
    byRule: report.summary.byRule,
    total: report.summary.total,
    identities: report.inventory.identities.map((i) => i.id).sort(),
    credentials: report.inventory.credentials.map((c) => c.id).sort(),
    resources: (report.inventory.resources ?? []).map((r) => r.id).sort(),
  };
}

interface Estate {
  /** The registry the CLI builds, with the provider's connector pointed at the emulator. */
  registry: Registry;
  config: Config;
  sources: string[];
  options: Record<string, unknown>;
}

async function registryWith(connector?: Connector): Promise<Registry> {
  const registry = new Registry();
  for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
  if (connector) registry.register({ name: 'test:emulated', connectors: [connector] });
  return registry;
}

function reportOf(estate: Estate, result: ScanResult, shard?: Shard): ScanReport {
  const rules = estate.registry.sortedRules().map((r) => r.meta);
  return buildReport({
    result,
    findings: result.findings,
    version: 'test',
    rules,
    gate: result.gate,
    now: NOW,
    ...(shard ? { shard: `${shard.index + 1}/${shard.count}` } : {}),
  });
}

/** One run; the same estate in SHARDS shards, each report written as JSON; and the merge of those files. */
async function shardAndMerge(estate: Estate): Promise<{ single: ScanReport; shards: ScanReport[]; merged: ScanReport }> {
  const request = { registry: estate.registry, config: estate.config, sources: estate.sources, options: estate.options, now: NOW, log: silentLogger };
  const single = reportOf(estate, await runScan(request));
  const dir = tempDir('nhiscan-cloud-shards-');
  const shards: ScanReport[] = [];
  const files: string[] = [];
  for (let index = 0; index < SHARDS; index++) {
    const shard = { index, count: SHARDS };
    const report = reportOf(estate, await runScan({ ...request, shard, keepRaw: true }), shard);
    shards.push(report);
    files.push(join(dir, `shard-${index + 1}.json`));
    writeFileSync(files.at(-1)!, JSON.stringify(report));
  }
  const mergedResult = await mergeReports(files.map(readMergeInput), { registry: estate.registry, config: estate.config, log: silentLogger, now: NOW });
  return { single, shards, merged: reportOf(estate, mergedResult) };
}

/** The units (account ids, subscription ids, project ids) whose items a report holds, by what each item's id names. */
function unitsIn(report: ScanReport, units: string[]): Set<string> {
  const ids = [...report.inventory.identities, ...report.inventory.credentials].map((item) => item.id.toLowerCase());
  return new Set(units.filter((unit) => ids.some((id) => id.includes(unit.toLowerCase()))));
}

/** Each unit's items come from exactly the shard that owns it, every shard got at least one, and the merge equals one run. */
function expectPartitionAndMerge({ single, shards, merged }: Awaited<ReturnType<typeof shardAndMerge>>, units: string[]): void {
  expect(unitsIn(single, units)).toEqual(new Set(units));
  const perShard = shards.map((report) => unitsIn(report, units));
  for (const unit of units) {
    const holders = perShard.flatMap((set, index) => (set.has(unit) ? [index] : []));
    expect(holders, unit).toEqual([Array.from({ length: SHARDS }, (_, index) => index).find((index) => shardOwns({ index, count: SHARDS }, unit))]);
  }
  expect(perShard.every((set) => set.size > 0)).toBe(true);
  expect(single.findings.length).toBeGreaterThan(0);
  expect(essence(merged)).toEqual(essence(single));
  // The merged sources say every unit was covered, as the single run's do.
  expect(merged.sources.map((s) => `${s.spec} ${s.status}`).sort()).toEqual(single.sources.map((s) => `${s.spec} ${s.status}`).sort());
}

const cleanups: (() => Promise<void>)[] = [];
const savedEnv = { ...process.env };
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  process.env = { ...savedEnv };
});

describe('--shard on cloud sources, against the emulators', () => {
  // The built-in aws connector as registered (lazy, the SDK loaded on first use) through AWS_ENDPOINT_URL: its
  // registration must say that an organisation's accounts are split, or the whole source goes to one shard.
  it('splits the accounts of an AWS Organization (ListAccounts) between shards; merged, they equal one run', async () => {
    const accounts = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555', '666666666666'];
    const emulator = await new AwsEmulator({ accounts: accounts.map((id) => smallAccount(id)) }).start();
    cleanups.push(() => emulator.stop());
    process.env.AWS_ENDPOINT_URL = emulator.url;
    const estate: Estate = {
      registry: await registryWith(),
      config: { ...defaultConfig(), settings: { aws: { reportPollMs: 5, maxAttempts: 2, resourcePolicies: false } } },
      sources: ['aws'],
      options: { 'aws-org-role': 'Audit' },
    };
    const outcome = await shardAndMerge(estate);
    expectPartitionAndMerge(outcome, accounts);
    // Each shard names only its own accounts as sub-sources; together they are the organisation's.
    const accountSources = (r: ScanReport) => r.sources.filter((s) => s.parent === 'aws').map((s) => s.spec);
    expect(outcome.shards.flatMap(accountSources).sort()).toEqual(accountSources(outcome.single).sort());
    expect(outcome.shards.map((r) => r.sources.find((s) => s.spec === 'aws')!.stats.accounts).reduce((a, b) => a + b)).toBe(accounts.length);
    // Every shard listed the organisation, and assumed the role only in its own accounts; nothing was written.
    const assumed = emulator.log.filter((c) => c.action === 'AssumeRole').length;
    expect(emulator.log.filter((c) => c.action === 'ListAccounts').length).toBeGreaterThanOrEqual(1 + SHARDS);
    expect(assumed).toBeGreaterThan(0);
    for (const action of emulator.actions()) expect(action).toMatch(/^(Get|List|Describe)|^GenerateCredentialReport$|^AssumeRole$/);
  }, 180_000);

  it('splits Azure subscriptions between shards; merged, they equal one run', async () => {
    const estate = fixtureEstate();
    const dev = estate.subscriptions.find((s) => s.displayName === 'Contoso Dev')!;
    // Three more subscriptions shaped like the dev one, each with its own vault.
    for (const n of [1, 2, 3]) {
      const subscriptionId = `5ab5c000-0000-4000-a000-00000000000${n}`;
      estate.subscriptions.push({
        ...structuredClone(dev),
        subscriptionId,
        displayName: `Contoso Team ${n}`,
        vaults: dev.vaults.map((v) => ({ ...structuredClone(v), name: `kv-team-${n}` })),
      });
    }
    const emulator: ArmEmulator = await startArmEmulator({ estate });
    cleanups.push(() => emulator.close());
    // The built-in connector's shape with a test credential and CA (the environment credential needs NODE_EXTRA_CA_CERTS,
    // which only a new process reads); test/core/lazy-connectors.test.ts holds the registration to the implementation.
    const connector = createAzureConnector({
      credential: staticTestCredential(emulator),
      clientOptions: { tlsOptions: { ca: emulator.caCert } },
      retry: { retryDelayInMs: 10, maxRetryDelayInMs: 50 },
    });
    const outcome = await shardAndMerge({
      registry: await registryWith(connector),
      config: defaultConfig(),
      sources: ['azure'],
      options: { 'azure-endpoint': emulator.url },
    });
    const enabled = estate.subscriptions.filter((s) => s.state !== 'Disabled').map((s) => s.subscriptionId);
    expectPartitionAndMerge(outcome, enabled);
    expect(outcome.shards.map((r) => r.sources[0]!.stats.subscriptions).reduce((a, b) => a + b)).toBe(outcome.single.sources[0]!.stats.subscriptions);
    expect(emulator.requests.filter((r) => r.kind === 'arm').every((r) => r.method === 'GET')).toBe(true);
  }, 180_000);

  it('splits Google Cloud projects between shards, organisation policies read by each; merged, they equal one run', async () => {
    const estate = fixtureGcpEstate();
    // Three more projects in the organisation, each with a service account holding an old user-managed key.
    for (const n of [1, 2, 3]) {
      const p = project(`team-${n}-app`, `51000000000${n}`, 'organizations/200000000001');
      const sa = serviceAccount(p, `worker-${n}`);
      key(p, sa, `team-${n}-key`, { validAfterTime: '2024-01-01T00:00:00Z' });
      estate.projects.push(p);
    }
    const testKey = testServiceAccountKey();
    const emulator: GcpEmulator = await startGcpEmulator({ estate, publicKeyPem: testKey.publicKeyPem });
    cleanups.push(() => emulator.close());
    // The built-in connector as registered (lazy), with Application Default Credentials from a test key file.
    const adc = join(tempDir('nhiscan-gcp-adc-'), 'adc.json');
    writeFileSync(adc, JSON.stringify(testKey.key));
    process.env.GOOGLE_APPLICATION_CREDENTIALS = adc;
    const outcome = await shardAndMerge({
      registry: await registryWith(),
      config: defaultConfig(),
      sources: ['gcp'],
      options: { 'gcp-endpoint': emulator.url, 'gcp-org': '200000000001' },
    });
    expectPartitionAndMerge(
      outcome,
      estate.projects.map((p) => p.project.projectId),
    );
    expect(outcome.shards.map((r) => r.sources[0]!.stats.projects).reduce((a, b) => a + b)).toBe(outcome.single.sources[0]!.stats.projects);
    expect(emulator.requests.every((r) => r.method === 'GET' || (r.method === 'POST' && r.path.endsWith(':getIamPolicy')))).toBe(true);
  }, 180_000);
});
