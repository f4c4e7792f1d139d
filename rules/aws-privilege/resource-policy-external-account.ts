import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { knownAccounts, knownAccountsOption } from './trust-common.js';
import { holderLabel, resourcePolicyFindings, statementEvidence, where } from './resource-policy-common.js';

const options = z
  .object({
    /** Accounts you own or deliberately share with. Scanned accounts count automatically. */
    knownAccounts: knownAccountsOption,
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-resource-policy-external-account',
    title: 'AWS resource policy grants to an unknown external account',
    category: 'insecure-configuration',
    defaultSeverity: 'high',
    owasp: ['NHI6'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'The resource-based policy of a KMS key, Secrets Manager secret, S3 bucket, Lambda function, SNS topic or SQS queue grants access to an AWS account that is neither scanned nor listed as known (the `knownAccounts` option or settings.aws.knownAccounts), with no condition that pins it down. Whoever administers that account decides which of its principals use the grant: a vendor, a leftover of a migration, or a backdoor.',
    remediation:
      'Confirm who owns the account. Remove the grant if nobody does; otherwise name the exact role in the Principal element rather than the whole account, and add the account to `knownAccounts`.',
  },
  check(inventory, opts, context) {
    const known = knownAccounts(inventory, opts.knownAccounts, context);
    return resourcePolicyFindings(inventory, 'external-account', known, (holder, issue) => ({
      key: `external-account:${issue.principal}:${issue.sid ?? issue.statement}`,
      message: `${holderLabel(holder)} resource policy (${where(issue)}): ${issue.detail}; it grants ${issue.actions.join(', ')}.`,
      evidence: { ...statementEvidence(issue), account: issue.principal, arn: holder.attributes.arn },
    }));
  },
});
