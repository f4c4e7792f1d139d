/**
 * Which history store a command uses, and with which fix-time targets: `--history TARGET` first,
 * then the config's `history`, and for the read commands the documented default path.
 */
import type { Config } from '../config.js';
import { DEFAULT_FIX_TARGETS, type FixTargets } from './query.js';
import type { HistorySettings } from './store.js';
import { DEFAULT_HISTORY_PATH, parseHistoryTarget } from './target.js';

function configuredStore(config: Config): string | undefined {
  const h = config.history;
  if (h === undefined || h === false) return undefined;
  if (h === true) return DEFAULT_HISTORY_PATH;
  if (typeof h === 'string') return h;
  return h.store ?? DEFAULT_HISTORY_PATH;
}

export function fixTargetsOf(config: Config): FixTargets {
  const h = config.history;
  return { ...DEFAULT_FIX_TARGETS, ...(h && typeof h === 'object' ? h.fixTargets : {}) };
}

/**
 * For `scan`: history is on when `--history` is given or the config names one; undefined otherwise.
 * A flag is relative to the working directory, the config's value to the config's folder.
 */
export function scanHistorySettings(flag: string | undefined, config: Config, configDir: string, cwd = process.cwd()): HistorySettings | undefined {
  if (flag !== undefined) return { target: parseHistoryTarget(flag, cwd), targets: fixTargetsOf(config) };
  const store = configuredStore(config);
  return store ? { target: parseHistoryTarget(store, configDir), targets: fixTargetsOf(config) } : undefined;
}

/** For `history`, `trend` and `diff`: the same, falling back to the default path. */
export function readHistorySettings(flag: string | undefined, config: Config, configDir: string, cwd = process.cwd()): HistorySettings {
  return scanHistorySettings(flag, config, configDir, cwd) ?? { target: parseHistoryTarget(DEFAULT_HISTORY_PATH, configDir), targets: fixTargetsOf(config) };
}
