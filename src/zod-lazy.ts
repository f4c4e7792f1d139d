/**
 * zod, loaded when a schema is first needed rather than at start-up.
 *
 * A pre-commit hook (`nhiscan scan staged:.` with no config file) validates nothing: the built-in
 * defaults are known (`RuleMeta.defaultOptions`, `defaultConfig()`, the scan settings' defaults). Loading
 * zod and building the ~150 schemas of the modules it loads was a fifth of that command's start-up
 * (docs/pipelines.md), so the schemas of the modules on its path are built on first use
 * (`lazySchema`) and zod itself loads only when something is validated (`loadZod`, which the CLI calls
 * before reading a config file, for every command but such a plain scan, and which the analyses that
 * build their schemas at once call before they load).
 *
 * zod runs in its `jitless` mode: it checks values with its interpreter instead of compiling a
 * JavaScript parser for each object schema on first use, since a scan parses each schema once or
 * twice and compiling costs far more than it saves. Validation is the same either way (zod's
 * documented mode for places that forbid `new Function`); zod reads the flag when a schema is built,
 * hence here, before any schema of ours.
 */
import type { z } from 'zod';

export type Zod = typeof z;

let loaded: Zod | undefined;

/** Loads zod (once) and sets its jitless mode. Every schema built afterwards can validate. */
export async function loadZod(): Promise<Zod> {
  if (!loaded) {
    const { z } = await import('zod');
    z.config({ jitless: true });
    loaded = z;
  }
  return loaded;
}

/** zod, once `loadZod` has run: a schema needed before that is a bug of the caller's, named here. */
export function zod(): Zod {
  if (!loaded) throw new Error('internal error: a zod schema was used before zod was loaded (loadZod)');
  return loaded;
}

/**
 * A schema built the first time anything touches it (validates with it, extends it, nests it), by then
 * with zod loaded. It stands for the schema everywhere: a property read, a method call, `instanceof`
 * and nesting in another schema reach the built one. Passing it around (a meta object spread into a
 * connector) does not build it.
 */
export function lazySchema<T extends object>(build: (z: Zod) => T): T {
  let built: T | undefined;
  const schema = (): T => (built ??= build(zod()));
  return new Proxy({} as T, {
    get(_, key) {
      const target = schema();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_, key, value) => Reflect.set(schema(), key, value),
    has: (_, key) => Reflect.has(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}
