/**
 * The built-in plugins. They register through the same API as third-party plugins.
 * Each connector folder owns its `plugin.ts` (connector, importers, enrichers, rules).
 *
 * Connector plugins load lazily and in isolation: if one cannot load (a broken install, a
 * missing optional SDK), its sources fail with a clear error naming it while every other
 * source still scans, instead of the whole CLI crashing at start-up.
 *
 * A provider plugin's analysis (its enrichers and rules) is a part of its own, which `registerBuiltinPlugins`
 * can defer until the inventory holds that provider's items (see DeferredAnalysis).
 */
import type { Connector, NhiscanPlugin } from './plugin.js';
import type { DeferredAnalysis } from './lazy-connector.js';
import type { Registry } from './registry.js';
import { corePlugin } from './core-plugin.js';
import { reportsPlugin } from '../reports/plugin.js';

interface BuiltinPlugin {
  plugin: NhiscanPlugin;
  analysis?: DeferredAnalysis;
}

const CONNECTOR_PLUGINS: { scheme: string[]; load: () => Promise<BuiltinPlugin> }[] = [
  { scheme: ['git'], load: async () => ({ plugin: (await import('../connectors/git/plugin.js')).gitPlugin }) },
  { scheme: ['dir'], load: async () => ({ plugin: (await import('../connectors/dir/plugin.js')).dirPlugin }) },
  {
    scheme: ['github'],
    load: async () => {
      const { githubPlugin, githubAnalysis } = await import('../connectors/github/plugin.js');
      return { plugin: githubPlugin, analysis: githubAnalysis };
    },
  },
  {
    scheme: ['aws'],
    load: async () => {
      const { awsPlugin, awsAnalysis } = await import('../connectors/aws/plugin.js');
      return { plugin: awsPlugin, analysis: awsAnalysis };
    },
  },
  {
    scheme: ['azure'],
    load: async () => {
      const { azurePlugin, azureAnalysis } = await import('../connectors/azure/plugin.js');
      return { plugin: azurePlugin, analysis: azureAnalysis };
    },
  },
  {
    scheme: ['entra'],
    load: async () => {
      const { entraPlugin, entraAnalysis } = await import('../connectors/entra/plugin.js');
      return { plugin: entraPlugin, analysis: entraAnalysis };
    },
  },
  {
    scheme: ['gcp'],
    load: async () => {
      const { gcpPlugin, gcpAnalysis } = await import('../connectors/gcp/plugin.js');
      return { plugin: gcpPlugin, analysis: gcpAnalysis };
    },
  },
  { scheme: ['people'], load: async () => ({ plugin: (await import('../connectors/people/plugin.js')).peoplePlugin }) },
];

function unavailable(scheme: string, reason: string): Connector {
  return {
    scheme,
    description: `${scheme} (unavailable)`,
    async collect() {
      throw new Error(`the built-in ${scheme} plugin could not be loaded: ${reason}`);
    },
  };
}

/** Each connector plugin with its analysis; with `loadAnalyses`, the analysis loaded too (both or neither). */
async function loadConnectorPlugins(loadAnalyses: boolean): Promise<{ plugins: NhiscanPlugin[]; analysis?: DeferredAnalysis }[]> {
  return Promise.all(
    CONNECTOR_PLUGINS.map(async ({ scheme, load }) => {
      try {
        const { plugin, analysis } = await load();
        if (!analysis) return { plugins: [plugin] };
        return loadAnalyses ? { plugins: [plugin, await analysis.load()] } : { plugins: [plugin], analysis };
      } catch (error) {
        const reason = (error as Error).message.split('\n')[0] ?? 'unknown error';
        return { plugins: [{ name: `nhiscan:${scheme[0]} (unavailable)`, connectors: scheme.map((s) => unavailable(s, reason)) }] };
      }
    }),
  );
}

/** Every built-in plugin, analyses included, in registration order. */
export async function loadBuiltinPlugins(): Promise<NhiscanPlugin[]> {
  const loaded = await loadConnectorPlugins(true);
  return [corePlugin, reportsPlugin, ...loaded.flatMap((entry) => entry.plugins)];
}

/**
 * Registers every built-in plugin, as `loadBuiltinPlugins` lists them; with `deferAnalyses`, each
 * provider's analysis is deferred in its place (`Registry.defer`) until `registry.loadDeferred`.
 */
export async function registerBuiltinPlugins(registry: Registry, { deferAnalyses }: { deferAnalyses: boolean }): Promise<void> {
  registry.registerBuiltin(corePlugin).registerBuiltin(reportsPlugin);
  for (const { plugins, analysis } of await loadConnectorPlugins(!deferAnalyses)) {
    for (const plugin of plugins) registry.registerBuiltin(plugin);
    if (analysis) registry.defer(analysis);
  }
}
