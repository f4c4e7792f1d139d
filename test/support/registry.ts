import { loadBuiltinPlugins } from '../../src/builtins.js';
import { Registry } from '../../src/registry.js';

let registry: Registry | undefined;

/** The built-in plugins, registered once per test file (loading them costs more than most tests). */
export async function builtinRegistry(): Promise<Registry> {
  if (!registry) {
    const fresh = new Registry();
    for (const plugin of await loadBuiltinPlugins()) fresh.register(plugin);
    registry = fresh;
  }
  return registry;
}
