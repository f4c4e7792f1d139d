/**
 * Generates docs/rules.md (from every registered rule's metadata) and docs/config.schema.json
 * (from the zod config schema), so the docs cannot drift from the code. `npm run docs`
 * writes them; a test fails when the committed files are stale.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { configSchema } from './config.js';
import { loadBuiltinPlugins } from './builtins.js';
import { Registry } from './registry.js';
import { renderRulesMarkdown } from './rules-doc.js';

export async function generatedDocs(): Promise<Record<string, string>> {
  const registry = new Registry();
  for (const plugin of await loadBuiltinPlugins()) registry.register(plugin);
  const schema = { $id: 'https://nhiscan.dev/schemas/config-1.json', title: 'nhiscan config', ...z.toJSONSchema(configSchema, { io: 'input' }) };
  return {
    'docs/rules.md': renderRulesMarkdown(registry.sortedRules()),
    'docs/config.schema.json': `${JSON.stringify(schema, null, 2)}\n`,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  for (const [path, content] of Object.entries(await generatedDocs())) {
    writeFileSync(path, content);
    process.stderr.write(`wrote ${path}\n`);
  }
}
