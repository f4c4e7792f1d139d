/**
 * The Markdown report a security lead reads: the executive summary and the ten riskiest findings
 * first, then the chains from a leak to its owner, then one section per rule (its explanation once),
 * and the coverage and inventory at the end. Severity marks are text (`[CRITICAL]`), so they render
 * in any font. Written line by line to the sink, so a report with a million findings is never one string.
 */
import type { RankedFinding } from '../src/blast-radius.js';
import type { HistorySection } from '../src/history/section.js';
import { riskiestChains } from '../src/lineage/chains.js';
import { renderChainMermaid, renderChainText } from '../src/lineage/render.js';
import { SEVERITIES, SEVERITY_RANK, type Finding } from '../src/model/index.js';
import type { ScanReport } from '../src/report-model.js';
import { BADGE, describeYield, providerInventory, rankedReport, severityMix, sourceYield, topByResource, type RuleGroup } from './digest.js';
import { mapIter, type ReportSink } from './sink.js';
import { defineReporter } from '../src/plugin.js';

/** Writes each argument as one line. */
type Lines = (...lines: string[]) => void;

function linesTo(sink: ReportSink): Lines {
  return (...lines) => {
    for (const line of lines) sink.write(`${line}\n`);
  };
}

/** Escapes text for a table cell or inline use: pipes, newlines and HTML-ish brackets. */
function esc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

/** A table, row by row; followed by an empty line. */
function table(line: Lines, headers: string[], rows: Iterable<(string | number)[]>): void {
  const row = (cells: (string | number)[]) => `| ${cells.map((c) => esc(String(c))).join(' | ')} |`;
  line(row(headers), `|${headers.map(() => ' --- ').join('|')}|`);
  for (const cells of rows) line(row(cells));
  line('');
}

function whereOf(f: Finding): string {
  if (!f.location || f.message.includes(f.location.path)) return '';
  const l = f.location;
  return ` at \`${esc(l.path)}${l.line ? `:${l.line}` : ''}\`${l.commit ? ` (commit ${l.commit.slice(0, 12)})` : ''}`;
}

/** A secret finding's confidence and live-verification state, when it has them. */
function secretFacts(f: Finding): string {
  const e = f.evidence ?? {};
  const facts = [
    typeof e.confidence === 'string' ? `confidence: ${e.confidence}` : '',
    typeof e.verification === 'string' ? `verified: ${e.verification}` : '',
  ].filter(Boolean);
  return facts.length ? ` [${facts.join(', ')}]` : '';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function writeSummary(line: Lines, report: ScanReport): void {
  const { summary } = report;
  const roots = report.sources.filter((s) => !s.parent);
  line(`# nhiscan report`, '');
  line(
    `Scanned ${plural(roots.length, 'source')} from ${report.scan.startedAt} to ${report.scan.finishedAt} with nhiscan ${report.tool.version}.`,
    '',
    '## Executive summary',
    '',
  );
  line(
    `**${plural(summary.total, 'active finding')}**: ${SEVERITIES.map((s) => `${BADGE[s]} ${summary.bySeverity[s]}`).join(' · ')}` +
      (summary.suppressed ? ` (${summary.suppressed} suppressed)` : '') +
      '.',
    '',
  );
  line(
    `- Gate (fail on ${summary.gate.failOn}): **${summary.gate.failed ? `FAILED` : 'passed'}**` +
      (summary.gate.failed ? ` with ${plural(summary.gate.gatingFindings, 'gating finding')}.` : '.'),
  );
  if (summary.baseline)
    line(
      `- Against baseline \`${esc(report.scan.baseline ?? '')}\`: ${summary.baseline.new} new, ${summary.baseline.persisting} persisting, ${summary.baseline.resolved} resolved.`,
    );
  if (report.history?.sinceLast) {
    const s = report.history.sinceLast;
    line(`- Since the last scan (${s.previousScanAt}): ${s.new} new, ${s.resolved} resolved, ${s.reopened} reopened, ${s.persisting} still open.`);
  }
  const inventory = providerInventory(report);
  const count = (pick: (p: (typeof inventory)[number]) => number) => inventory.reduce((n, p) => n + pick(p), 0);
  line(
    `- Inventory: ${plural(
      count((p) => p.identities),
      'identity',
      'identities',
    )} and ${plural(
      count((p) => p.credentials),
      'credential',
    )} across ${plural(inventory.length, 'provider')}; ` +
      `${count((p) => p.owners.departed)} owned only by people who have left, ${count((p) => p.owners.none)} without an owner.`,
  );
  const incomplete = roots.filter((s) => s.status !== 'ok');
  line(
    incomplete.length
      ? `- Coverage: **${incomplete.length} of ${roots.length} sources not fully covered** (${incomplete.map((s) => `\`${esc(s.spec)}\` ${s.status}`).join(', ')}); see Coverage.`
      : `- Coverage: all ${plural(roots.length, 'source')} fully covered.`,
    '',
  );
}

/** One finding in one line (its rule section gives the rule, the provider and what to do). */
function findingLine(item: RankedFinding): string {
  const f = item.finding;
  return (
    `${BADGE[f.severity]} **${esc(f.resource.name)}**${f.status === 'new' ? ' (new)' : ''}${f.resource.human ? ' (a person)' : ''}` +
    `${whereOf(f)}${secretFacts(f)}: ${esc(f.message)} <sub>\`${f.fingerprint}\`</sub>`
  );
}

