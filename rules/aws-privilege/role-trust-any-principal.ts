import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { roleTrustFindings, where } from './trust-common.js';

const options = z.object({}).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-role-trust-any-principal',
    title: 'AWS role can be assumed by any principal',
    category: 'insecure-configuration',
    defaultSeverity: 'critical',
    owasp: ['NHI6'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'The role\'s trust policy allows sts:AssumeRole to `"*"` (or `{"AWS": "*"}`, or through NotPrincipal) without a condition that pins the caller to your organisation, an account, a principal ARN or an ExternalId. Any authenticated AWS principal in any account can then assume the role and use its permissions.',
    remediation:
      'Name the accounts or roles that may assume the role in the Principal element, or keep "*" only together with an aws:PrincipalOrgID (or aws:PrincipalAccount) condition.',
  },
  check(inventory) {
    return roleTrustFindings(inventory, 'any-principal', [], (role, issue) => ({
      key: `any-principal:${issue.sid ?? issue.statement}`,
      message: `Role "${role.name}" trust policy (${where(issue)}): ${issue.detail}.`,
      evidence: { statement: issue.statement, ...(issue.sid ? { sid: issue.sid } : {}), principal: issue.principal },
    }));
  },
});
