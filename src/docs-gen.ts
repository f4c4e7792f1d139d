/**
 * Generates docs/rules.md (from every registered rule's metadata), docs/config.schema.json
 * (from the zod config schema) and the detector catalogue in docs/secrets.md (from the catalogue's
 * entries), so the docs cannot drift from the code. `npm run docs` writes them; a test fails when the
 * committed files are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from './secrets/detectors/index.js';
import { withCatalogue } from './secrets/catalogue-doc.js';
import { configSchema } from './config.js';
import { loadBuiltinPlugins } from './builtins.js';
import { Registry } from './registry.js';
import { renderRulesMarkdown } from './rules-doc.js';
import { loadZod } from './zod-lazy.js';

/** docs/secrets.md of this checkout (src/ or dist/src/ alike). */
const SECRETS_DOC = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../docs/secrets.md' : '../docs/secrets.md', import.meta.url));

export async function generatedDocs(): Promise<Record<string, string>> {
  const z = await loadZod();
  const registry = new Registry();
  for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
  const schema = { $id: 'https://nhiscan.dev/schemas/config-1.json', title: 'nhiscan config', ...z.toJSONSchema(configSchema, { io: 'input' }) };
  return {
    'docs/rules.md': renderRulesMarkdown(registry.sortedRules()),
    'docs/config.schema.json': `${JSON.stringify(schema, null, 2)}\n`,
    'docs/secrets.md': withCatalogue(readFileSync(SECRETS_DOC, 'utf8'), CATALOGUE),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  for (const [path, content] of Object.entries(await generatedDocs())) {
    writeFileSync(path, content);
    process.stderr.write(`wrote ${path}\n`);
  }
}