function ownerCell(item: RankedFinding): string {
  const who = item.owners.owners[0];
  if (!who) return 'none';
  return `${who.id}${item.owners.state === 'departed' ? ' (departed)' : item.owners.state === 'unverified' ? ' (unverified)' : ''}`;
}

/** The ten riskiest findings as a table: what, on what, how far it reaches, whose. */
function writeTop(line: Lines, ranked: RankedFinding[], titles: Map<string, string>): void {
  if (!ranked.length) return;
  const top = topByResource(ranked);
  line(
    `## Top ${top.length} findings`,
    '',
    'One row per resource: by severity, then blast radius (what the identity behind it can reach); workloads before people.',
    '',
  );
  table(
    line,
    ['#', 'Severity', 'Finding', 'Resource', 'Blast radius', 'Owner'],
    top.map(({ item, also }, i) => [
      i + 1,
      BADGE[item.finding.severity],
      `${titles.get(item.finding.ruleId) ?? item.finding.title}${also.length ? ` (also: ${also.join(', ')})` : ''}`,
      `${item.finding.resource.name} (${item.finding.resource.provider} ${item.finding.resource.kind})`,
      item.blast.reasons.join('; ') || '-',
      ownerCell(item),
    ]),
  );
}

/** The riskiest leak chains, each as a diagram (GitHub renders Mermaid) and as one line of text. */
function writeChains(line: Lines, report: ScanReport): void {
  const chains = riskiestChains(report.inventory, 5);
  if (!chains.length) return;
  line('## Riskiest chains', '', 'Secrets found in code, followed to the identity they unlock, what it can do and who owns it.', '');
  chains.forEach((chain, i) => {
    line(`${i + 1}. ${esc(renderChainText(chain))}`, '', '```mermaid', renderChainMermaid(chain).trimEnd(), '```', '');
  });
}

function writeHistory(line: Lines, history: HistorySection | undefined): void {
  if (!history) return;
  line('## Since the last scan', '');
  if (!history.recorded) line(`> **History not recorded** in \`${esc(history.store)}\`${history.error ? `: ${esc(history.error)}` : ''}.`, '');
  const s = history.sinceLast;
  if (s)
    table(
      line,
      ['New', 'Resolved', 'Reopened', 'Still open', 'Unknown (source not fully covered)'],
      [[s.new, s.resolved, s.reopened, s.persisting, s.unknown]],
    );
  else if (history.recorded) line('This is the first recorded scan.', '');
  const fixed = SEVERITIES.filter((sev) => history.timeToFix[sev]?.fixed);
  if (fixed.length) {
    const days = (d: number | null) => (d === null ? '-' : d.toFixed(1));
    line('**Time to fix** (days)', '');
    table(
      line,
      ['Severity', 'Fixed', 'Mean', 'Median'],
      fixed.map((sev) => [BADGE[sev], history.timeToFix[sev].fixed, days(history.timeToFix[sev].meanDays), days(history.timeToFix[sev].medianDays)]),
    );
  }
  for (const b of history.breaches)
    line(`> **${BADGE[b.severity]} ${plural(b.count, 'finding')} open longer than ${b.targetDays} days** (the fix-time target).`, '');
  if (history.trend.length > 1) {
    line('### Trend', '');
    table(
      line,
      ['Scan', 'Open', 'New', 'Resolved', 'Reopened', 'Critical', 'High'],
      history.trend.slice(-12).map((p) => [p.at, p.open, p.new, p.resolved, p.reopened, p.openBySeverity.critical, p.openBySeverity.high]),
    );
  }
}

/**
 * One rule: its title, what to do and why (once, whatever severities it was found at), then its
 * findings. Critical and high are listed open; a rule found at medium or below at worst folds its
 * advice and list, so the report reads as a list of problems, most severe first.
 */
