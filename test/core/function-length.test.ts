/**
 * The style rule "functions of one phase": no function in src/, connectors/, rules/ or reports/ is over 80 lines,
 * unless it is a data table. The allow-list names each exception and why; an entry that is no longer needed fails
 * too, so the list only shrinks.
 */
import { describe, expect, it } from 'vitest';
import { longFunctions } from '../../testkit/function-lengths.js';

const MAX_LINES = 80;

/** `path#name` → why it may be longer. Data tables stay; the rest are splits other work has still to land. */
const ALLOWED: Record<string, string> = {};

describe('function length', () => {
  it(`no function in src/, connectors/, rules/, reports/ is over ${MAX_LINES} lines unless allowed`, async () => {
    const long = await longFunctions(process.cwd(), ['src', 'connectors', 'rules', 'reports'], MAX_LINES);
    expect(long.filter((f) => !(f.id in ALLOWED)).map((f) => `${f.at} ${f.id} (${f.lines} lines)`)).toEqual([]);
    const stillLong = new Set(long.map((f) => f.id));
    expect(
      Object.keys(ALLOWED).filter((id) => !stillLong.has(id)),
      'allow-list entries no longer needed',
    ).toEqual([]);
  });

  it('measures a function from its first to its last line, arrows and methods included', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'nhiscan-fnlen-'));
    mkdirSync(join(root, 'src'));
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n');
    writeFileSync(
      join(root, 'src', 'a.ts'),
      [
        `export function long() {\n  let x = 0;\n${body(79)}\n}`,
        `const arrow = () => {\n${body(3)}\n};`,
        `class C {\n  method() {\n    let x = 0;\n${body(90)}\n  }\n}`,
      ].join('\n'),
    );
    const found = await longFunctions(root, ['src'], MAX_LINES);
    expect(found.map((f) => [f.id, f.lines])).toEqual([
      ['src/a.ts#method', 93],
      ['src/a.ts#long', 82],
    ]);
  });
});
