/**
 * What the CLI needs to know about the `git:` and `staged:` sources (scheme, options, settings) without
 * loading their implementation: the CLI registers every built-in at start-up, and a pre-commit hook
 * must not pay for the history scanner to run `staged:`.
 */
import type { CliOption, Connector } from '../../src/plugin.js';
import { SCAN_CLI_OPTIONS, checkScanSettings, scanSettingsSchema } from '../../src/secret-scan/settings.js';

export const gitOptions: CliOption[] = [
  { name: 'since', type: 'string', description: 'git: scan only what the refs add after REV (e.g. the last scanned release)' },
  { name: 'range', type: 'string', description: 'git: scan only the commits of A..B (e.g. a pull request: origin/main..HEAD)' },
  { name: 'cache-dir', type: 'string', description: 'git: where to keep the scanned-blob cache (default $XDG_CACHE_HOME/nhiscan/git/<repository>)' },
  { name: 'no-cache', type: 'boolean', description: 'git: neither read nor write the scanned-blob cache' },
  ...SCAN_CLI_OPTIONS,
];

export const gitConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'git',
  description: 'Secrets in the whole history of a git repository (working copy, bare/mirror, or URL)',
  options: gitOptions,
  checkOptions: checkScanSettings('git'),
  settingsSchema: scanSettingsSchema,
};

export const stagedConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'staged',
  description: 'Secrets in the changes staged for the next commit (the index), for pre-commit hooks',
};
