/** What the CLI needs to know about the `dir:` source (scheme, options, settings) without loading its implementation. */
import type { CliOption, Connector } from '../../src/plugin.js';
import { checkScanSettings, scanSettingsSchema } from '../../src/secret-scan/settings.js';

export const dirOptions: CliOption[] = [
  { name: 'no-ignore', type: 'boolean', description: 'dir: scan files that .gitignore excludes too' },
  { name: 'max-file-size', type: 'string', description: 'git/dir: skip files larger than this (default 10MiB; accepts 512k, 10MiB...)' },
  { name: 'threads', type: 'string', description: 'git/dir: worker threads for secret detection (default: all cores)' },
  {
    name: 'verify',
    type: 'boolean',
    description: "git/dir: check found credentials with their provider's read-only identity endpoint (off by default; docs/secrets.md lists every call)",
  },
];

export const dirConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'dir',
  description: 'Secrets in the files of a directory (working tree), honouring .gitignore',
  options: dirOptions,
  checkOptions: checkScanSettings('dir'),
  settingsSchema: scanSettingsSchema,
};
