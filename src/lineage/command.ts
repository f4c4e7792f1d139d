/**
 * `nhiscan graph REPORT.json [--format json|dot|mermaid] [--node ID] [--depth N] [--chains]`: the
 * lineage graph of a saved report, whole or around one node, or its riskiest chains. Reads only the
 * report; writes to stdout.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Inventory } from '../model/index.js';
import { riskiestChains } from './chains.js';
import { buildGraph, neighbourhood } from './graph.js';
import { GRAPH_FORMATS, renderChainMermaid, renderChainText, renderGraph, type GraphFormat } from './render.js';
import { UserError } from '../user-error.js';

/** A `graph` command-line mistake (exit 2). */
export class GraphUsageError extends UserError {}

export async function graphCommand(argv: string[], write: (text: string) => void): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'json' },
        node: { type: 'string' },
        depth: { type: 'string', default: '3' },
        chains: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new GraphUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new GraphUsageError('graph takes one saved JSON report: nhiscan graph nhiscan-report/nhiscan-report.json');
  const format = values.format as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) throw new GraphUsageError(`--format must be one of ${GRAPH_FORMATS.join(', ')}`);
  const depth = Number(values.depth);
  if (!Number.isInteger(depth) || depth < 1 || depth > 20) throw new GraphUsageError('--depth must be an integer from 1 to 20');
  let report: { inventory?: Inventory };
  try {
    report = JSON.parse(await readFile(positionals[0]!, 'utf8'));
  } catch (error) {
    throw new GraphUsageError(`cannot read the report ${positionals[0]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const inventory = report.inventory;
  if (!inventory || !Array.isArray(inventory.identities) || !Array.isArray(inventory.credentials))
    throw new GraphUsageError(`${positionals[0]} is not an nhiscan JSON report (no inventory)`);
  if (values.chains) {
    const chains = riskiestChains(inventory, 10);
    if (format === 'json') write(`${JSON.stringify(chains, null, 2)}\n`);
    else if (format === 'mermaid') write(chains.map(renderChainMermaid).join('\n'));
    else write(chains.map(renderChainText).join('\n') + '\n');
    return;
  }
  let graph = buildGraph(inventory);
  if (values.node) {
    if (!graph.nodes.some((n) => n.id === values.node))
      throw new GraphUsageError(`no node "${values.node}" in the report (ids are the inventory's, e.g. aws:iam-user:123456789012:ci-deployer)`);
    graph = neighbourhood(graph, values.node, depth);
  }
  write(renderGraph(graph, format));
}
