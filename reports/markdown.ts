/**
 * The Markdown report a security lead reads: what is wrong, how bad, what was not looked at,
 * and what to do, before the detail. Written line by line to the sink, so a report with a
 * million findings is never one string.
 */
import { riskiestChains } from '../src/lineage/chains.js';
import { renderChainMermaid, renderChainText } from '../src/lineage/render.js';
import { CATEGORIES, SEVERITIES, type Finding, type Severity } from '../src/model/index.js';
import { isActive, type ScanReport } from '../src/report-model.js';
import { mapIter, type ReportSink } from './sink.js';
import { defineReporter } from '../src/plugin.js';

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

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
  if (!f.location) return '';
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

function writeHeader(line: Lines, report: ScanReport): void {
  const { summary } = report;
  line(`# nhiscan report`, '');
  line(
    `Scanned ${report.sources.filter((s) => !s.parent).length} source(s) from ${report.scan.startedAt} to ${report.scan.finishedAt} with nhiscan ${report.tool.version}. ` +
      `**${summary.total} active finding(s)**` +
      (summary.suppressed ? `, ${summary.suppressed} suppressed` : '') +
      `. Gate (fail on ${summary.gate.failOn}): **${summary.gate.failed ? 'FAILED' : 'passed'}**` +
      (summary.gate.failed ? ` with ${summary.gate.gatingFindings} gating finding(s).` : '.'),
    '',
  );
  if (summary.baseline) {
    line(
      `Against baseline \`${esc(report.scan.baseline ?? '')}\`: ${summary.baseline.new} new, ${summary.baseline.persisting} persisting, ${summary.baseline.resolved} resolved.`,
      '',
    );
  }
  line('## Summary', '');
  table(
    line,
    ['Severity', 'Findings'],
    SEVERITIES.map((s) => [`${ICON[s]} ${s}`, summary.bySeverity[s]]),
  );
  table(
    line,
    ['Category', 'Findings'],
    CATEGORIES.filter((c) => summary.byCategory[c] > 0).map((c) => [c, summary.byCategory[c]]),
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

function writeCoverage(line: Lines, report: ScanReport): void {
  line('## Coverage', '');
  table(
    line,
    ['Source', 'Status', 'Collected', 'Not covered / errors'],
    report.sources.map((s) => [
      s.spec,
      s.status,
      Object.entries(s.stats)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ') || '-',
      [...s.notCovered.map((n) => `${n.part}: ${n.reason}`), ...s.errors.map((e) => (e.part ? `${e.part}: ${e.message}` : e.message))].join('; ') || '-',
    ]),
  );
  for (const e of report.scan.analysisErrors ?? []) {
    line(`> **Analysis incomplete:** the ${e.stage} \`${esc(e.id)}\` failed (${esc(e.message)}); the findings it would produce are missing.`, '');
  }
  const incomplete = report.sources.filter((s) => s.status !== 'ok');
  if (incomplete.length)
    line(
      `> **Not fully covered:** ${incomplete.map((s) => `\`${esc(s.spec)}\` (${s.status})`).join(', ')}. Findings below do not cover what these sources missed.`,
      '',
    );
}

/** One pass over identities and credentials: counts per provider. */
function writeInventory(line: Lines, report: ScanReport): void {
  line('## Inventory', '');
  const { identities, credentials } = report.inventory;
  const identityOwner = new Map(identities.map((i) => [i.id, i.owner]));
  const counts = new Map<string, { ids: number; creds: number; ownerless: number }>();
  const of = (provider: string) => counts.get(provider) ?? counts.set(provider, { ids: 0, creds: 0, ownerless: 0 }).get(provider)!;
  for (const i of identities) {
    const c = of(i.provider);
    c.ids++;
    if (!i.owner) c.ownerless++;
  }
  for (const cred of credentials) {
    const c = of(cred.provider);
    c.creds++;
    if (!cred.owner && !cred.secret && !(cred.identityId && identityOwner.get(cred.identityId))) c.ownerless++;
  }
  const providers = [...counts.keys()].sort();
  table(
    line,
    ['Provider', 'Identities', 'Credentials', 'Without owner'],
    providers.map((p) => [p, counts.get(p)!.ids, counts.get(p)!.creds, counts.get(p)!.ownerless]),
  );
}

/**
 * Grouped by severity, then by rule: why it matters and what to do once per rule, then the
 * resources it found, so a long report stays readable. One pass builds the groups (linear time).
 */
function writeFindings(line: Lines, report: ScanReport): void {
  line('## Findings', '');
  const groups = new Map<Severity, Map<string, Finding[]>>(SEVERITIES.map((s) => [s, new Map()]));
  let active = 0;
  // People (e.g. an IAM user signing in with a password and MFA) come after the workloads.
  const people: Finding[] = [];
  for (const f of report.findings) {
    if (!isActive(f)) continue;
    active++;
    if (f.resource.human) {
      people.push(f);
      continue;
    }
    const byRule = groups.get(f.severity)!;
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  if (!active) line('No active findings.', '');
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  for (const severity of SEVERITIES) {
    const byRule = groups.get(severity)!;
    if (!byRule.size) continue;
    let count = 0;
    for (const findings of byRule.values()) count += findings.length;
    line(`### ${ICON[severity]} ${severity[0]!.toUpperCase()}${severity.slice(1)} (${count})`, '');
    for (const [ruleId, findings] of byRule) {
      const first = findings[0]!;
      const rule = rules.get(ruleId);
      line(`#### ${esc(rule?.title ?? first.title)} (${findings.length})`, '');
      line(
        `\`${ruleId}\` · ${first.category}${first.owasp.length ? ` · OWASP ${first.owasp.join(', ')}` : ''}${first.cis?.length ? ` · ${first.cis.join(', ')}` : ''}`,
        '',
      );
      if (rule) line(`**Why it matters:** ${esc(rule.description)}`, '');
      line(`**What to do:** ${esc(first.remediation)}`, '');
      for (const f of findings) {
        line(
          `- **${esc(f.resource.name)}**${f.status === 'new' ? ' (new)' : ''} (${esc(f.resource.provider)} ${esc(f.resource.kind)})${whereOf(f)}${secretFacts(f)}: ${esc(f.message)} <sub>\`${f.fingerprint}\`</sub>`,
        );
        if (f.remediationCommands?.length)
          line(`  <details><summary>commands</summary>`, '', '  ```sh', ...f.remediationCommands.map((c) => `  ${c}`), '  ```', '  </details>');
      }
      line('');
    }
  }
  if (people.length) {
    line(`## Findings on people (${people.length})`, '', 'Identities of people (not workloads), ranked after the non-human identities above.', '');
    for (const f of people)
      line(
        `- ${ICON[f.severity]} **${esc(f.resource.name)}** (${esc(f.resource.provider)} ${esc(f.resource.kind)}, \`${f.ruleId}\`): ${esc(f.message)} <sub>\`${f.fingerprint}\`</sub>`,
      );
    line('');
  }
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
    writeHeader(line, report);
    writeChains(line, report);
    writeCoverage(line, report);
    writeInventory(line, report);
    writeFindings(line, report);
    writeClosed(line, report);
  },
});
