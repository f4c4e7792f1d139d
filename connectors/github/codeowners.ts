/**
 * CODEOWNERS: who answers for a file or a repository. GitHub reads the first of `.github/CODEOWNERS`,
 * `CODEOWNERS`, `docs/CODEOWNERS`; patterns follow gitignore rules and the LAST matching line wins.
 */
import ignore from 'ignore';
import type { Owner } from '../../src/model/index.js';

/** Where GitHub looks, in its own order of precedence. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export interface CodeownersEntry {
  pattern: string;
  owners: string[];
}

export function parseCodeowners(text: string): CodeownersEntry[] {
  const entries: CodeownersEntry[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern) continue;
    entries.push({ pattern, owners });
  }
  return entries;
}

const matcherCache = new WeakMap<CodeownersEntry, ReturnType<typeof ignore>>();

function matches(entry: CodeownersEntry, path: string): boolean {
  let matcher = matcherCache.get(entry);
  if (!matcher) {
    matcher = ignore().add(entry.pattern);
    matcherCache.set(entry, matcher);
  }
  return matcher.ignores(path.replace(/^\/+/, ''));
}

/** Owners of `path` (last matching entry wins; an entry with no owners means "nobody"). */
export function ownersForPath(entries: CodeownersEntry[], path: string): string[] {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    try {
      if (matches(entry, path)) return entry.owners;
    } catch {
      // An invalid pattern is ignored by GitHub too; keep looking.
    }
  }
  return [];
}

/**
 * The repository's default owners: the last entry that covers every file (`*`, `/*`, `**`, `/**`, `/`).
 * Used for things that belong to the whole repository (deploy keys, webhooks, repository secrets).
 */
export function defaultOwners(entries: CodeownersEntry[]): string[] {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (['*', '/*', '**', '/**', '/'].includes(entry.pattern)) return entry.owners;
  }
  return [];
}

/** `@org/team` → team, `@login` → user, `a@b.c` → email. */
export function ownerFromCodeownersToken(token: string, source = 'codeowners'): Owner {
  if (token.startsWith('@') && token.includes('/')) return { id: token.slice(1), kind: 'team', source };
  if (token.startsWith('@')) return { id: token.slice(1), kind: 'user', source };
  if (token.includes('@')) return { id: token, kind: 'email', source };
  return { id: token, kind: 'unknown', source };
}
