/**
 * The offline snapshot importer and the sample estate's Azure subscription (examples/estate/azure/contoso.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { azureAnalysis, azurePlugin } from '../../connectors/azure/plugin.js';
import { azureSnapshotImporter } from '../../connectors/azure/importer.js';
import { corePlugin } from '../../src/core-plugin.js';
import { defaultConfig } from '../../src/config.js';
import { ownerEnricher } from '../../src/enrichers/owners.js';
import { evaluateRules } from '../../src/evaluate.js';
import { silentLogger } from '../../src/log.js';
import { Registry } from '../../src/registry.js';
import { azureRules } from '../../rules/azure/index.js';
import { snapshotFromEstate } from '../../testkit/azure/estate.js';
import { sampleEstate } from '../../testkit/azure/sample-estate.js';
import { testContext } from '../support/context.js';

/** The azure plugin's enrichers and rules: a scan loads them when the inventory holds azure items. */
const azureAnalysisPlugin = await azureAnalysis.load();

const SAMPLE = new URL('../../examples/estate/azure/contoso.json', import.meta.url);

function input(text: string, path = 'contoso.json') {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { path, text, parsed };
}

describe('azure snapshot importer', () => {
  it('detects Azure snapshots and nothing else', () => {
    expect(azureSnapshotImporter.detect(input(readFileSync(SAMPLE, 'utf8')))).toBe(true);
    expect(azureSnapshotImporter.detect(input('{"tool":{"name":"nhiscan"},"inventory":{}}'))).toBe(false);
    expect(azureSnapshotImporter.detect(input('{"nhiscanSnapshot":"github"}'))).toBe(false);
    expect(azureSnapshotImporter.detect(input('not json'))).toBe(false);
  });

  it('refuses a snapshot that carries a secret value, without echoing it', async () => {
    const snapshot = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    const planted = `canary-${Math.random().toString(36).slice(2)}`;
    snapshot.vaults[0].secrets[0].properties.value = planted;
    const text = JSON.stringify(snapshot);
    const read = async () => azureSnapshotImporter.read(input(text), testContext('import:contoso.json'));
    await expect(read()).rejects.toThrow(/carries a secret value/);
    await read().catch((e: Error) => expect(e.message).not.toContain(planted));
  });

  it('skips an entry of the wrong shape, naming the file and the field; the source is partial', async () => {
    const text = JSON.stringify({ nhiscanSnapshot: 'azure', version: 1, subscriptions: [], vaults: [{ vault: { name: 'x' } }, null], notCovered: [] });
    const result = await azureSnapshotImporter.read(input(text, 'bad.json'), testContext('import:bad.json'));
    expect(result.status).toBe('partial');
    expect(result.notCovered).toContainEqual({ part: 'bad.json $.vaults[0].vault.id', reason: expect.stringMatching(/expected string.*entry skipped/) });
    expect(result.notCovered).toContainEqual({ part: 'bad.json $.vaults[1]', reason: expect.stringMatching(/found null; entry skipped/) });
    const wrongVersion = JSON.stringify({ nhiscanSnapshot: 'azure', version: 9, vaults: [] });
    await expect(async () => azureSnapshotImporter.read(input(wrongVersion, 'v9.json'), testContext('import:v9.json'))).rejects.toThrow(
      /unsupported Azure snapshot version 9/,
    );
  });

  it('the committed sample estate is what its generator renders', () => {
    const committed = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    const { collectedAt: _c, ...rest } = committed;
    expect(rest).toEqual(JSON.parse(JSON.stringify(snapshotFromEstate(sampleEstate()))));
  });

  it('the sample estate triggers every Azure rule, with no value anywhere in the findings', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const ctx = testContext('import:examples/estate/azure/contoso.json');
    const result = await azureSnapshotImporter.read(input(text), ctx);
    expect(result.status).toBe('ok');
    expect(result.stats).toMatchObject({ subscriptions: 2, vaults: 3, secrets: 9, keys: 3, principals: 11, roleAssignments: 3 });
    const inventory = { identities: result.identities, credentials: result.credentials };
    ownerEnricher.enrich(inventory, { config: defaultConfig(), now: ctx.now, log: silentLogger });
    const registry = new Registry().register(corePlugin).register(azurePlugin).register(azureAnalysisPlugin);
    const findings = evaluateRules(registry, inventory, defaultConfig(), ctx.now, silentLogger);
    const fired = new Set(findings.map((f) => f.ruleId));
    for (const rule of azureRules) expect(fired, rule.meta.id).toContain(rule.meta.id);
    expect(findings.every((f) => f.resource.id.startsWith('azure:'))).toBe(true);
  });
});
