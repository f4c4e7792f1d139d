/**
 * Service control policies of an AWS Organization and where its accounts sit, as resources
 * (`aws-scp`, `aws-account`) the privilege analysis applies level by level. Read offline from an
 * organisation export (below); the live connector reads the same facts through the Organizations API.
 *
 * Export shape (what `aws organizations describe-policy` + `list-targets-for-policy` + `list-parents`
 * return, gathered in one file; docs/aws.md has the commands):
 *
 *   { "Accounts": [{ "Id": "111122223333", "Parents": ["r-ab12", "ou-ab12-xxxx"], "Management": false }],
 *     "Policies": [{ "PolicySummary": { "Id": "p-…", "Name": "…", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": false },
 *                    "Content": "{…policy JSON…}", "Targets": [{ "TargetId": "ou-ab12-xxxx", "Type": "ORGANIZATIONAL_UNIT" }] }] }
 */
import { makeId, type Resource } from '../../src/model/index.js';
import type { AwsAccountAttributes, AwsScpAttributes, PolicyDocument } from '../../src/model/aws.js';
import { decodePolicyDocument } from './documents.js';

export interface RawOrgPolicy {
  PolicySummary?: { Id?: string; Arn?: string; Name?: string; Type?: string; AwsManaged?: boolean };
  Content?: unknown;
  Targets?: { TargetId?: string; Type?: string }[];
}

export interface RawOrgExport {
  Accounts?: { Id?: string; Parents?: string[]; Management?: boolean; OrganizationId?: string }[];
  Policies?: (RawOrgPolicy | { Policy?: RawOrgPolicy; Targets?: RawOrgPolicy['Targets'] })[];
}

export function isOrganizationExport(parsed: unknown): parsed is RawOrgExport {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
  const policies = (parsed as RawOrgExport).Policies;
  return Array.isArray(policies) && policies.length > 0 && policies.every((p) => !!p && typeof p === 'object' && ('PolicySummary' in p || 'Policy' in p));
}

export const scpId = (policyId: string) => makeId('aws', 'aws-scp', policyId);
export const accountResourceId = (accountId: string) => makeId('aws', 'aws-account', accountId);

export function accountResource(attrs: AwsAccountAttributes, source: string): Resource {
  return {
    id: accountResourceId(attrs.accountId),
    provider: 'aws',
    kind: 'aws-account',
    nativeId: attrs.accountId,
    name: attrs.accountId,
    scope: attrs.accountId,
    tags: {},
    attributes: { ...attrs },
    source,
  };
}

export function scpResource(attrs: AwsScpAttributes, name: string, source: string): Resource {
  return {
    id: scpId(attrs.policyId),
    provider: 'aws',
    kind: 'aws-scp',
    nativeId: attrs.arn ?? attrs.policyId,
    name,
    tags: {},
    attributes: { ...attrs },
    source,
  };
}

/** The export as resources; entries that cannot be read are named in `problems` and skipped. */
/** A list the export should hold: absent is empty, anything but a list is a named problem (never a TypeError). */
function listAt<T>(value: T[] | undefined, part: string, problems: { part: string; message: string }[]): T[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  problems.push({ part, message: 'not a list; skipped' });
  return [];
}

export function buildOrganization(raw: RawOrgExport, source: string): { resources: Resource[]; problems: { part: string; message: string }[] } {
  const resources: Resource[] = [];
  const problems: { part: string; message: string }[] = [];
  for (const [i, a] of listAt(raw.Accounts, 'organization:Accounts', problems).entries()) {
    if (!a?.Id || !/^\d{12}$/.test(a.Id)) {
      problems.push({ part: `organization:Accounts[${i}]`, message: 'account entry without a 12-digit Id; skipped' });
      continue;
    }
    resources.push(
      accountResource(
        {
          accountId: a.Id,
          parents: listAt(a.Parents, `organization:Accounts[${i}].Parents`, problems).filter((p): p is string => typeof p === 'string'),
          ...(a.Management ? { managementAccount: true } : {}),
          ...(a.OrganizationId ? { organizationId: a.OrganizationId } : {}),
        },
        source,
      ),
    );
  }
  for (const [i, entry] of listAt(raw.Policies, 'organization:Policies', problems).entries()) {
    if (!entry || typeof entry !== 'object') {
      problems.push({ part: `organization:Policies[${i}]`, message: 'not a policy object; skipped' });
      continue;
    }
    const policy: RawOrgPolicy =
      'Policy' in entry && entry.Policy ? { ...entry.Policy, Targets: entry.Targets ?? entry.Policy.Targets } : (entry as RawOrgPolicy);
    const summary = policy.PolicySummary;
    if (summary?.Type && summary.Type !== 'SERVICE_CONTROL_POLICY') continue; // tag, backup, RCP... policies
    if (!summary?.Id) {
      problems.push({ part: `organization:Policies[${i}]`, message: 'policy without PolicySummary.Id; skipped' });
      continue;
    }
    let document: PolicyDocument;
    try {
      document = decodePolicyDocument(policy.Content, `service control policy ${summary.Id}`);
    } catch (error) {
      problems.push({ part: `scp:${summary.Id}`, message: (error as Error).message });
      continue;
    }
    const targets = listAt(policy.Targets, `scp:${summary.Id}.Targets`, problems)
      .map((t) => t?.TargetId)
      .filter((t): t is string => typeof t === 'string');
    resources.push(
      scpResource(
        { policyId: summary.Id, ...(summary.Arn ? { arn: summary.Arn } : {}), document, targets, ...(summary.AwsManaged ? { awsManaged: true } : {}) },
        summary.Name ?? summary.Id,
        source,
      ),
    );
  }
  return { resources, problems };
}
