/**
 * Validation of offline imports (`import:FILE`). An export is data from outside nhiscan: a hand-edited
 * snapshot, a truncated download, a file built by an attacker to hide a finding. Each importer checks
 * its entries against a zod schema here:
 * - an entry that does not fit is skipped, and the source says so (`notCovered`, status `partial`)
 *   with the entry's JSON path and what was wrong;
 * - a field whose value is ambiguous (`read_only: "false"`) is read the riskier way (writable), and
 *   the source says that too: a wrong type must never make a finding disappear quietly;
 * - nesting is bounded before any importer recurses into the data.
 */
import type { z } from 'zod';

/** Deeper than any real export (an IAM policy condition is about 12 levels into its file). */
export const MAX_IMPORT_DEPTH = 100;

export interface NotCoveredPart {
  part: string;
  reason: string;
}

/** `$.repos[3].deployKeys[0]` */
export function jsonPath(base: string, segments: readonly PropertyKey[]): string {
  let out = base;
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(String(s)) ? `.${String(s)}` : `[${JSON.stringify(String(s))}]`;
  return out;
}

/**
 * The path of the first value nested deeper than `max` levels, or undefined. Iterative, so the check
 * itself cannot overflow the stack it protects.
 */
export function tooDeepAt(value: unknown, max = MAX_IMPORT_DEPTH): string | undefined {
  interface Node {
    value: unknown;
    depth: number;
    parent?: Node;
    key?: PropertyKey;
  }
  const stack: Node[] = [{ value, depth: 0 }];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.value === null || typeof node.value !== 'object') continue;
    if (node.depth >= max) {
      const keys: PropertyKey[] = [];
      for (let n: Node | undefined = node; n?.parent; n = n.parent) keys.push(n.key!);
      keys.reverse();
      return keys.length > 12 ? `${jsonPath('$', keys.slice(0, 10))}…` : jsonPath('$', keys);
    }
    const entries = Array.isArray(node.value) ? node.value.map((v, i) => [i, v] as const) : Object.entries(node.value);
    for (const [key, child] of entries) stack.push({ value: child, depth: node.depth + 1, parent: node, key });
  }
  return undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  // Only short words are quoted (`"false"`, `"yes"`): a longer string in the wrong field may be a secret.
  if (typeof value === 'string') return /^[\w .-]{0,8}$/.test(value) ? `the string ${JSON.stringify(value)}` : `a string of ${value.length} characters`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function getAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value as Record<PropertyKey, unknown> | undefined;
  for (const k of path) v = v && typeof v === 'object' ? (v[k] as Record<PropertyKey, unknown>) : undefined;
  return v;
}

function withValueAt(value: unknown, path: readonly PropertyKey[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [head, ...rest] = path;
  const copy: Record<PropertyKey, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<PropertyKey, unknown>) : { ...(value as object) };
  copy[head!] = withValueAt(copy[head!], rest, replacement);
  return copy;
}

/** Collects what an import skipped or read the riskier way, as the source's `notCovered` parts. */
export class ImportCheck {
  readonly notCovered: NotCoveredPart[] = [];

  constructor(private readonly file: string) {}

  note(path: string, reason: string): void {
    this.notCovered.push({ part: `${this.file} ${path}`, reason });
  }

  /**
   * The entries of `list` (at `path`) that fit `schema`. `riskier` maps a field's dotted path within
   * an entry to the value assumed when the field is present with the wrong type.
   */
  entries<T>(list: unknown, schema: z.ZodType<T>, path: string, riskier: Record<string, unknown> = {}): T[] {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      this.note(path, `expected a list, found ${typeName(list)}; skipped`);
      return [];
    }
    const kept: T[] = [];
    list.forEach((entry, i) => {
      const parsed = this.one(entry, schema, `${path}[${i}]`, riskier);
      if (parsed !== undefined) kept.push(parsed);
    });
    return kept;
  }

  /** One value checked against `schema`; undefined (and noted) when it does not fit. */
  one<T>(value: unknown, schema: z.ZodType<T>, path: string, riskier: Record<string, unknown> = {}): T | undefined {
    let result = schema.safeParse(value);
    if (!result.success && value !== null && typeof value === 'object') {
      const issues = result.error.issues;
      if (issues.every((issue) => issue.path.join('.') in riskier)) {
        let fixed: unknown = value;
        for (const issue of issues) {
          const at = issue.path.join('.');
          this.note(
            jsonPath(path, issue.path),
            `${typeName(getAt(value, issue.path))} is not a valid value; read as ${JSON.stringify(riskier[at])}, the riskier reading`,
          );
          fixed = withValueAt(fixed, issue.path, riskier[at]);
        }
        result = schema.safeParse(fixed);
      }
    }
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem(s))` : '';
    this.note(jsonPath(path, issue.path), `${issue.message}, found ${typeName(getAt(value, issue.path))}; entry skipped${more}`);
    return undefined;
  }
}
