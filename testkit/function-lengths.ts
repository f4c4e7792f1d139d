/**
 * Lists functions longer than a line budget, for the style rule "no function over 80 lines in src/, connectors/,
 * rules/, reports/ unless it is a data table" (test/core/function-length.test.ts enforces it). Parses with the
 * TypeScript ESTree parser Prettier bundles: TypeScript 7's own package has no in-process parser API.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as typescriptPlugin from 'prettier/plugins/typescript';

export interface LongFunction {
  /** `path:line` of the function's first line, relative to the root directory. */
  at: string;
  /** `path#name`: what the allow-lists name (stable when lines move). */
  id: string;
  lines: number;
}

interface EsNode {
  type: string;
  loc: { start: { line: number }; end: { line: number } };
  [key: string]: unknown;
}

/** Prettier's parser, called as a plain parser: the options it takes are for printing. */
const parse = typescriptPlugin.parsers.typescript.parse as (text: string, options: object) => Promise<unknown>;

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function isNode(value: unknown): value is EsNode {
  return !!value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string' && 'loc' in value;
}

/** The name a reader would search for: the function's own, else what it is assigned to, else `<anonymous>`. */
function nameOf(fn: EsNode, parent: EsNode | undefined): string {
  const key = (n: unknown) => (isNode(n) ? String(n.name ?? n.value ?? '<computed>') : undefined);
  if (isNode(fn.id)) return key(fn.id)!;
  if (parent?.type === 'VariableDeclarator') return key(parent.id) ?? '<anonymous>';
  if (parent && ['Property', 'MethodDefinition', 'PropertyDefinition', 'TSAbstractMethodDefinition'].includes(parent.type))
    return key(parent.key) ?? '<anonymous>';
  return '<anonymous>';
}

function* functionsIn(node: EsNode, parent?: EsNode): Generator<{ node: EsNode; name: string }> {
  if (FUNCTION_TYPES.has(node.type)) yield { node, name: nameOf(node, parent) };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'range' || key === 'parent') continue;
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) yield* functionsIn(child, node);
  }
}

/** Every function in the `.ts` files under `dirs` (relative to `root`) longer than `maxLines`, longest first. */
export async function longFunctions(root: string, dirs: string[], maxLines: number): Promise<LongFunction[]> {
  const found: LongFunction[] = [];
  for (const file of dirs.flatMap((d) => typeScriptFiles(join(root, d)))) {
    const path = relative(root, file).split('\\').join('/');
    const ast = (await parse(readFileSync(file, 'utf8'), {})) as EsNode;
    for (const { node, name } of functionsIn(ast)) {
      const lines = node.loc.end.line - node.loc.start.line + 1;
      if (lines > maxLines) found.push({ at: `${path}:${node.loc.start.line}`, id: `${path}#${name}`, lines });
    }
  }
  return found.sort((a, b) => b.lines - a.lines);
}
