import { defaultConfig, type Config } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import type { ConnectorContext, SourceSpec } from '../../src/plugin.js';
import { parseSourceSpec } from '../../src/sources.js';
import { gitConnector } from '../../connectors/git/connector.js';

/** A ConnectorContext for calling a connector or importer directly in a test. */
export function testContext(spec: string, overrides: Partial<Omit<ConnectorContext, 'source'>> & { config?: Partial<Config> } = {}): ConnectorContext {
  const source: SourceSpec = parseSourceSpec(spec);
  const { config, ...rest } = overrides;
  return {
    source,
    options: {},
    config: { ...defaultConfig(), ...(config ?? {}) },
    log: silentLogger,
    progress() {},
    now: new Date('2026-11-29T00:00:00Z'),
    signal: new AbortController().signal,
    baseDir: process.cwd(),
    // What the engine gives from its registry: the built-in git connector (for --scan-history).
    connector: (scheme) => (scheme === 'git' ? gitConnector : undefined),
    ...rest,
  };
}
