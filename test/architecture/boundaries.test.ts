/**
 * The data flow the folders promise, checked over the import graph: collect (connectors/) → enrich and
 * evaluate (src/, rules/) → report (reports/). Every relative import of the shipped code is read (static
 * `import`/`export … from` and dynamic `import('…')`); an import against the flow fails the test unless
 * it is made by a composition root, the only place that wires the layers together.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SHIPPED = ['src', 'connectors', 'rules', 'reports', 'examples', 'bench', 'testkit', 'scripts'];

/** The composition roots: they register every layer's parts, so they may import any of them. */
const COMPOSITION_ROOTS = [
  'src/builtins.ts', // the built-in plugins (connectors, reports)
  'src/core-plugin.ts', // the core plugin: neutral rules, secret rules
  'src/cli.ts',
  /^connectors\/[^/]+\/plugin\.ts$/, // each connector's registration
];

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((f) => !f.split('/').some((part) => part === 'node_modules' || part === '.generated'));
}

/** Relative imports only: packages are not layers. Comments are skipped so prose never counts. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm)) specs.push(m[2]!);
  return specs.map((spec) =>
    normalize(join(dirname(file), spec))
      .split(sep)
      .join('/'),
  );
}

function layerOf(path: string): { top: string; connector?: string } {
  const [top = '', second] = path.split('/');
  return top === 'connectors' ? { top, connector: second } : { top };
}

/** Why an import runs against the flow, or undefined when it is fine. */
function violation({ from, to }: Edge): string | undefined {
  const a = layerOf(from);
  const b = layerOf(to);
  if (b.top === 'test') return 'nothing shipped imports test/ (shared helpers belong in testkit/)';
  if (a.top === 'rules' && b.top === 'connectors') return 'a rule reads the model (src/model/), never a connector';
  if (a.top === 'src' && ['connectors', 'rules', 'reports'].includes(b.top)) return 'src/ is the core: it never imports connectors/, rules/ or reports/';
  if (a.top === 'connectors' && b.top === 'connectors' && a.connector !== b.connector)
    return 'a connector never imports another connector (shared code goes in src/)';
  if (a.top === 'reports' && ['connectors', 'rules'].includes(b.top)) return 'a report is a function of the report object, not of connectors or rules';
  if (a.top === 'connectors' && ['rules', 'reports'].includes(b.top)) return 'a connector collects; it never judges or reports';
  return undefined;
}

function isRoot(file: string): boolean {
  return COMPOSITION_ROOTS.some((root) => (typeof root === 'string' ? root === file : root.test(file)));
}

describe('import boundaries', () => {
  const edges = SHIPPED.flatMap(sourceFiles).flatMap((from) => importsOf(from).map((to) => ({ from, to })));

  it('no import runs against collect → enrich → evaluate → report outside the composition roots', () => {
    const violations = edges
      .filter((e) => !isRoot(e.from))
      .flatMap((e) => {
        const why = violation(e);
        return why ? [`${e.from} -> ${e.to}: ${why}`] : [];
      });
    expect(violations).toEqual([]);
  });

  it('reads the graph it checks, and would catch each kind of violation', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({ from: 'src/builtins.ts', to: 'connectors/git/plugin.js' }); // dynamic imports are read
    expect(isRoot('connectors/aws/plugin.ts')).toBe(true);
    expect(isRoot('connectors/aws/inventory.ts')).toBe(false);
    for (const [from, to] of [
      ['rules/aws/common.ts', 'connectors/aws/attributes.js'],
      ['src/suppress.ts', 'rules/core/suppression-expired.js'],
      ['src/snapshot-out.ts', 'reports/write.js'],
      ['connectors/github/history.ts', 'connectors/git/repository.js'],
      ['reports/sarif.ts', 'connectors/git/connector.js'],
      ['bench/git.ts', 'test/support/cli.js'],
    ] as const) {
      expect(violation({ from, to }), `${from} -> ${to}`).toBeDefined();
    }
    expect(violation({ from: 'connectors/git/connector.ts', to: 'connectors/git/pack/pack-walk.js' })).toBeUndefined();
    expect(violation({ from: 'rules/aws/common.ts', to: 'src/model/aws.js' })).toBeUndefined();
  });
});
