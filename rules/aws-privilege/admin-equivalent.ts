import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { analysedPrincipals, isServiceLinked, kindLabel } from './common.js';

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
const options = z
  .object({
    /** Users hold long-lived keys: an admin key in the wrong hands is game over. */
    userSeverity: severity.default('critical'),
    /** Roles only hand out temporary credentials, to whoever their trust policy admits. */
    roleSeverity: severity.default('high'),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-admin-equivalent',
    title: 'AWS principal with administrator-equivalent permissions',
    category: 'excess-privilege',
    defaultSeverity: 'critical',
    owasp: ['NHI5'],
    cis: ['CIS AWS 1.16'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'The principal\'s policies, evaluated together with Deny statements and its permission boundary, allow every action on every resource, or full control of IAM (which lets it grant itself everything in one call). A non-human identity with administrator rights turns any leak of its credentials, or any bug in the workload using it, into full control of the account. An "Allow * on *" policy that a Deny, a permission boundary or a service control policy caps is not administrator-equivalent: aws-full-admin-policy reports the attachment itself (CIS AWS 1.16).',
    remediation:
      'Replace the administrator policy with one scoped to the actions and resources the workload uses (IAM Access Analyzer can generate one from CloudTrail activity), or cap the principal with a permission boundary. Keep administrator access for break-glass human roles with MFA, never for long-lived access keys.',
  },
  check(inventory, opts) {
    const findings: FindingDraft[] = [];
    for (const { identity, effective } of analysedPrincipals(inventory)) {
      if (identity.kind === 'iam-root' || isServiceLinked(identity)) continue; // root has its own rules
      if (effective.adminEquivalent) {
        const how = effective.adminReasons.includes('all-actions')
          ? 'every action on every resource'
          : 'full control of IAM, so it can grant itself any permission';
        const via = effective.fullAdminPolicies.length ? ` through ${effective.fullAdminPolicies.join(', ')}` : '';
        findings.push({
          resource: refOf(identity),
          key: 'admin-equivalent',
          severity: identity.kind === 'iam-user' ? opts.userSeverity : opts.roleSeverity,
          message: `${kindLabel(identity)} "${identity.name}" is administrator-equivalent: its effective permissions allow ${how}${via}.`,
          evidence: {
            adminReasons: effective.adminReasons,
            fullAdminPolicies: effective.fullAdminPolicies,
            allowedActionCount: effective.allowedActionCount,
            unrestrictedActionCount: effective.unrestrictedActionCount,
            boundary: effective.boundary,
          },
        });
      }
    }
    return findings;
  },
});
