/** What the CLI needs to know about the `dir:` source (scheme, options, settings) without loading its implementation. */
import type { CliOption, Connector } from '../../src/plugin.js';
import { SCAN_CLI_OPTIONS, checkScanSettings, scanSettingsSchema } from '../../src/secret-scan/settings.js';

export const dirOptions: CliOption[] = [
  { name: 'no-ignore', type: 'boolean', description: 'dir: scan files that .gitignore excludes too' },
  ...SCAN_CLI_OPTIONS,
];

export const dirConnectorMeta: Omit<Connector, 'collect'> = {
  scheme: 'dir',
  description: 'Secrets in the files of a directory (working tree), honouring .gitignore',
  options: dirOptions,
  checkOptions: checkScanSettings('dir'),
  settingsSchema: scanSettingsSchema,
};
