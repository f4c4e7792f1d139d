import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceSpec } from './plugin.js';
import { redactUrlCredentials } from './redact.js';

/**
 * `aws:prod` → {scheme: 'aws', target: 'prod'}; `git:https://x/y.git` keeps the URL whole.
 * `spec` is the display form used in reports, logs and locations: credentials in a URL
 * (`git:https://user:token@host/repo`) are masked there; only `target` keeps them, for the connector.
 */
export function parseSourceSpec(raw: string): SourceSpec {
  const spec = redactUrlCredentials(raw);
  const colon = raw.indexOf(':');
  if (colon <= 0) return { spec, scheme: raw, target: '' };
  return { spec, scheme: raw.slice(0, colon), target: raw.slice(colon + 1) };
}

/** With no source given: the current directory, as a git repository when it is one. */
export function defaultSource(cwd: string): string {
  const dotGit = join(cwd, '.git');
  return existsSync(dotGit) && (statSync(dotGit).isDirectory() || statSync(dotGit).isFile()) ? 'git:.' : 'dir:.';
}
