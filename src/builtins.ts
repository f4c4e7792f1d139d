/**
 * The built-in plugins. They register through the same API as third-party plugins.
 * Each connector folder owns its `plugin.ts` (connector, importers, enrichers, rules).
 *
 * Connector plugins load lazily and in isolation: if one cannot load (a broken install, a
 * missing optional SDK), its sources fail with a clear error naming it while every other
 * source still scans, instead of the whole CLI crashing at start-up.
 */
import type { Connector, NhiscanPlugin } from './plugin.js';
import { corePlugin } from './core-plugin.js';
import { reportsPlugin } from '../reports/plugin.js';

const CONNECTOR_PLUGINS: { scheme: string[]; load: () => Promise<NhiscanPlugin> }[] = [
  { scheme: ['git'], load: async () => (await import('../connectors/git/plugin.js')).gitPlugin },
  { scheme: ['dir'], load: async () => (await import('../connectors/dir/plugin.js')).dirPlugin },
  { scheme: ['github'], load: async () => (await import('../connectors/github/plugin.js')).githubPlugin },
  { scheme: ['aws'], load: async () => (await import('../connectors/aws/plugin.js')).awsPlugin },
  { scheme: ['azure'], load: async () => (await import('../connectors/azure/plugin.js')).azurePlugin },
  { scheme: ['entra'], load: async () => (await import('../connectors/entra/plugin.js')).entraPlugin },
  { scheme: ['gcp'], load: async () => (await import('../connectors/gcp/plugin.js')).gcpPlugin },
  { scheme: ['people'], load: async () => (await import('../connectors/people/plugin.js')).peoplePlugin },
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

export async function loadBuiltinPlugins(): Promise<NhiscanPlugin[]> {
  const plugins: NhiscanPlugin[] = [corePlugin, reportsPlugin];
  const loaded = await Promise.all(
    CONNECTOR_PLUGINS.map(async ({ scheme, load }) => {
      try {
        return await load();
      } catch (error) {
        const reason = (error as Error).message.split('\n')[0] ?? 'unknown error';
        return { name: `nhiscan:${scheme[0]} (unavailable)`, connectors: scheme.map((s) => unavailable(s, reason)) };
      }
    }),
  );
  plugins.push(...loaded);
  return plugins;
}
