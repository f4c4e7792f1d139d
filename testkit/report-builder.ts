/**
 * Synthetic scan reports of any size, for the report writers' tests and bench: every finding is
 * distinct (resource, location, fingerprint), spread over severities, rules and statuses.
 */
import { SEVERITIES, type Credential, type Finding, type Identity, type Severity } from '../src/model/index.js';
import type { HistorySection } from '../src/history/section.js';
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

const departedOwner = { id: 'bob@corp.example', kind: 'email', source: 'tag:owner', active: false, personId: 'person:bob@corp.example' } as const;

function leadFinding(
  n: number,
  ruleId: string,
  severity: Severity,
  resource: { id: string; name: string; kind: string; human?: boolean },
  extra: Partial<Finding> = {},
): Finding {
  return {
    fingerprint: `lead${String(n).padStart(28, '0')}`,
    ruleId,
    category: ruleId === 'rule-leak' ? 'leaked-secret' : 'excess-privilege',
    severity,
    title: `Title of ${ruleId}`,
    message: `Finding ${n} of ${ruleId} on ${resource.name}.`,
    resource: { provider: resource.kind === 'leaked-secret' ? 'git' : 'aws', ...resource },
    owasp: ['NHI5'],
    remediation: `Remedy of ${ruleId}.`,
    ...extra,
  };
}

/** The hostile strings the HTML and Markdown reports must escape: a resource name, a message, a path. */
export const HOSTILE = {
  name: '<script>window.__pwned=1</script>"\'&',
  message: 'breaks out </td></tr><img src=x onerror="window.__pwned=2"> here',
  path: 'src/"><svg onload=window.__pwned=3>.env',
};

/**
 * A small report as a lead reads it: an admin identity whose owner left, a read-only one, a person,
 * a leaked key matched to the admin's live key, one rule found at two severities, and hostile strings.
 */
