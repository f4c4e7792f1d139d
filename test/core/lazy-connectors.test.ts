/**
 * Built-in connectors (and report formats) register a light description (scheme, options, settings schema, sharding) and load
 * their implementation when a source runs (start-up time, docs/pipelines.md). The engine and the CLI
 * read those fields from the registered connector before anything is loaded, so each must be the
 * implementation's own: a field missing from the description is silently lost (`shardsUnits` was, for
 * aws and gcp: `--shard` then sent the whole organisation to one shard).
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinPlugins } from '../../src/builtins.js';
import type { Connector, Reporter } from '../../src/plugin.js';
import { loadImporters, lazyImporters } from '../../src/lazy-connector.js';
import { Registry } from '../../src/registry.js';

const IMPLEMENTATIONS: Record<string, () => Promise<Connector>> = {
  git: async () => (await import('../../connectors/git/connector.js')).gitConnector,
  staged: async () => (await import('../../connectors/git/staged.js')).stagedConnector,
  dir: async () => (await import('../../connectors/dir/connector.js')).dirConnector,
  github: async () => (await import('../../connectors/github/connector.js')).githubConnector,
  people: async () => (await import('../../connectors/people/connector.js')).peopleConnector,
  aws: async () => (await import('../../connectors/aws/live/connector.js')).awsConnector,
  azure: async () => (await import('../../connectors/azure/connector.js')).azureConnector,
  entra: async () => (await import('../../connectors/entra/connector.js')).entraConnector,
  gcp: async () => (await import('../../connectors/gcp/connector.js')).createGcpConnector(),
};

describe('lazily loaded built-in connectors', () => {
  it('register every field of their implementation but collect, the same values', async () => {
    const registry = new Registry();
    for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
    expect([...registry.connectors.keys()].sort()).toEqual(Object.keys(IMPLEMENTATIONS).sort());
    for (const [scheme, load] of Object.entries(IMPLEMENTATIONS)) {
      const registered = registry.connectors.get(scheme)! as unknown as Record<string, unknown>;
      const implementation = (await load()) as unknown as Record<string, unknown>;
      expect(Object.keys(registered).sort(), scheme).toEqual(Object.keys(implementation).sort());
      for (const key of Object.keys(implementation)) if (key !== 'collect') expect(registered[key], `${scheme}.${key}`).toBe(implementation[key]);
    }
    // The sources whose units shards split say so before their implementation loads.
    const options = { 'aws-org-role': 'Audit' };
    const splits = ['aws', 'azure', 'gcp', 'github'].filter((scheme) =>
      registry.connectors.get(scheme)!.shardsUnits?.({ spec: scheme, scheme, target: '' }, options),
    );
    expect(splits).toEqual(['aws', 'azure', 'gcp', 'github']);
  });

  it('report formats loaded on first use register the fields of their implementation', async () => {
    const registry = new Registry();
    for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
    const implementations: Reporter[] = [
      (await import('../../reports/json.js')).jsonReporter,
      (await import('../../reports/markdown.js')).markdownReporter,
      (await import('../../reports/sarif.js')).sarifReporter,
      (await import('../../reports/html.js')).htmlReporter,
    ];
    expect([...registry.reporters.keys()].sort()).toEqual(implementations.map((r) => r.format).sort());
    for (const implementation of implementations) {
      const { write: _write, ...fields } = registry.reporters.get(implementation.format)!;
      const { write: _implementationWrite, ...expected } = implementation;
      expect(fields, implementation.format).toEqual(expected);
    }
  });
});

describe('lazily loaded built-in enrichers', () => {
  it('register the id and order of their implementation, so they run at the same point', async () => {
    const registry = new Registry();
    for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
    const { effectivePermissionsEnricher } = await import('../../src/aws-iam/enricher.js');
    const registered = registry.enrichers.find((e) => e.id === effectivePermissionsEnricher.id);
    expect(registered, 'aws-effective-permissions is registered').toBeDefined();
    expect(registered!.order).toBe(effectivePermissionsEnricher.order);
  });
});

describe('lazily loaded built-in importers', () => {
  it('register the ids of their implementation in its order, and detect only once loaded', async () => {
    const registry = new Registry();
    for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
    const github = registry.importers.find((importer) => importer.id === 'github-snapshot')!;
    const input = { path: 's.json', text: '{"nhiscanSnapshot":"github"}', parsed: { nhiscanSnapshot: 'github' } };
    expect(() => github.detect(input)).toThrow(/before it was loaded/);
    // loadImporters checks each plugin's registered ids against its implementation's, in order.
    expect(await loadImporters(registry.importers)).toEqual([]);
    const { githubSnapshotImporter } = await import('../../connectors/github/importer.js');
    expect(github.description).toBe(githubSnapshotImporter.description);
    expect(registry.importers.filter((importer) => importer.description.includes('loaded when'))).toEqual([]);
  });

  it('a plugin whose importers load under other ids is reported, not silently reordered', async () => {
    const [importer] = lazyImporters(['a'], async () => [{ id: 'b', description: 'b', detect: () => true, read: () => ({ identities: [], credentials: [] }) }]);
    expect(await loadImporters([importer!])).toEqual(['importers a loaded as b']);
  });
});