function writeRuleGroup(line: Lines, group: RuleGroup): void {
  const first = group.items[0]!.finding;
  const worst = SEVERITIES.find((s) => group.bySeverity[s] > 0)!;
  const refs = [first.category, ...(first.owasp.length ? [`OWASP ${first.owasp.join(', ')}`] : []), ...(first.cis ?? [])].join(' · ');
  const folded = SEVERITY_RANK[worst] < SEVERITY_RANK.high;
  line(`### ${BADGE[worst]} ${esc(group.rule?.title ?? first.title)} (${group.items.length})`, '');
  if (folded) line(`<details><summary>What to do and the ${plural(group.items.length, 'finding')}</summary>`, '');
  line(`**What to do:** ${esc(first.remediation)}`, '');
  line(`<details><summary>Why it matters (<code>${esc(group.ruleId)}</code> · ${esc(refs)} · ${severityMix(group.bySeverity)})</summary>`, '');
  if (group.rule) line(esc(group.rule.description), '');
  line('</details>', '');
  for (const item of group.items) {
    line(`- ${findingLine(item)}`);
    const commands = item.finding.remediationCommands;
    if (commands?.length) line(`  <details><summary>commands</summary>`, '', '  ```sh', ...commands.map((c) => `  ${c}`), '  ```', '  </details>');
  }
  line('');
  if (folded) line('</details>', '');
}

/** One section per rule, rules in the order of their riskiest finding, findings in risk order. */
function writeFindings(line: Lines, groups: RuleGroup[]): void {
  line('## Findings by rule', '');
  if (!groups.length) line('No active findings.', '');
  for (const group of groups) writeRuleGroup(line, group);
}

function writeCoverage(line: Lines, report: ScanReport): void {
  line('## Coverage', '');
  const found = sourceYield(report);
  table(
    line,
    ['Source', 'Status', 'Found', 'Not covered / errors'],
    report.sources.map((s) => [
      s.spec,
      s.status,
      describeYield(found.get(s.spec)),
      [...s.notCovered.map((n) => `${n.part}: ${n.reason}`), ...s.errors.map((e) => (e.part ? `${e.part}: ${e.message}` : e.message))].join('; ') || '-',
    ]),
  );
  for (const e of report.scan.analysisErrors ?? []) {
    line(`> **Analysis incomplete:** the ${e.stage} \`${esc(e.id)}\` failed (${esc(e.message)}); the findings it would produce are missing.`, '');
  }
  const incomplete = report.sources.filter((s) => s.status !== 'ok');
  if (incomplete.length)
    line(
      `> **Not fully covered:** ${incomplete.map((s) => `\`${esc(s.spec)}\` (${s.status})`).join(', ')}. The findings do not cover what these sources missed.`,
      '',
    );
}

function writeInventory(line: Lines, report: ScanReport): void {
  line('## Inventory', '');
  table(
    line,
    ['Provider', 'Identities', 'Credentials', 'Owner active', 'Owner departed', 'Owner unverified', 'No owner'],
    providerInventory(report).map((p) => [p.provider, p.identities, p.credentials, p.owners.active, p.owners.departed, p.owners.unverified, p.owners.none]),
  );
}

function writeClosed(line: Lines, report: ScanReport): void {
  const resolved = report.findings.filter((f) => f.status === 'resolved');
  if (resolved.length) {
    line('## Resolved since baseline', '');
    table(
      line,
      ['Rule', 'Resource', 'Severity'],
      mapIter(resolved, (f) => [f.ruleId, f.resource.name, f.severity]),
    );
  }
  const suppressed = report.findings.filter((f) => f.suppressed);
  if (suppressed.length) {
    line('## Suppressed', '');
    table(
      line,
      ['Rule', 'Resource', 'Reason', 'Expires'],
      mapIter(suppressed, (f) => [f.ruleId, f.resource.name, f.suppressed!.reason, f.suppressed!.expires ?? '-']),
    );
  }
}

export const markdownReporter = defineReporter({
  format: 'md',
  byDefault: true,
  fileName: 'nhiscan-report.md',
  write(report: ScanReport, sink: ReportSink): void {
    const line = linesTo(sink);
    const { ranked, groups } = rankedReport(report);
    writeSummary(line, report);
    writeTop(line, ranked, new Map(report.rules.map((r) => [r.id, r.title])));
    writeChains(line, report);
    writeHistory(line, report.history);
    writeFindings(line, groups);
    writeCoverage(line, report);
    writeInventory(line, report);
    writeClosed(line, report);
  },
});
