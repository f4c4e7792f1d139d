/**
 * Inline SVG charts for the HTML report: no script, no library, nothing fetched. Every series has a
 * text label and its own line dash and marker shape, so colour is never the only cue; every point has
 * a <title> with its value.
 */
import type { TrendPoint } from '../../src/history/section.js';
import { SEVERITIES, type Severity } from '../../src/model/index.js';
import { h } from './escape.js';

const MARKER: Record<Severity, (x: number, y: number) => string> = {
  critical: (x, y) => `<rect x="${x - 4}" y="${y - 4}" width="8" height="8"/>`,
  high: (x, y) => `<path d="M${x} ${y - 5}L${x + 5} ${y + 4}L${x - 5} ${y + 4}Z"/>`,
  medium: (x, y) => `<path d="M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z"/>`,
  low: (x, y) => `<circle cx="${x}" cy="${y}" r="4"/>`,
  info: (x, y) => `<path d="M${x - 4} ${y - 4}L${x + 4} ${y + 4}M${x + 4} ${y - 4}L${x - 4} ${y + 4}" stroke-width="2"/>`,
};
const DASH: Record<Severity, string> = { critical: '', high: '6 3', medium: '2 3', low: '8 3 2 3', info: '1 5' };

/** Counts by severity as labelled horizontal bars: the label and the number are text, the bar only repeats them. */
export function severityBars(counts: Record<Severity, number>): string {
  const max = Math.max(1, ...SEVERITIES.map((s) => counts[s]));
  const rows = SEVERITIES.map((s, i) => {
    const y = 8 + i * 28;
    const width = Math.round((counts[s] / max) * 300);
    return (
      `<g class="sev-${s}" data-severity="${s}" data-value="${counts[s]}"><text x="0" y="${y + 15}">${s.toUpperCase()}</text>` +
      `<rect class="bar" x="90" y="${y}" width="${Math.max(width, 1)}" height="20"><title>${counts[s]} ${s}</title></rect>` +
      `<text x="${96 + width}" y="${y + 15}">${counts[s]}</text></g>`
    );
  });
  return `<svg class="chart" data-chart="severity" role="img" aria-label="Active findings by severity" viewBox="0 0 460 ${8 + SEVERITIES.length * 28}" width="460">${rows.join('')}</svg>`;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  bottom: number;
  top: number;
  right: number;
  max: number;
}

function xOf(f: Frame, i: number, n: number): number {
  return n <= 1 ? f.left + (f.width - f.left - f.right) / 2 : f.left + (i * (f.width - f.left - f.right)) / (n - 1);
}
function yOf(f: Frame, value: number): number {
  return f.height - f.bottom - (value / f.max) * (f.height - f.top - f.bottom);
}
const day = (iso: string) => iso.slice(0, 10);

/** Axes, three horizontal grid lines with their values, and the first and last scan dates. */
function axes(f: Frame, trend: TrendPoint[]): string {
  const ticks = [0, Math.round(f.max / 2), f.max].map(
    (v) =>
      `<line class="grid" x1="${f.left}" x2="${f.width - f.right}" y1="${yOf(f, v)}" y2="${yOf(f, v)}"/><text x="${f.left - 6}" y="${yOf(f, v) + 4}" text-anchor="end">${v}</text>`,
  );
  const last = trend.length - 1;
  const dates = [0, last]
    .filter((i, k, all) => all.indexOf(i) === k)
    .map(
      (i) =>
        `<text x="${xOf(f, i, trend.length)}" y="${f.height - f.bottom + 16}" text-anchor="${i === 0 && last ? 'start' : 'end'}">${h(day(trend[i]!.at))}</text>`,
    );
  return `<g>${ticks.join('')}<line class="axis" x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}"/>${dates.join('')}</g>`;
}

