import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import type { Severity } from '../../src/model/index.js';
import type { ResourcePolicyIssue } from '../../src/aws-iam/resource-policies.js';
import { holderLabel, resourcePolicyFindings, statementEvidence, where } from './resource-policy-common.js';

const options = z.object({}).strict();

/** Data or secrets open to anyone is critical; changes high; metadata low; a network limit lowers it one step. */
function severityOf(issue: ResourcePolicyIssue): Severity {
  const base: Severity[] = issue.access === 'data' ? ['critical', 'high'] : issue.access === 'write' ? ['high', 'medium'] : ['low', 'low'];
  return base[issue.networkLimits.length ? 1 : 0]!;
}

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-resource-policy-public',
    title: 'AWS resource policy open to any principal',
    category: 'insecure-configuration',
    defaultSeverity: 'critical',
    owasp: ['NHI6'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'The resource-based policy of a KMS key, Secrets Manager secret, S3 bucket, Lambda function, SNS topic or SQS queue allows `"*"` (or `{"AWS": "*"}`, or everyone through NotPrincipal) without a condition that pins the caller to your organisation, an account, a principal or a source ARN. Any AWS principal of any account, and for S3 anyone on the internet, may then use what it grants: read a secret, decrypt with a key, read objects, invoke a function, read or send messages. Data and secrets open to anyone are critical; changes high; metadata only low. aws:SourceIp, aws:SourceVpc and aws:SourceVpce conditions limit where a call comes from, not who makes it: they lower the severity one step and are named in the finding.',
    remediation:
      'Name the accounts or roles that need access in the Principal element, or keep "*" only together with an aws:PrincipalOrgID (or aws:PrincipalAccount / aws:SourceArn) condition. For S3, also keep Block Public Access on at the account level.',
  },
  check(inventory) {
    return resourcePolicyFindings(inventory, 'public', [], (holder, issue) => ({
      key: `public:${issue.sid ?? issue.statement}`,
      severity: severityOf(issue),
      message: `${holderLabel(holder)} resource policy (${where(issue)}) ${issue.detail}.`,
      evidence: { ...statementEvidence(issue), arn: holder.attributes.arn },
    }));
  },
});
