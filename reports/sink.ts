/**
 * Helpers for reporters writing to a sink (src/plugin.ts `ReportSink`): reporters never build the whole
 * report as one string; they hand the sink pieces, and the sink decides whether they go to a file
 * (`src/atomic-write.ts`) or into memory (`renderToString`).
 */
import type { ReportSink } from '../src/plugin.js';

export type { ReportSink };

/** Collects a reporter's output in memory: for small reports, tests and callers that want a string. */
export function stringSink(): ReportSink & { text(): string } {
  const parts: string[] = [];
  return {
    write: (chunk) => void parts.push(chunk),
    text: () => parts.join(''),
  };
}

/** Maps lazily: for rows and results produced while they are written. */
export function* mapIter<T, U>(items: Iterable<T>, fn: (item: T) => U): Iterable<U> {
  for (const item of items) yield fn(item);
}

/** An array whose items are produced one at a time while the JSON is written (see `writeJson`). */
export class LazyArray<T = unknown> {
  constructor(readonly items: Iterable<T>) {}
}

/**
 * Writes `value` as `JSON.stringify(value, null, 2)` would, byte for byte, but in chunks: objects
 * and arrays are opened and closed here, and each leaf or small subtree below `depth` is
 * stringified on its own. A `LazyArray` is written item by item, so it is never materialised.
 */
export function writeJson(sink: ReportSink, value: unknown, depth = 2, indent = ''): void {
  if (value instanceof LazyArray) return writeArray(sink, value.items, depth, indent);
  if (depth <= 0 || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const text = JSON.stringify(value, null, 2) ?? 'null';
    sink.write(indent ? text.replace(/\n/g, `\n${indent}`) : text);
    return;
  }
  if (Array.isArray(value)) return writeArray(sink, value, depth, indent);
  const inner = `${indent}  `;
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    sink.write(`${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `);
    first = false;
    writeJson(sink, item, depth - 1, inner);
  }
  sink.write(first ? '{}' : `\n${indent}}`);
}

function writeArray(sink: ReportSink, items: Iterable<unknown>, depth: number, indent: string): void {
  const inner = `${indent}  `;
  let first = true;
  for (const item of items) {
    sink.write(`${first ? '[' : ','}\n${inner}`);
    first = false;
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') sink.write('null');
    else writeJson(sink, item, depth - 1, inner);
  }
  sink.write(first ? '[]' : `\n${indent}]`);
}
