import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const EXAMPLE_PLUGIN = '../examples/plugins/nhiscan-plugin-example.js';
export const NOW = '2026-11-29T00:00:00Z';

/**
 * A hand-kept inventory for the example plugin's `inventory-file:` source, with keys that each
 * trip (or pass) one neutral rule at NOW (2026-11-29):
 *  - key-old: created 2025-01-01, used yesterday  → not rotated (697 days > 90); no expiry
 *  - key-never: created 2026-09-15, never used    → unused (75 days > 45, judged by creation); rotation fine (75 < 90)
 *  - key-fresh: created 2026-11-20, used yesterday → only "no expiry"
 * and one account (batch-runner) with no owner and a name without the svc- prefix.
 */
export function writeInventory(dir: string, overrides: Partial<{ accounts: unknown[] }> = {}): string {
  const accounts = overrides.accounts ?? [
    {
      id: 'sa-1',
      name: 'svc-billing',
      owner: 'team-billing',
      keys: [{ id: 'key-old', createdAt: '2025-01-01T00:00:00Z', lastUsedAt: '2026-11-28T00:00:00Z' }],
    },
    { id: 'sa-2', name: 'batch-runner', keys: [{ id: 'key-never', createdAt: '2026-09-15T00:00:00Z' }] },
    {
      id: 'sa-3',
      name: 'svc-fresh',
      owner: 'alice@example.com',
      keys: [{ id: 'key-fresh', createdAt: '2026-11-20T00:00:00Z', lastUsedAt: '2026-11-28T00:00:00Z' }],
    },
  ];
  const path = join(dir, 'inventory.json');
  writeFileSync(path, JSON.stringify({ serviceAccounts: accounts }, null, 2));
  return path;
}

export function writeConfig(dir: string, config: Record<string, unknown>, name = 'nhiscan.config.json'): string {
  const path = join(dir, name);
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify({ plugins: [EXAMPLE_PLUGIN_ABS], ...config }, null, 2));
  return path;
}

export const EXAMPLE_PLUGIN_ABS = new URL('../../examples/plugins/nhiscan-plugin-example.js', import.meta.url).pathname;
