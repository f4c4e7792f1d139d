/**
 * The registry holds every connector, importer, enricher and rule, built-in or from plugins.
 * Later registrations of the same scheme or rule id replace earlier ones, so a plugin can
 * override a built-in on purpose; the replacement is logged.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connector, Enricher, Importer, NhiscanPlugin, Reporter, Rule } from './plugin.js';
import type { DeferredAnalysis } from './lazy-connector.js';
import type { Inventory } from './model/index.js';
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
  /**
   * The place of each registration (`defer` takes one too): a deferred analysis registers late, and its
   * enrichers and rules must rank as if it had registered in its place.
   */
  private places = 0;
  private readonly enricherPlace = new Map<Enricher, number>();
  private readonly rulePlace = new Map<string, number>();
  private deferred: { analysis: DeferredAnalysis; place: number }[] = [];

  register(plugin: NhiscanPlugin, origin = `"${String((plugin as { name?: unknown } | undefined)?.name)}"`, place = this.places++): this {
    if (!plugin || typeof plugin.name !== 'string') throw new ConfigError('a plugin must export an object with a `name`');
    checkPluginShape(plugin, origin);
    return this.add(plugin, origin, place);
  }

  /**
   * Registers a built-in plugin. Its shape is not checked again at each start: the type checker and
   * the tests hold the built-ins to the plugin API, and the check needs zod, which a pre-commit hook's
   * scan never loads otherwise (src/zod-lazy.ts).
   */
  registerBuiltin(plugin: NhiscanPlugin): this {
    return this.add(plugin, `"${plugin.name}"`, this.places++);
  }

  private add(plugin: NhiscanPlugin, origin: string, place: number): this {
    this.plugins.push(plugin.name);
    for (const c of plugin.connectors ?? []) this.connectors.set(c.scheme, c);
    for (const i of plugin.importers ?? []) this.importers.push(i);
    for (const e of plugin.enrichers ?? []) {
      this.enrichers.push(e);
      this.enricherPlace.set(e, place);
    }
    for (const r of plugin.rules ?? []) {
      // A rule that a plugin registered after this place replaced stays replaced.
      if ((this.rulePlace.get(r.meta.id) ?? -1) > place) continue;
      this.rules.set(r.meta.id, r);
      this.rulePlace.set(r.meta.id, place);
    }
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

  /**
   * Keeps `analysis` (enrichers and rules only) for `loadDeferred`, which registers it in the place it
   * takes now: enrichers of the same order run, and rules replace one another, as if it were registered here.
   */
  defer(analysis: DeferredAnalysis): this {
    this.deferred.push({ analysis, place: this.places++ });
    return this;
  }

  /**
   * Registers the deferred analyses whose providers have an item in `inventory`, or all of them without
   * one (a command that needs every rule: a config naming rules, a baseline, history, shards).
   */
  async loadDeferred(inventory?: Inventory): Promise<void> {
    const present = inventory ? providersOf(inventory) : undefined;
    const due = this.deferred.filter(({ analysis }) => !present || analysis.providers.some((provider) => present.has(provider)));
    if (!due.length) return;
    this.deferred = this.deferred.filter((entry) => !due.includes(entry));
    const loaded = await Promise.all(due.map(({ analysis }) => analysis.load()));
    due.forEach(({ place }, i) => {
      const plugin = loaded[i]!;
      if (plugin.connectors?.length || plugin.importers?.length || plugin.reporters?.length || plugin.detectors?.length)
        throw new Error(`deferred analysis ${plugin.name} may hold only enrichers and rules`);
      this.add(plugin, `"${plugin.name}"`, place); // built-in, as every deferred analysis is
    });
  }

  /** Enrichers by `order`; those of one order in the place they were registered. */
  sortedEnrichers(): Enricher[] {
    return [...this.enrichers].sort((a, b) => (a.order ?? 50) - (b.order ?? 50) || this.enricherPlace.get(a)! - this.enricherPlace.get(b)!);
  }

  /** The formats written when none is asked for. */
  defaultFormats(): string[] {
    return [...this.reporters.values()].filter((r) => r.byDefault).map((r) => r.format);
  }

  /**
   * By id. Rule ids are kebab-case ASCII (plugin-check.ts), which code-unit order sorts as localeCompare
   * does, without starting the ICU collator: its first use costs tens of milliseconds, and a pre-commit
   * hook with no finding sorts nothing else.
   */
  sortedRules(): Rule[] {
    return [...this.rules.values()].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  }
}

/** The providers of every item of an inventory. */
function providersOf(inventory: Inventory): Set<string> {
  const providers = new Set<string>();
  for (const items of [inventory.identities, inventory.credentials, inventory.resources ?? []]) for (const item of items) providers.add(item.provider);
  return providers;
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
