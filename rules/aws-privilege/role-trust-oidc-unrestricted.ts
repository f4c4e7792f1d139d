import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { roleTrustFindings, where } from './trust-common.js';

const options = z.object({}).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-role-trust-oidc-unrestricted',
    title: 'AWS role trusts a CI OIDC provider without restricting the subject',
    category: 'insecure-configuration',
    defaultSeverity: 'critical',
    owasp: ['NHI6'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'The role trusts GitHub Actions (token.actions.githubusercontent.com), GitLab CI or Terraform Cloud OIDC tokens without a `sub` condition, or with a subject wildcard that spans owners (`repo:*`). Those services issue tokens to every customer, so any workflow in any repository in the world can assume the role. A Cognito identity trust without an `aud` condition is open to every identity pool in the same way.',
    remediation:
      'Add a `token.actions.githubusercontent.com:sub` condition with StringEquals (or StringLike limited to your organisation and repository, e.g. `repo:acme/deploy:ref:refs/heads/main` or `repo:acme/deploy:environment:prod`), plus `token.actions.githubusercontent.com:aud` = `sts.amazonaws.com`.',
  },
  check(inventory) {
    return roleTrustFindings(inventory, 'oidc-unrestricted', [], (role, issue) => ({
      key: `oidc:${issue.principal}`,
      message: `Role "${role.name}" trust policy (${where(issue)}): ${issue.detail}.`,
      evidence: { statement: issue.statement, ...(issue.sid ? { sid: issue.sid } : {}), provider: issue.principal },
    }));
  },
});
