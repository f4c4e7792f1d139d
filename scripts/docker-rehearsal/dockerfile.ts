/**
 * Reads a Dockerfile into stages of instructions, and a build context through its .dockerignore, the way
 * `docker build` does, for the daemon-less rehearsal (scripts/docker-rehearsal.ts). Only what the rehearsal
 * interprets is accepted: anything else is an error, so a Dockerfile never passes by being half-read.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

export interface Instruction {
  keyword: string;
  /** The text after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

const KNOWN = new Set(['FROM', 'RUN', 'COPY', 'WORKDIR', 'ENV', 'USER', 'ENTRYPOINT', 'CMD', 'ARG', 'LABEL', 'EXPOSE']);

/** Logical lines: comments and parser directives dropped, backslash continuations joined. */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (!trimmed && !current)) return;
    const continued = trimmed.endsWith('\\');
    const body = continued ? trimmed.slice(0, -1).trimEnd() : trimmed;
    current = current ? { ...current, text: `${current.text} ${body}`.trim() } : { text: body, line: index + 1 };
    if (!continued) {
      out.push(current);
      current = undefined;
    }
  });
  if (current) out.push(current);
  return out;
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const { text: line, line: number } of logicalLines(text)) {
    const [, word = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const keyword = word.toUpperCase();
    if (!KNOWN.has(keyword)) throw new Error(`Dockerfile line ${number}: ${keyword} is not interpreted by the rehearsal`);
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`Dockerfile line ${number}: FROM ${rest} (flags such as --platform are not interpreted)`);
      stages.push({ image: from[1]!, ...(from[2] ? { name: from[2].toLowerCase() } : {}), instructions: [] });
    } else if (!stages.length) throw new Error(`Dockerfile line ${number}: ${keyword} before the first FROM is not interpreted by the rehearsal`);
    else stages.at(-1)!.instructions.push({ keyword, args: rest, line: number });
  }
  if (!stages.length) throw new Error('Dockerfile: no FROM');
  return stages;
}

/** The exec form (a JSON array) or the shell form, as Docker runs them. */
export function commandOf(args: string): string[] {
  if (args.trim().startsWith('[')) {
    const parsed: unknown = JSON.parse(args);
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`not a JSON array of strings: ${args}`);
    return parsed;
  }
  return ['/bin/sh', '-c', args];
}

/** Words of an instruction, quotes grouping and removed, as in `B="two words"` (ENV, COPY). */
export function words(args: string): string[] {
  const unquote = (part: string) => (part.startsWith('"') ? part.slice(1, -1).replace(/\\(.)/g, '$1') : part.startsWith("'") ? part.slice(1, -1) : part);
  return [...args.matchAll(/(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)+/g)].map((m) =>
    [...m[0].matchAll(/"(?:[^"\\]|\\.)*"|'[^']*'|[^"']+/g)].map((p) => unquote(p[0])).join(''),
  );
}

/** `ENV K=V K2="v 2"` or the legacy `ENV K V`. */
export function envPairs(args: string): [string, string][] {
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=].*)$/.exec(args.trim());
  if (legacy && !legacy[1]!.includes('=')) return [[legacy[1]!, legacy[2]!]];
  return words(args).map((word) => {
    const at = word.indexOf('=');
    if (at <= 0) throw new Error(`ENV ${args}: expected KEY=VALUE`);
    return [word.slice(0, at), word.slice(at + 1)];
  });
}

/** $VAR and ${VAR} from the build environment, as Docker substitutes them in ENV, WORKDIR, COPY and USER. */
export function substitute(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');
}

/**
 * Docker's .dockerignore: patterns anchored at the context root, `*` within one path segment, `**` across
 * segments, `!` re-includes, the last matching pattern wins, and excluding a folder excludes what is inside.
 * (Simplification: an excluded folder is not walked, so a `!` pattern for something inside it is not honoured.)
 */
export function dockerignoreMatcher(text: string): (relativePath: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const pattern = (negated ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negated, match: picomatch(pattern, { dot: true }) };
    });
  return (relativePath) => {
    const segments = relativePath.split('/');
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.match(p))) excluded = !rule.negated;
    return excluded;
  };
}

export interface ContextStats {
  files: number;
  bytes: number;
}

/** Copies what `docker build DIR` would send as context into `target`, and counts it. */
export function snapshotContext(source: string, target: string): ContextStats {
  const ignoreFile = join(source, '.dockerignore');
  const ignored = dockerignoreMatcher(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '');
  const stats: ContextStats = { files: 0, bytes: 0 };
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(source, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (ignored(path)) continue;
      if (entry.isDirectory()) {
        mkdirSync(join(target, path), { recursive: true });
        walk(path);
        continue;
      }
      cpSync(join(source, path), join(target, path), { preserveTimestamps: true, verbatimSymlinks: true });
      stats.files++;
      stats.bytes += lstatSync(join(source, path)).size;
    }
  };
  mkdirSync(target, { recursive: true });
  walk('');
  return stats;
}
