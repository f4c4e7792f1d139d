import { z } from 'zod';
import { explainConditionKeys } from '../../src/aws-iam/conditions.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf, type Severity } from '../../src/model/index.js';
import { analysedPrincipals, isServiceLinked, kindLabel, shiftSeverity } from './common.js';

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info']);
const options = z
  .object({
    credentialsSeverity: severity.default('high'),
    dataSeverity: severity.default('medium'),
    /** Admin-equivalent principals can do all of this; aws-admin-equivalent already reports them. */
    includeAdminEquivalent: z.boolean().default(false),
    /** Actions not to report (`s3:GetObject` for a data-lake reader, say). */
    ignoreActions: z.array(z.string()).default([]),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-unrestricted-sensitive-actions',
    title: 'AWS principal can read credentials or data on every resource',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'The principal is allowed, on every resource of their type, actions that return credentials (secretsmanager:GetSecretValue, ssm:GetParameter*, kms:Decrypt, sts:AssumeRole, redshift:GetClusterCredentials...) or bulk data (s3:GetObject, dynamodb:Scan, snapshot sharing). On one named secret or bucket these are normal; on "*" any leak of the principal\'s credentials exposes every secret or object in the account. Actions AWS only allows on "*" (ecr:GetAuthorizationToken) are not reported. Grants that hold only under conditions are one severity step lower.',
    remediation:
      "Scope each action to the ARNs the workload reads (a secret name prefix, a bucket, a parameter path, a key ARN), or add conditions such as aws:ResourceTag matching the principal's own tag.",
  },
  check(inventory, opts) {
    const findings: FindingDraft[] = [];
    const ignored = new Set(opts.ignoreActions.map((a) => a.toLowerCase()));
    for (const { identity, effective } of analysedPrincipals(inventory)) {
      if (identity.kind === 'iam-root' || isServiceLinked(identity)) continue;
      if (effective.adminEquivalent && !opts.includeAdminEquivalent) continue;
      for (const kind of ['credentials', 'data'] as const) {
        const actions = effective.sensitiveActions.filter((s) => s.kind === kind && !ignored.has(s.action.toLowerCase()));
        if (!actions.length) continue;
        const firm = actions.filter((a) => !a.conditional);
        let sev: Severity = kind === 'credentials' ? opts.credentialsSeverity : opts.dataSeverity;
        if (!firm.length) sev = shiftSeverity(sev, -1);
        const list = actions.map((a) => `${a.action}${a.conditional ? ' (conditional)' : ''}`).join(', ');
        const sources = [...new Set(actions.flatMap((a) => a.sources))].join(', ');
        const limits = explainConditionKeys([...new Set(actions.flatMap((a) => a.conditionKeys ?? []))]);
        findings.push({
          resource: refOf(identity),
          key: kind === 'credentials' ? 'credential-access' : 'data-access',
          severity: sev,
          message: `${kindLabel(identity)} "${identity.name}" can ${kind === 'credentials' ? 'obtain credentials' : 'read or share data'} on every resource: ${list}, granted by ${sources}.${limits.length ? ` Limited by ${limits.join('; ')}.` : ''}`,
          evidence: { actions, ...(limits.length ? { limitingConditions: limits } : {}) },
        });
      }
    }
    return findings;
  },
});