function legend(items: Array<{ cls: string; shape: string; label: string }>, y: number): string {
  return items
    .map((item, i) => `<g class="${item.cls}" transform="translate(${10 + i * 100} ${y})">${item.shape}<text x="12" y="4">${h(item.label)}</text></g>`)
    .join('');
}

/** Open findings per scan, one line per severity (own dash, own marker) and the total. */
export function openTrendChart(trend: TrendPoint[]): string {
  const shown = SEVERITIES.filter((s) => trend.some((p) => p.openBySeverity[s] > 0));
  const f: Frame = { width: 560, height: 260, left: 40, right: 16, top: 12, bottom: 56, max: Math.max(1, ...trend.map((p) => p.open)) };
  const series = [
    { cls: 'total', label: 'all open', dash: '', value: (p: TrendPoint) => p.open, marker: (x: number, y: number) => `<circle cx="${x}" cy="${y}" r="2.5"/>` },
    ...shown.map((s) => ({ cls: `sev-${s}`, label: s, dash: DASH[s], value: (p: TrendPoint) => p.openBySeverity[s], marker: MARKER[s] })),
  ];
  const lines = series.map((s) => {
    const points = trend.map((p, i) => [xOf(f, i, trend.length), yOf(f, s.value(p))] as const);
    const marks = points.map(([x, y], i) => `<g>${s.marker(x, y)}<title>${h(day(trend[i]!.at))}: ${s.value(trend[i]!)} ${h(s.label)}</title></g>`);
    return (
      `<g class="series ${s.cls}" data-series="${h(s.label)}" data-points="${points.length}">` +
      `<polyline fill="none" stroke="currentColor" stroke-width="${s.cls === 'total' ? 3 : 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>` +
      `<g fill="currentColor" stroke="currentColor">${marks.join('')}</g></g>`
    );
  });
  const key = legend(
    series.map((s) => ({ cls: s.cls, label: s.label, shape: `<g fill="currentColor" stroke="currentColor">${s.marker(0, 0)}</g>` })),
    f.height - 14,
  );
  return `<svg class="chart" data-chart="open-trend" role="img" aria-label="Open findings per scan, by severity" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}">${axes(f, trend)}${lines.join('')}${key}</svg>`;
}

/** New against resolved findings per scan: new bars solid, resolved bars hatched, both labelled in the legend. */
export function flowChart(trend: TrendPoint[]): string {
  const f: Frame = { width: 560, height: 240, left: 40, right: 16, top: 12, bottom: 56, max: Math.max(1, ...trend.flatMap((p) => [p.new, p.resolved])) };
  const slot = (f.width - f.left - f.right) / Math.max(trend.length, 1);
  const bar = Math.max(2, Math.min(16, slot / 2 - 2));
  const bars = trend.map((p, i) => {
    const x = f.left + i * slot + slot / 2;
    const rect = (cls: string, dx: number, v: number, label: string) =>
      `<rect class="${cls}" x="${(x + dx).toFixed(1)}" y="${yOf(f, v).toFixed(1)}" width="${bar.toFixed(1)}" height="${(f.height - f.bottom - yOf(f, v)).toFixed(1)}" data-value="${v}"><title>${h(day(p.at))}: ${v} ${label}</title></rect>`;
    return rect('new', -bar, p.new, 'new') + rect('resolved', 0, p.resolved, 'resolved');
  });
  const key = legend(
    [
      { cls: 'new', label: 'new', shape: '<rect class="new" x="-5" y="-5" width="10" height="10"/>' },
      { cls: 'resolved', label: 'resolved', shape: '<rect class="resolved" x="-5" y="-5" width="10" height="10"/>' },
    ],
    f.height - 14,
  );
  const defs =
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="hatch-line" stroke-width="3"/></pattern></defs>';
  return `<svg class="chart" data-chart="flow" role="img" aria-label="New and resolved findings per scan" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}">${defs}${axes(f, trend)}<g class="bars">${bars.join('')}</g>${key}</svg>`;
}
