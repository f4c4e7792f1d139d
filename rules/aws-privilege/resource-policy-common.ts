import { awsPolicyHolders, type AwsPolicyHolder } from '../../src/model/aws.js';
import { refOf, type Inventory } from '../../src/model/index.js';
import type { FindingDraft } from '../../src/plugin.js';
import { analyseResourcePolicy, type ResourcePolicyIssue, type ResourcePolicyIssueKind } from '../../src/aws-iam/resource-policies.js';

const SERVICE_NAMES: Record<string, string> = {
  kms: 'KMS key',
  secretsmanager: 'Secrets Manager secret',
  s3: 'S3 bucket',
  lambda: 'Lambda function',
  sns: 'SNS topic',
  sqs: 'SQS queue',
};

export function holderLabel(holder: AwsPolicyHolder): string {
  return `${SERVICE_NAMES[holder.attributes.service] ?? holder.kind} "${holder.name}"`;
}

/** One finding per issue of `kind` in every resource policy of the inventory. */
export function resourcePolicyFindings(
  inventory: Inventory,
  kind: ResourcePolicyIssueKind,
  known: string[],
  build: (holder: AwsPolicyHolder, issue: ResourcePolicyIssue) => Omit<FindingDraft, 'resource'>,
): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const holder of awsPolicyHolders(inventory)) {
    const a = holder.attributes;
    for (const issue of analyseResourcePolicy(a.policy, { ownAccount: a.accountId, knownAccounts: known })) {
      if (issue.kind === kind) out.push({ resource: refOf(holder), ...build(holder, issue) });
    }
  }
  return out;
}

export function statementEvidence(issue: ResourcePolicyIssue): Record<string, unknown> {
  return {
    statement: issue.statement,
    ...(issue.sid ? { sid: issue.sid } : {}),
    actions: issue.actions,
    access: issue.access,
    ...(issue.networkLimits.length ? { networkLimits: issue.networkLimits } : {}),
  };
}

export function where(issue: ResourcePolicyIssue): string {
  return issue.sid ? `statement "${issue.sid}"` : `statement ${issue.statement + 1}`;
}
