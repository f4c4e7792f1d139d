import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { knownAccounts, knownAccountsOption, roleTrustFindings, where } from './trust-common.js';

const options = z
  .object({
    /** Accounts you own or deliberately trust (partners, your CI account). Scanned accounts count automatically. */
    knownAccounts: knownAccountsOption,
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-role-trust-external-account',
    title: 'AWS role trusts an unknown external account without an ExternalId',
    category: 'insecure-configuration',
    defaultSeverity: 'high',
    owasp: ['NHI6'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      "The role's trust policy admits an AWS account that is neither scanned nor listed as known (the `knownAccounts` option or settings.aws.knownAccounts), and no sts:ExternalId condition protects it. Third-party (vendor) roles without an ExternalId are open to the confused-deputy problem: any customer of the vendor can make the vendor assume your role. An account nobody recognises may also be a leftover or a backdoor.",
    remediation:
      'Confirm who owns the account. For a vendor, require the ExternalId it gives you (`"Condition": {"StringEquals": {"sts:ExternalId": "..."}}`); for your own accounts, add them to `knownAccounts`; otherwise remove the account from the trust policy.',
  },
  check(inventory, opts, context) {
    const known = knownAccounts(inventory, opts.knownAccounts, context);
    return roleTrustFindings(inventory, 'external-account', known, (role, issue) => ({
      key: `external-account:${issue.principal}`,
      message: `Role "${role.name}" trust policy (${where(issue)}): ${issue.detail}.`,
      evidence: { statement: issue.statement, ...(issue.sid ? { sid: issue.sid } : {}), account: issue.principal },
    }));
  },
});
