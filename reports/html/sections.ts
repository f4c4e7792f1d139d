/**
 * The server-rendered parts of the HTML report, in reading order: executive summary, top findings,
 * trend, chains, the rules' advice, coverage. Each returns a string of escaped HTML; the long parts
 * (the findings and inventory tables) are streamed by reports/html.ts as data for the page's script.
 */
import type { RankedFinding } from '../../src/blast-radius.js';
import type { HistorySection } from '../../src/history/section.js';
import type { LineageChain } from '../../src/lineage/chains.js';
import { SEVERITIES, SEVERITY_RANK } from '../../src/model/index.js';
import type { ScanReport } from '../../src/report-model.js';
import { describeYield, severityMix, sourceYield, topByResource, type ProviderInventory, type RuleGroup } from '../digest.js';
import { flowChart, openTrendChart, severityBars } from './charts.js';
import { anchor, h } from './escape.js';

export const badge = (severity: string) => `<span class="badge sev-${h(severity)}">${h(severity.toUpperCase())}</span>`;
const stateLabel = (state: string) => `<span class="state-${h(state)}">${state === 'none' ? 'no owner' : h(state)}</span>`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const card = (value: string | number, label: string, extra = '') => `<div class="card"${extra}><span class="n">${value}</span>${label}</div>`;