export function leadReport(): ScanReport {
  const admin: Identity = {
    id: 'aws:iam-role:deploy-admin',
    provider: 'aws',
    kind: 'iam-role',
    nativeId: 'deploy-admin',
    name: 'deploy-admin',
    tags: {},
    grants: [],
    attributes: { effective: { adminEquivalent: true } },
    source: 'import:aws',
    owners: [departedOwner],
    owner: departedOwner,
  };
  const reader: Identity = {
    id: 'aws:iam-role:reader',
    provider: 'aws',
    kind: 'iam-role',
    nativeId: 'reader',
    name: 'reader',
    tags: {},
    grants: [{ resource: '*', actions: ['s3:GetObject'], level: 'read' }],
    attributes: {},
    source: 'import:aws',
  };
  const human: Identity = {
    id: 'aws:iam-user:alice',
    provider: 'aws',
    kind: 'iam-user',
    nativeId: 'alice',
    name: 'alice',
    tags: {},
    grants: [],
    attributes: { effective: { adminEquivalent: true } },
    source: 'import:aws',
    human: true,
  };
  const key: Credential = {
    id: 'aws:aws-access-key:AKIA0',
    provider: 'aws',
    kind: 'aws-access-key',
    nativeId: 'AKIA0',
    name: 'deploy-admin/AKIA0',
    identityId: admin.id,
    tags: {},
    status: 'active',
    attributes: {},
    source: 'import:aws',
  };
  const leak: Credential = {
    id: 'git:leaked-secret:1',
    provider: 'git',
    kind: 'leaked-secret',
    nativeId: '1',
    name: 'AWS key AKIA0…',
    identityId: admin.id,
    tags: {},
    status: 'unknown',
    secret: { detector: 'aws-access-key-pair', hash: `sha256:${'ab'.repeat(32)}`, preview: 'wJalrX…(40 chars)' },
    locations: [{ source: 'git:app', repository: 'app', path: HOSTILE.path, line: 3, presentAtHead: true }],
    attributes: { matchedCredentialId: key.id },
    source: 'git:app',
  };
  const ref = (x: Identity | Credential) => ({ id: x.id, name: x.name, kind: x.kind, ...('human' in x && x.human ? { human: true } : {}) });
  const findings = [
    leadFinding(1, 'rule-a', 'critical', ref(reader)),
    leadFinding(2, 'rule-a', 'critical', ref(human)),
    leadFinding(3, 'rule-a', 'critical', ref(admin), { remediationCommands: ['aws iam delete-role --role-name deploy-admin'] }),
    leadFinding(4, 'rule-a', 'low', ref(reader)),
    leadFinding(5, 'rule-leak', 'high', ref(leak), { location: { path: HOSTILE.path, line: 3 } }),
    leadFinding(6, 'rule-c', 'medium', { id: 'aws:iam-role:hostile', name: HOSTILE.name, kind: 'iam-role' }, { message: HOSTILE.message }),
  ];
  const rule = (id: string, severity: Severity) => ({
    id,
    title: `Title of ${id}`,
    category: 'excess-privilege' as const,
    defaultSeverity: severity,
    owasp: ['NHI5'],
    description: `Explanation of ${id}.`,
    remediation: `Remedy of ${id}.`,
  });
  return {
    schemaVersion: '1.1.0',
    tool: { name: 'nhiscan', version: '0.0.0-test' },
    scan: { startedAt: '2026-11-29T00:00:00.000Z', finishedAt: '2026-11-29T00:01:00.000Z' },
    sources: [
      { spec: 'git:app', status: 'ok', errors: [], stats: { blobsScanned: 11, cachedBlobs: 7 }, notCovered: [], durationMs: 1 },
      {
        spec: 'import:aws',
        status: 'partial',
        errors: [],
        stats: { otherPagesRead: 3 },
        notCovered: [{ part: 'access-keys', reason: 'AccessDenied' }],
        durationMs: 1,
      },
    ],
    inventory: {
      identities: [admin, reader, human],
      credentials: [key, leak],
      people: [
        {
          id: 'person:bob@corp.example',
          email: 'bob@corp.example',
          aliases: [],
          status: 'departed',
          manager: 'carol@corp.example',
          sources: ['people:hr.csv'],
        },
      ],
    },
    findings,
    summary: summarise(findings, { failOn: 'high', failed: true, gatingFindings: 4 }, false),
    rules: [rule('rule-a', 'critical'), rule('rule-leak', 'high'), rule('rule-c', 'medium')],
  };
}

/** A history of `scans` daily scans ending with this one, as the history store fills `report.history`. */
export function syntheticHistory(scans = 6): HistorySection {
  const trend = Array.from({ length: scans }, (_, i) => ({
    scanId: `scan-${i + 1}`,
    at: new Date(Date.UTC(2026, 10, 24 + i)).toISOString(),
    open: 40 - i * 3,
    new: i ? 2 + (i % 3) : 40,
    resolved: i ? 5 + (i % 2) : 0,
    reopened: i % 4 === 3 ? 1 : 0,
    openBySeverity: { critical: Math.max(0, 6 - i), high: Math.max(0, 10 - i), medium: Math.max(0, 12 - i), low: 12, info: 0 },
  }));
  const ttf = (fixed: number, mean: number | null, median: number | null) => ({ fixed, meanDays: mean, medianDays: median });
  return {
    store: 'sqlite:/var/lib/nhiscan/history.db',
    recorded: true,
    scanId: `scan-${scans}`,
    ...(scans > 1
      ? {
          sinceLast: {
            previousScanId: `scan-${scans - 1}`,
            previousScanAt: trend[scans - 2]!.at,
            new: 3,
            resolved: 7,
            reopened: 1,
            persisting: 24,
            unknown: 2,
          },
        }
      : {}),
    trend,
    timeToFix: { critical: ttf(4, 2.5, 2), high: ttf(6, 9.25, 8), medium: ttf(0, null, null), low: ttf(3, 30, 28), info: ttf(0, null, null) },
    breaches: [{ severity: 'critical', targetDays: 7, count: 2 }],
  };
}
