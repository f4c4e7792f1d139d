/**
 * SARIF 2.1.0 for GitHub code scanning: one reporting descriptor per rule (with help text and a
 * `security-severity` GitHub uses to rank), one result per active or suppressed finding.
 * Findings in code point at their file and line; cloud findings see `location` below.
 */
import { createHash } from 'node:crypto';
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
 * A finding in a file of a local checkout points at it, relative to the repository root whatever
 * folder was scanned (the source's `repositoryPrefix`), as code scanning resolves paths. Anything else
 * (a cloud resource, a file of a cloned URL, a secret-scanning alert of another repository) has no
 * file in this repository: it carries logical locations naming the resource (and where the secret
 * was), never a made-up path. Code scanning lists only results with a file; the JSON, Markdown and
 * HTML reports list them all.
 */
function location(f: Finding, prefixes: Map<string, string>) {
  const resource = { fullyQualifiedName: f.resource.id, name: f.resource.name, kind: 'resource' };
  const where = f.location;
  const prefix = where?.source !== undefined ? prefixes.get(where.source) : undefined;
  if (where && prefix !== undefined) {
    return {
      physicalLocation: {
        artifactLocation: { uri: sarifUri(`${prefix}${where.path.replace(/\\/g, '/').replace(/^\.\//, '')}`) },
        ...(where.line ? { region: { startLine: where.line, ...(where.column ? { startColumn: where.column } : {}) } } : {}),
      },
      ...(where.commit ? { properties: { commit: where.commit } } : {}),
    };
  }
  const file = where ? [{ fullyQualifiedName: `${where.repository ?? where.source ?? ''}:${where.path}`, name: where.path, kind: 'file' }] : [];
  return { logicalLocations: [resource, ...file], ...(where?.commit ? { properties: { commit: where.commit } } : {}) };
}

/**
 * `automationDetails.id`: code scanning keeps one analysis per category, so the category names what
 * was scanned (a digest of the top-level sources): two workflows scanning different sources do not
 * close each other's alerts. The upload step's `category` overrides it.
 */
function automationId(report: ScanReport): string {
  const specs = [...new Set(report.sources.filter((s) => !s.parent).map((s) => s.spec))].sort();
  return `nhiscan/${createHash('sha256').update(specs.join('\n')).digest('hex').slice(0, 12)}/`;
}

/** One reporting descriptor per rule that has a result, sorted by id; a rule no longer registered is described by its finding. */
function ruleDescriptors(report: ScanReport, findings: Finding[]) {
  const samples = new Map<string, Finding>();
  for (const f of findings) if (!samples.has(f.ruleId)) samples.set(f.ruleId, f);
  const rulesById = new Map(report.rules.map((r) => [r.id, r]));
  return [...samples.keys()].sort().map((id) => {
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
}

function result(f: Finding, ruleIndex: number, prefixes: Map<string, string>) {
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: `${f.message} Remediation: ${f.remediation}` },
    locations: [location(f, prefixes)],
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
  };
}

/** The run's invocation: successful unless a source failed or an analysis stage did; each source not ok is a notification. */
function invocation(report: ScanReport) {
  return {
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
    const prefixes = new Map(report.sources.filter((s) => s.repositoryPrefix !== undefined).map((s) => [s.spec, s.repositoryPrefix!]));
    const rules = ruleDescriptors(report, findings);
    const index = new Map(rules.map((r, i) => [r.id, i]));
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
          automationDetails: { id: automationId(report) },
          invocations: [invocation(report)],
          results: new LazyArray(mapIter(findings, (f) => result(f, index.get(f.ruleId)!, prefixes))),
        },
      ],
    };
    writeJson(sink, log, 4); // down to each result
    sink.write('\n');
  },
});
