/**
 * The registry holds every connector, importer, enricher and rule, built-in or from plugins.
 * Later registrations of the same scheme or rule id replace earlier ones, so a plugin can
 * override a built-in on purpose; the replacement is logged.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connector, Enricher, Importer, NhiscanPlugin, Reporter, Rule } from './plugin.js';
import { ConfigError } from './config.js';
import { checkPluginShape } from './plugin-check.js';
import { addDetectors } from './secrets/index.js';

export class Registry {
  readonly connectors = new Map<string, Connector>();
  readonly importers: Importer[] = [];
  readonly enrichers: Enricher[] = [];
  readonly rules = new Map<string, Rule>();
  /** Report formats by their `--format` name. */
  readonly reporters = new Map<string, Reporter>();
  readonly plugins: string[] = [];

  register(plugin: NhiscanPlugin, origin = `"${String((plugin as { name?: unknown } | undefined)?.name)}"`): this {
    if (!plugin || typeof plugin.name !== 'string') throw new ConfigError('a plugin must export an object with a `name`');
    checkPluginShape(plugin, origin);
    this.plugins.push(plugin.name);
    for (const c of plugin.connectors ?? []) this.connectors.set(c.scheme, c);
    for (const i of plugin.importers ?? []) this.importers.push(i);
    for (const e of plugin.enrichers ?? []) this.enrichers.push(e);
    for (const r of plugin.rules ?? []) this.rules.set(r.meta.id, r);
    for (const r of plugin.reporters ?? []) this.reporters.set(r.format, r);
    if (plugin.detectors?.length) {
      try {
        addDetectors(plugin.detectors);
      } catch (error) {
        throw new ConfigError(`plugin ${origin}: ${(error as Error).message}`);
      }
    }
    return this;
  }

  sortedEnrichers(): Enricher[] {
    return [...this.enrichers].sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
  }

  /** The formats written when none is asked for. */
  defaultFormats(): string[] {
    return [...this.reporters.values()].filter((r) => r.byDefault).map((r) => r.format);
  }

  sortedRules(): Rule[] {
    return [...this.rules.values()].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  }
}

/**
 * A package plugin is looked up from the config's directory first (the project that installed it),
 * then from nhiscan's own location (a plugin installed next to a global nhiscan).
 */
function resolvePackage(specifier: string, baseDir: string): string {
  try {
    return pathToFileURL(createRequire(join(baseDir, 'noop.js')).resolve(specifier)).href;
  } catch {
    return specifier;
  }
}

/** Loads a plugin named in the config: a package name, or a path relative to the config file. */
export async function loadPlugin(specifier: string, baseDir: string): Promise<NhiscanPlugin> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  const target = isPath ? pathToFileURL(resolve(baseDir, specifier)).href : resolvePackage(specifier, baseDir);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`cannot load plugin "${specifier}": ${(error as Error).message}`);
  }
  const plugin = (mod.default ?? mod.plugin) as NhiscanPlugin | undefined;
  if (!plugin || typeof plugin !== 'object' || typeof plugin.name !== 'string') {
    throw new ConfigError(`plugin "${specifier}" must export an nhiscan plugin object (default export or \`plugin\`) with a name`);
  }
  return plugin;
}
