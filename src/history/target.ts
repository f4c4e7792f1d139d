/**
 * Where scans are recorded: `--history TARGET` or `history` in the config. A `postgres://` or
 * `postgresql://` URL is a team's shared PostgreSQL store; anything else is the path of an SQLite file.
 */
import { isAbsolute, resolve } from 'node:path';
import { redactText } from '../redact.js';

/** The store used when history is switched on without a place (`"history": true`), relative to the config's folder. */
export const DEFAULT_HISTORY_PATH = '.nhiscan/history.sqlite';

export type HistoryTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export function parseHistoryTarget(raw: string, baseDir: string): HistoryTarget {
  const value = raw.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  const path = value.replace(/^sqlite:(\/\/)?/i, '');
  return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(baseDir, path || DEFAULT_HISTORY_PATH) };
}

/** The store as a user can recognise it: the file, or the URL without its password. */
export function describeTarget(target: HistoryTarget): string {
  return target.kind === 'sqlite' ? target.path : redactText(target.url);
}