function table(headers: string[], rows: string[][], attrs = ''): string {
  return `<table${attrs}><thead><tr>${headers.map((x) => `<th scope="col">${h(x)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function sinceLastCards(history: HistorySection | undefined): string {
  if (!history) return '';
  if (!history.recorded)
    return `<p class="gate-failed">History not recorded in <code>${h(history.store)}</code>${history.error ? `: ${h(history.error)}` : ''}.</p>`;
  const s = history.sinceLast;
  if (!s) return `<p>This is the first scan recorded in <code>${h(history.store)}</code>.</p>`;
  return (
    `<h3>Since the last scan <span class="muted small">(${h(s.previousScanAt)})</span></h3><div class="cards" id="since-last">` +
    card(s.new, 'new') +
    card(s.resolved, 'resolved') +
    card(s.reopened, 'reopened') +
    card(s.persisting, 'still open') +
    card(s.unknown, 'unknown (source not fully covered)') +
    '</div>' +
    history.breaches
      .map((b) => `<p>${badge(b.severity)} <strong>${plural(b.count, 'finding')} open longer than ${b.targetDays} days</strong> (the fix-time target).</p>`)
      .join('')
  );
}

export function summarySection(report: ScanReport, inventory: ProviderInventory[]): string {
  const { summary } = report;
  const roots = report.sources.filter((s) => !s.parent);
  const incomplete = roots.filter((s) => s.status !== 'ok');
  const sum = (pick: (p: ProviderInventory) => number) => inventory.reduce((n, p) => n + pick(p), 0);
  const gate = summary.gate.failed
    ? `<span class="gate-failed">FAILED</span> with ${plural(summary.gate.gatingFindings, 'finding')} at or above ${h(summary.gate.failOn)}`
    : `<span class="gate-passed">passed</span> (fail on ${h(summary.gate.failOn)})`;
  return (
    `<section id="summary"><h2>Executive summary</h2>` +
    `<div class="cards">${card(summary.total, 'active findings', ' id="total-findings"')}${SEVERITIES.map((s) => card(summary.bySeverity[s], badge(s), ` data-severity="${s}"`)).join('')}</div>` +
    `<figure><figcaption>Active findings by severity</figcaption>${severityBars(summary.bySeverity)}</figure>` +
    `<ul><li>Gate: ${gate}.</li>` +
    (summary.suppressed ? `<li>${plural(summary.suppressed, 'finding')} suppressed.</li>` : '') +
    (summary.baseline
      ? `<li>Against the baseline: ${summary.baseline.new} new, ${summary.baseline.persisting} persisting, ${summary.baseline.resolved} resolved.</li>`
      : '') +
    `<li>Inventory: ${plural(
      sum((p) => p.identities),
      'identity',
      'identities',
    )} and ${plural(
      sum((p) => p.credentials),
      'credential',
    )} across ${plural(inventory.length, 'provider')}; ` +
    `<span class="state-departed">${sum((p) => p.owners.departed)} owned only by people who have left</span>, ${sum((p) => p.owners.none)} without an owner.</li>` +
    `<li>Coverage: ${incomplete.length ? `<strong>${incomplete.length} of ${roots.length} sources not fully covered</strong> (${incomplete.map((s) => `<code>${h(s.spec)}</code> ${h(s.status)}`).join(', ')})` : `all ${plural(roots.length, 'source')} fully covered`}.</li></ul>` +
    sinceLastCards(report.history) +
    `</section>`
  );
}

function ownerCell(item: RankedFinding): string {
  const who = item.owners.owners[0];
  return who ? `${h(who.id)}<br>${stateLabel(item.owners.state)}` : stateLabel('none');
}

export function topSection(ranked: RankedFinding[], groups: RuleGroup[]): string {
  if (!ranked.length) return `<section id="top"><h2>Top findings</h2><p>No active findings.</p></section>`;
  const titles = new Map(groups.map((g) => [g.ruleId, g.rule?.title ?? g.items[0]!.finding.title]));
  const rows = topByResource(ranked).map(({ item, also }, i) => {
    const f = item.finding;
    return [
      String(i + 1),
      badge(f.severity),
      `<a href="#${anchor('rule', f.ruleId)}">${h(titles.get(f.ruleId))}</a>${also.length ? `<br><span class="small muted">also: ${h(also.join(', '))}</span>` : ''}`,
      `${h(f.resource.name)}<br><span class="small muted">${h(f.resource.provider)} ${h(f.resource.kind)}${f.resource.human ? ' (a person)' : ''}</span>`,
      `${item.blast.score}${item.blast.reasons.length ? `: ${h(item.blast.reasons.join('; '))}` : ''}`,
      ownerCell(item),
      h(f.message),
    ];
  });
  return (
    `<section id="top"><h2>Top ${rows.length} findings</h2><p class="muted">One row per resource: by severity, then blast radius (what the identity behind it can reach); workloads before people.</p>` +
    table(['#', 'Severity', 'Finding', 'Resource', 'Blast radius', 'Owner', 'Detail'], rows, ' id="top-table"') +
    `</section>`
  );
}

export function trendSection(history: HistorySection | undefined): string {
  if (!history?.trend.length) return '';
  const days = (d: number | null) => (d === null ? '-' : d.toFixed(1));
  const fixed = SEVERITIES.filter((s) => history.timeToFix[s]?.fixed);
  return (
    `<section id="trend"><h2>Trend</h2><p class="muted">${plural(history.trend.length, 'recorded scan')} in <code>${h(history.store)}</code>.</p><div class="charts">` +
    `<figure><figcaption>Open findings per scan</figcaption>${openTrendChart(history.trend)}</figure>` +
    `<figure><figcaption>New and resolved per scan</figcaption>${flowChart(history.trend)}</figure></div>` +
    (fixed.length
      ? `<h3>Time to fix (days)</h3>` +
        table(
          ['Severity', 'Fixed', 'Mean', 'Median'],
          fixed.map((s) => [badge(s), String(history.timeToFix[s].fixed), days(history.timeToFix[s].meanDays), days(history.timeToFix[s].medianDays)]),
        )
      : '') +
    `</section>`
  );
}

const STEP_NAME: Record<string, string> = {
  location: 'FOUND IN',
  'leaked-secret': 'LEAKED SECRET',
  credential: 'LIVE CREDENTIAL',
  identity: 'IDENTITY',
  privilege: 'PRIVILEGE',
  owner: 'OWNER',
};
const WARN_FLAGS = new Set(['departed', 'admin', 'active', 'at HEAD']);

export function chainsSection(chains: LineageChain[]): string {
  if (!chains.length) return '';
  const items = chains.map((chain, i) => {
    const steps = chain.steps.map((step) => {
      const flags = step.flags.map((flag) => `<span class="flag${WARN_FLAGS.has(flag) ? ' warn' : ''}">${h(flag.toUpperCase())}</span>`).join('');
      const flagged = step.flags.includes('departed') || step.flags.includes('admin');
      return `<li><div class="step step-${h(step.type)}${flagged ? ' flagged' : ''}"><span class="kind">${STEP_NAME[step.type] ?? h(step.type)}</span>${h(step.label)}<br>${flags}</div></li>`;
    });
    return `<h3>Chain ${i + 1} <span class="muted small">(risk ${chain.score})</span></h3><ol class="chain" aria-label="Chain ${i + 1}, from the leak to the owner">${steps.join('')}</ol>`;
  });
  return `<section id="chains"><h2>Riskiest chains</h2><p class="muted">Secrets found in code, followed to the credential and identity they unlock, what it can do and who owns it.</p>${items.join('')}</section>`;
}

/** Each rule's advice once: what to do (open for critical and high) and why it matters. */
export function rulesSection(groups: RuleGroup[]): string {
  const items = groups.map((g) => {
    const first = g.items[0]!.finding;
    const worst = SEVERITIES.find((s) => g.bySeverity[s] > 0)!;
    const refs = [first.category, ...(first.owasp.length ? [`OWASP ${first.owasp.join(', ')}`] : []), ...(first.cis ?? [])].join(' · ');
    return (
      `<details class="rule" id="${anchor('rule', g.ruleId)}"${SEVERITY_RANK[worst] >= SEVERITY_RANK.high ? ' open' : ''}><summary>${badge(worst)} ${h(g.rule?.title ?? first.title)} (${g.items.length})</summary>` +
      `<p class="small muted"><code>${h(g.ruleId)}</code> · ${h(refs)} · ${h(severityMix(g.bySeverity))}</p>` +
      `<p><strong>What to do:</strong> ${h(first.remediation)}</p>` +
      (g.rule ? `<p><strong>Why it matters:</strong> ${h(g.rule.description)}</p>` : '') +
      `</details>`
    );
  });
  return `<section id="rules"><h2>What to do, and why</h2><p class="muted">One entry per rule, most urgent first; each finding's own commands are in its details in the findings table.</p>${items.join('') || '<p>No active findings.</p>'}</section>`;
}

export function coverageSection(report: ScanReport): string {
  const found = sourceYield(report);
  const rows = report.sources.map((s) => [
    `<code>${h(s.spec)}</code>`,
    s.status === 'ok' ? 'ok' : `<strong>${h(s.status)}</strong>`,
    h(describeYield(found.get(s.spec))),
    h([...s.notCovered.map((n) => `${n.part}: ${n.reason}`), ...s.errors.map((e) => (e.part ? `${e.part}: ${e.message}` : e.message))].join('; ') || '-'),
  ]);
  const analysis = (report.scan.analysisErrors ?? []).map(
    (e) =>
      `<p class="gate-failed">Analysis incomplete: the ${h(e.stage)} <code>${h(e.id)}</code> failed (${h(e.message)}); the findings it would produce are missing.</p>`,
  );
  return `<section id="coverage"><h2>Coverage</h2>${table(['Source', 'Status', 'Found', 'Not covered / errors'], rows)}${analysis.join('')}</section>`;
}

export function providerSummary(inventory: ProviderInventory[]): string {
  return table(
    ['Provider', 'Identities', 'Credentials', 'Owner active', 'Owner departed', 'Owner unverified', 'No owner'],
    inventory.map((p) => [
      h(p.provider),
      String(p.identities),
      String(p.credentials),
      String(p.owners.active),
      String(p.owners.departed),
      String(p.owners.unverified),
      String(p.owners.none),
    ]),
    ' id="provider-summary"',
  );
}
