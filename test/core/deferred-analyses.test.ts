/**
 * A scan defers each provider's analysis (its enrichers and rules) until the inventory holds one of that
 * provider's items (src/builtins.ts, Registry.defer): a pre-commit hook then loads no AWS, Azure,
 * Entra or GCP rules. That is only right if an analysis whose providers are absent finds and changes
 * nothing. Checked on the sample estate (every provider, cross-provider links, leaked keys of each
 * cloud in a repository): with the items of one provider (or of all of them) removed, the deferring
 * registry gives the same findings and the same enriched inventory as one with every analysis
 * registered, while it left that provider's analysis unloaded.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinPlugins, registerBuiltinPlugins } from '../../src/builtins.js';
import { defaultConfig } from '../../src/config.js';
import { analyse, runScan } from '../../src/engine.js';
import { silentLogger } from '../../src/log.js';
import type { Inventory } from '../../src/model/index.js';
import { Registry } from '../../src/registry.js';
import { generatePaymentsRepo } from '../../examples/estate/generate.js';
import { fakeOpenSshPrivateKey, fakePostgresUrl, fakePypiToken } from '../../testkit/fake-tokens.js';

const ESTATE = join(import.meta.dirname, '../../examples/estate');
const NOW = new Date('2026-11-29T00:00:00Z');
const DEFERRED = ['github', 'aws', 'azure', 'entra', 'gcp'];

async function eagerRegistry(): Promise<Registry> {
  const registry = new Registry();
  for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
  return registry;
}

function withoutProviders(inventory: Inventory, providers: string[]): Inventory {
  const keep = <T extends { provider: string }>(items: T[]): T[] => items.filter((item) => !providers.includes(item.provider));
  return structuredClone({
    ...inventory,
    identities: keep(inventory.identities),
    credentials: keep(inventory.credentials),
    ...(inventory.resources ? { resources: keep(inventory.resources) } : {}),
  });
}

async function analysed(registry: Registry, inventory: Inventory) {
  const result = await analyse(structuredClone(inventory), [], { registry, config: defaultConfig(), now: NOW, log: silentLogger }, NOW.toISOString());
  return { findings: result.findings, inventory: result.inventory, analysisErrors: result.analysisErrors };
}

describe('deferred provider analyses', () => {
  let work: string;
  let raw: Inventory;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nhiscan-deferred-'));
    const repo = join(work, 'payments-api');
    generatePaymentsRepo(repo);
    // Leaks of no deferred provider's, so an inventory without any of those providers still has findings.
    const other = join(work, 'other');
    mkdirSync(other);
    writeFileSync(join(other, '.pypirc'), `[pypi]\nusername = __token__\npassword = ${fakePypiToken()}\n`);
    writeFileSync(join(other, 'db.env'), `DATABASE_URL=${fakePostgresUrl().url}\n`);
    writeFileSync(join(other, 'id_deploy'), fakeOpenSshPrivateKey());
    const exports = ['aws/authorization-details.json', 'aws/credential-report.csv', 'aws/access-keys.json', 'aws/organization.json', 'aws/secrets.json'];
    exports.push('aws/kms-keys.json', 'github/acme-org.json', 'azure/contoso.json', 'entra/contoso-tenant.json', 'gcp/asset-export.ndjson');
    const sources = [`dir:${repo}`, `dir:${other}`, ...exports.map((file) => `import:${join(ESTATE, file)}`)];
    const result = await runScan({ registry: await eagerRegistry(), config: defaultConfig(), sources, log: silentLogger, now: NOW, keepRaw: true });
    raw = result.rawInventory!;
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the sample estate holds items of every deferred provider, and findings on each', async () => {
    const providers = new Set([...raw.identities, ...raw.credentials].map((item) => item.provider));
    for (const provider of DEFERRED) expect(providers, provider).toContain(provider);
    const { findings } = await analysed(await eagerRegistry(), raw);
    for (const provider of DEFERRED)
      expect(
        findings.some((f) => f.resource.provider === provider),
        provider,
      ).toBe(true);
  });

  for (const absent of [...DEFERRED.map((provider) => [provider]), DEFERRED]) {
    it(`without ${absent.join(', ')} items: the same findings and inventory, the analysis left unloaded`, async () => {
      const inventory = withoutProviders(raw, absent);
      const deferring = new Registry();
      await registerBuiltinPlugins(deferring, { deferAnalyses: true });
      const expected = await analysed(await eagerRegistry(), inventory);
      const actual = await analysed(deferring, inventory);
      expect(actual).toEqual(expected);
      expect(expected.findings.length).toBeGreaterThan(0);
      // The analyses of the absent providers were not loaded: fewer rules than a full registry.
      expect(deferring.rules.size).toBeLessThan((await eagerRegistry()).rules.size);
    });
  }

  it('with every provider present, every analysis loads, in the places a full registry gives its enrichers', async () => {
    const deferring = new Registry();
    await registerBuiltinPlugins(deferring, { deferAnalyses: true });
    await deferring.loadDeferred(raw);
    const eager = await eagerRegistry();
    expect([...deferring.rules.keys()].sort()).toEqual([...eager.rules.keys()].sort());
    expect(deferring.sortedEnrichers().map((e) => e.id)).toEqual(eager.sortedEnrichers().map((e) => e.id));
  });
});
