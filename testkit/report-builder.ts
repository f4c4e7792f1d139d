/**
 * Synthetic scan reports of any size, for the report writers' tests and bench: every finding is
 * distinct (resource, location, fingerprint), spread over severities, rules and statuses.
 */
import { SEVERITIES, type Finding } from '../src/model/index.js';
import type { ScanReport } from '../src/report-model.js';
import { summarise } from '../src/report-model.js';

const RULES = ['secret-in-history', 'aws-user-admin', 'credential-unused', 'github-deploy-key-write'] as const;

export function syntheticFinding(i: number): Finding {
  const severity = SEVERITIES[i % SEVERITIES.length]!;
  const ruleId = RULES[i % RULES.length]!;
  return {
    fingerprint: `fp${i.toString(16).padStart(14, '0')}`,
    ruleId,
    category: 'leaked-secret',
    severity,
    title: `Finding ${i}`,
    message: `Resource ${i} has a problem | with <tags> and\nnewlines`,
    resource: { id: `git:repo:secret:${i}`, name: `secret ${i}`, provider: 'git', kind: 'secret' },
    ...(i % 3 ? { location: { source: 'git:repo', path: `src/dir ${i % 7}/file#${i}?.ts`, line: (i % 500) + 1, commit: 'a'.repeat(40) } } : {}),
    owasp: ['NHI2'],
    remediation: 'Rotate it.',
    ...(i % 11 === 0 ? { status: 'new' as const } : {}),
    ...(i % 13 === 0 ? { suppressed: { reason: 'accepted risk', expires: '2027-01-01' } } : {}),
  } as Finding;
}

export function syntheticReport(findingCount: number): ScanReport {
  const findings = Array.from({ length: findingCount }, (_, i) => syntheticFinding(i));
  return {
    schemaVersion: '1.0.0',
    tool: { name: 'nhiscan', version: '0.0.0-test' },
    scan: { startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', config: 'nhiscan.config.json' },
    sources: [{ spec: 'git:repo', status: 'ok', errors: [], stats: { blobs: findingCount }, notCovered: [], durationMs: 1 }],
    inventory: { identities: [], credentials: [] },
    findings,
    summary: summarise(findings, { failOn: 'high', failed: false, gatingFindings: 0 }, false),
    rules: RULES.map((id) => ({
      id,
      title: `Rule ${id}`,
      category: 'leaked-secret',
      defaultSeverity: 'high',
      owasp: ['NHI2'],
      description: `About ${id}.`,
      remediation: 'Fix it.',
    })),
  };
}
