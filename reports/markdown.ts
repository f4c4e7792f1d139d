/**
 * The Markdown report a security lead reads: what is wrong, how bad, what was not looked at,
 * and what to do, before the detail.
 */
import { CATEGORIES, SEVERITIES, type Finding, type Severity } from '../src/model/index.js';
import { isActive, type ScanReport } from './report-model.js';

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

/** Escapes text for a table cell or inline use: pipes, newlines and HTML-ish brackets. */
function esc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}

function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => esc(String(c))).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

function whereOf(f: Finding): string {
  if (!f.location) return '';
  const l = f.location;
  return ` at \`${esc(l.path)}${l.line ? `:${l.line}` : ''}\`${l.commit ? ` (commit ${l.commit.slice(0, 12)})` : ''}`;
}

export const markdownReporter = {
  format: 'md',
  fileName: 'nhiscan-report.md',
  render(report: ScanReport): string {
    const out: string[] = [];
    const active = report.findings.filter(isActive);
    const { summary } = report;
    out.push(`# nhiscan report`, '');
    out.push(
      `Scanned ${report.sources.filter((s) => !s.parent).length} source(s) from ${report.scan.startedAt} to ${report.scan.finishedAt} with nhiscan ${report.tool.version}. ` +
        `**${summary.total} active finding(s)**` +
        (summary.suppressed ? `, ${summary.suppressed} suppressed` : '') +
        `. Gate (fail on ${summary.gate.failOn}): **${summary.gate.failed ? 'FAILED' : 'passed'}**` +
        (summary.gate.failed ? ` with ${summary.gate.gatingFindings} gating finding(s).` : '.'),
      '',
    );
    if (summary.baseline) {
      out.push(`Against baseline \`${esc(report.scan.baseline ?? '')}\`: ${summary.baseline.new} new, ${summary.baseline.persisting} persisting, ${summary.baseline.resolved} resolved.`, '');
    }

    out.push('## Summary', '');
    out.push(table(['Severity', 'Findings'], SEVERITIES.map((s) => [`${ICON[s]} ${s}`, summary.bySeverity[s]])), '');
    out.push(table(['Category', 'Findings'], CATEGORIES.filter((c) => summary.byCategory[c] > 0).map((c) => [c, summary.byCategory[c]])), '');

    out.push('## Coverage', '');
    out.push(
      table(
        ['Source', 'Status', 'Collected', 'Not covered / errors'],
        report.sources.map((s) => [
          s.spec,
          s.status,
          Object.entries(s.stats).map(([k, v]) => `${k}: ${v}`).join(', ') || '-',
          [...s.notCovered.map((n) => `${n.part}: ${n.reason}`), ...s.errors.map((e) => (e.part ? `${e.part}: ${e.message}` : e.message))].join('; ') || '-',
        ]),
      ),
      '',
    );
    for (const e of report.scan.analysisErrors ?? []) {
      out.push(`> **Analysis incomplete:** the ${e.stage} \`${esc(e.id)}\` failed (${esc(e.message)}); the findings it would produce are missing.`, '');
    }
    const incomplete = report.sources.filter((s) => s.status !== 'ok');
    if (incomplete.length) out.push(`> **Not fully covered:** ${incomplete.map((s) => `\`${esc(s.spec)}\` (${s.status})`).join(', ')}. Findings below do not cover what these sources missed.`, '');

    out.push('## Inventory', '');
    const identityOwner = new Map(report.inventory.identities.map((i) => [i.id, i.owner]));
    const providers = [...new Set([...report.inventory.identities, ...report.inventory.credentials].map((x) => x.provider))].sort();
    out.push(
      table(
        ['Provider', 'Identities', 'Credentials', 'Without owner'],
        providers.map((p) => {
          const ids = report.inventory.identities.filter((i) => i.provider === p);
          const creds = report.inventory.credentials.filter((c) => c.provider === p);
          const ownerless = ids.filter((i) => !i.owner).length + creds.filter((c) => !c.owner && !c.secret && !(c.identityId && identityOwner.get(c.identityId))).length;
          return [p, ids.length, creds.length, ownerless];
        }),
      ),
      '',
    );

    out.push('## Findings', '');
    if (!active.length) out.push('No active findings.', '');
    // Grouped by severity, then by rule: why it matters and what to do once per rule, then the
    // resources it found, so a long report stays readable.
    const rules = new Map(report.rules.map((r) => [r.id, r]));
    for (const severity of SEVERITIES) {
      const group = active.filter((f) => f.severity === severity);
      if (!group.length) continue;
      out.push(`### ${ICON[severity]} ${severity[0]!.toUpperCase()}${severity.slice(1)} (${group.length})`, '');
      const byRule = new Map<string, Finding[]>();
      for (const f of group) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
      for (const [ruleId, findings] of byRule) {
        const first = findings[0]!;
        const rule = rules.get(ruleId);
        out.push(`#### ${esc(rule?.title ?? first.title)} (${findings.length})`, '');
        out.push(`\`${ruleId}\` · ${first.category}${first.owasp.length ? ` · OWASP ${first.owasp.join(', ')}` : ''}${first.cis?.length ? ` · ${first.cis.join(', ')}` : ''}`, '');
        if (rule) out.push(`**Why it matters:** ${esc(rule.description)}`, '');
        out.push(`**What to do:** ${esc(first.remediation)}`, '');
        for (const f of findings) {
          out.push(`- **${esc(f.resource.name)}**${f.status === 'new' ? ' (new)' : ''} (${esc(f.resource.provider)} ${esc(f.resource.kind)})${whereOf(f)}: ${esc(f.message)} <sub>\`${f.fingerprint}\`</sub>`);
        }
        out.push('');
      }
    }
    const resolved = report.findings.filter((f) => f.status === 'resolved');
    if (resolved.length) {
      out.push('## Resolved since baseline', '');
      out.push(table(['Rule', 'Resource', 'Severity'], resolved.map((f) => [f.ruleId, f.resource.name, f.severity])), '');
    }
    const suppressed = report.findings.filter((f) => f.suppressed);
    if (suppressed.length) {
      out.push('## Suppressed', '');
      out.push(table(['Rule', 'Resource', 'Reason', 'Expires'], suppressed.map((f) => [f.ruleId, f.resource.name, f.suppressed!.reason, f.suppressed!.expires ?? '-'])), '');
    }
    return `${out.join('\n')}\n`;
  },
};
