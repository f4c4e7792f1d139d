/**
 * Renders the lineage graph or a chain as JSON, Graphviz DOT or Mermaid. Labels are escaped for each
 * syntax; they hold names and redacted previews only, never a secret's value (the inventory has none).
 */
import type { LineageChain } from './chains.js';
import type { LineageGraph, NodeType } from './graph.js';

export const GRAPH_FORMATS = ['json', 'dot', 'mermaid'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

const SHAPE: Record<NodeType, { dot: string; open: string; close: string }> = {
  person: { dot: 'ellipse', open: '([', close: '])' },
  identity: { dot: 'box', open: '[', close: ']' },
  credential: { dot: 'note', open: '[/', close: '/]' },
  location: { dot: 'folder', open: '[(', close: ')]' },
  repository: { dot: 'folder', open: '[(', close: ')]' },
  privilege: { dot: 'octagon', open: '{{', close: '}}' },
};

const dotEscape = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\r\n]+/g, ' ');
/** Mermaid labels go inside double quotes; its own entity syntax stands in for the quote. */
const mermaidEscape = (s: string) =>
  s
    .replace(/"/g, '#quot;')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));

function withFlags(label: string, flags?: string[]): string {
  return flags?.length ? `${label} [${flags.join(', ')}]` : label;
}

export function renderGraph(graph: LineageGraph, format: GraphFormat): string {
  if (format === 'json') return `${JSON.stringify(graph, null, 2)}\n`;
  const index = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  if (format === 'dot') {
    const nodes = graph.nodes.map(
      (n) =>
        `  ${index.get(n.id)} [shape=${SHAPE[n.type].dot}, label="${dotEscape(withFlags(n.label, n.flags))}"${n.flags?.includes('departed') || n.flags?.includes('admin') ? ', color=red' : ''}];`,
    );
    const edges = graph.edges
      .filter((e) => index.has(e.from) && index.has(e.to))
      .map((e) => `  ${index.get(e.from)} -> ${index.get(e.to)} [label="${dotEscape(e.type)}"];`);
    return `digraph nhiscan {\n  rankdir=LR;\n${[...nodes, ...edges].join('\n')}\n}\n`;
  }
  const nodes = graph.nodes.map((n) => `  ${index.get(n.id)}${SHAPE[n.type].open}"${mermaidEscape(withFlags(n.label, n.flags))}"${SHAPE[n.type].close}`);
  const edges = graph.edges.filter((e) => index.has(e.from) && index.has(e.to)).map((e) => `  ${index.get(e.from)} -->|${e.type}| ${index.get(e.to)}`);
  return `flowchart LR\n${[...nodes, ...edges].join('\n')}\n`;
}

/** One chain as a left-to-right Mermaid flowchart (the Markdown and HTML reports embed it). */
export function renderChainMermaid(chain: LineageChain): string {
  const lines = chain.steps.map((s, i) => `  s${i}["${mermaidEscape(withFlags(s.label, s.flags))}"]`);
  const links = chain.steps.slice(1).map((_, i) => `  s${i} --> s${i + 1}`);
  return `flowchart LR\n${[...lines, ...links].join('\n')}\n`;
}

/** One chain in one line of text: for terminals and tables. */
export function renderChainText(chain: LineageChain): string {
  return chain.steps.map((s) => withFlags(s.label, s.flags)).join(' → ');
}
