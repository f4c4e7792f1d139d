import { loadBuiltinPlugins } from '../../src/builtins.js';
import { loadImporters } from '../../src/lazy-connector.js';
import { Registry } from '../../src/registry.js';

let registry: Registry | undefined;

/** The built-in plugins, registered once per test file (loading them costs more than most tests). */
export async function builtinRegistry(): Promise<Registry> {
  if (!registry) {
    const fresh = new Registry();
    for (const plugin of await loadBuiltinPlugins()) fresh.register(plugin);
    // Tests detect formats directly (findImporter), as the engine does once an import: source runs.
    await loadImporters(fresh.importers);
    registry = fresh;
  }
  return registry;
}
