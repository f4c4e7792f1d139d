import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceSpec } from './plugin.js';

/** `aws:prod` → {scheme: 'aws', target: 'prod'}; `git:https://x/y.git` keeps the URL whole. */
export function parseSourceSpec(spec: string): SourceSpec {
  const colon = spec.indexOf(':');
  if (colon <= 0) return { spec, scheme: spec, target: '' };
  return { spec, scheme: spec.slice(0, colon), target: spec.slice(colon + 1) };
}

/** With no source given: the current directory, as a git repository when it is one. */
export function defaultSource(cwd: string): string {
  const dotGit = join(cwd, '.git');
  return existsSync(dotGit) && (statSync(dotGit).isDirectory() || statSync(dotGit).isFile()) ? 'git:.' : 'dir:.';
}
