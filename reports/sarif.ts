/**
 * SARIF 2.1.0 for GitHub code scanning: one reporting descriptor per rule (with help text and a
 * `security-severity` GitHub uses to rank), one result per active or suppressed finding.
 * Findings in code point at their file and line; cloud findings see `location` below.
 */
import type { Finding, Severity } from '../src/model/index.js';
import type { ScanReport } from '../src/report-model.js';
import { LazyArray, mapIter, writeJson, type ReportSink } from './sink.js';
import { defineReporter } from '../src/plugin.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
const BASELINE_STATE = { new: 'new', persisting: 'unchanged', resolved: 'absent' } as const; // 'absent' is never emitted

/**
 * A file path as a SARIF `uri` (a URI reference, RFC 3986): forward slashes, no leading `./`, and
 * every segment percent-encoded, so `#`, `?`, spaces, newlines or a `:` in a first segment cannot
 * turn part of a file name into a fragment, a query or a scheme.
 */
export function sarifUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * GitHub code scanning rejects results without a physical location, and a cloud finding has no
 * file. Those point at the nhiscan config that scoped the scan (the file a reviewer would edit to
 * suppress or re-scope them), with the resource named as a logical location.
 */
function location(f: Finding, fallbackUri: string) {
  if (f.location) {
    return {
      physicalLocation: {
        artifactLocation: { uri: sarifUri(f.location.path) },
        ...(f.location.line ? { region: { startLine: f.location.line } } : {}),
      },
      ...(f.location.commit ? { properties: { commit: f.location.commit } } : {}),
    };
  }
  return {
    physicalLocation: { artifactLocation: { uri: fallbackUri }, region: { startLine: 1 } },
    logicalLocations: [{ fullyQualifiedName: f.resource.id, name: f.resource.name, kind: 'resource' }],
  };
}

export const sarifReporter = defineReporter({
  format: 'sarif',
  byDefault: true,
  fileName: 'nhiscan-report.sarif',
  /** Written result by result: the results array is never built. */
  write(report: ScanReport, sink: ReportSink): void {
    // Resolved findings are not results: code scanning closes alerts that are absent from an upload.
    const findings = report.findings.filter((f) => f.status !== 'resolved');
    const fallbackUri = sarifUri(report.scan.config ?? 'nhiscan.config.json');
    const samples = new Map<string, Finding>();
    for (const f of findings) if (!samples.has(f.ruleId)) samples.set(f.ruleId, f);
    const ruleIds = [...samples.keys()].sort();
    const rulesById = new Map(report.rules.map((r) => [r.id, r]));
    const rules = ruleIds.map((id) => {
      const r = rulesById.get(id);
      const sample = samples.get(id)!;
      const title = r?.title ?? sample.title;
      const description = r?.description ?? sample.title;
      const remediation = r?.remediation ?? sample.remediation;
      const severity = r?.defaultSeverity ?? sample.severity;
      const mappings = [...(r?.owasp ?? sample.owasp).map((o) => `OWASP ${o}`), ...(r?.cis ?? sample.cis ?? [])];
      return {
        id,
        name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
        shortDescription: { text: title },
        fullDescription: { text: description },
        help: {
          text: `${description}\n\nRemediation: ${remediation}${mappings.length ? `\n\nMappings: ${mappings.join(', ')}` : ''}`,
          markdown: `${description}\n\n**Remediation:** ${remediation}${mappings.length ? `\n\n**Mappings:** ${mappings.join(', ')}` : ''}`,
        },
        defaultConfiguration: { level: LEVEL[severity] },
        properties: {
          tags: ['security', r?.category ?? sample.category, ...(r?.owasp ?? sample.owasp)],
          'security-severity': SECURITY_SEVERITY[severity],
          precision: 'high',
        },
      };
    });
    const index = new Map(ruleIds.map((id, i) => [id, i]));
    const results = new LazyArray(
      mapIter(findings, (f) => ({
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId)!,
        level: LEVEL[f.severity],
        message: { text: `${f.message} Remediation: ${f.remediation}` },
        locations: [location(f, fallbackUri)],
        partialFingerprints: { 'nhiscanFingerprint/v1': f.fingerprint },
        ...(f.status ? { baselineState: BASELINE_STATE[f.status] } : {}),
        ...(f.suppressed ? { suppressions: [{ kind: 'external', justification: f.suppressed.reason }] } : {}),
        properties: {
          severity: f.severity,
          category: f.category,
          'security-severity': SECURITY_SEVERITY[f.severity],
          resource: f.resource,
          ...(typeof f.evidence?.confidence === 'string' ? { confidence: f.evidence.confidence } : {}),
          ...(typeof f.evidence?.verification === 'string' ? { verification: f.evidence.verification } : {}),
        },
      })),
    );
    const log = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'nhiscan',
              version: report.tool.version,
              semanticVersion: report.tool.version,
              informationUri: 'https://github.com/nhiscan/nhiscan',
              rules,
            },
          },
          invocations: [
            {
              executionSuccessful: report.sources.every((s) => s.status !== 'failed') && !report.scan.analysisErrors?.length,
              startTimeUtc: report.scan.startedAt,
              endTimeUtc: report.scan.finishedAt,
              toolExecutionNotifications: report.sources
                .filter((s) => s.status !== 'ok')
                .map((s) => ({
                  level: s.status === 'failed' ? 'error' : 'warning',
                  message: { text: `${s.spec}: ${s.status}${s.errors.length ? ` (${s.errors.map((e) => e.message).join('; ')})` : ''}` },
                }))
                .concat((report.scan.analysisErrors ?? []).map((e) => ({ level: 'error', message: { text: `${e.stage} ${e.id} failed: ${e.message}` } }))),
            },
          ],
          results,
        },
      ],
    };
    writeJson(sink, log, 4); // down to each result
    sink.write('\n');
  },
});
