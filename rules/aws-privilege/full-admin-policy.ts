import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { analysedPrincipals, isServiceLinked, kindLabel } from './common.js';

const options = z
  .object({
    /** Admin-equivalent principals are reported by aws-admin-equivalent, naming the same policy. */
    includeAdminEquivalent: z.boolean().default(false),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-full-admin-policy',
    title: 'AWS policy granting "*" on "*" attached to a principal',
    category: 'excess-privilege',
    defaultSeverity: 'medium',
    owasp: ['NHI5'],
    cis: ['CIS AWS 1.16'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      'A policy with an unconditional "Allow * on *" statement (AdministratorAccess or a copy) is attached to the principal, but a Deny statement, its permission boundary or a service control policy keeps it below administrator today, so it is not reported as administrator-equivalent. CIS AWS 1.16 asks that such policies not be attached at all: the cap is one edit away from being removed, and the grant then becomes full control.',
    remediation:
      'Replace the "*" on "*" policy with one scoped to what the workload needs, instead of relying on a boundary or Deny statements to take most of it away again.',
  },
  check(inventory, opts) {
    const findings: FindingDraft[] = [];
    for (const { identity, effective } of analysedPrincipals(inventory)) {
      if (identity.kind === 'iam-root' || isServiceLinked(identity) || !effective.fullAdminPolicies.length) continue;
      if (effective.adminEquivalent && !opts.includeAdminEquivalent) continue;
      const caps = [
        effective.boundary === 'applied' && effective.boundaryCappedActionCount
          ? `its permission boundary (${effective.boundaryCappedActionCount} actions capped)`
          : '',
        effective.deniedActionCount ? `Deny statements (${effective.deniedActionCount} actions denied)` : '',
        effective.scpCappedActionCount ? `service control policies (${effective.scpCappedActionCount} actions removed)` : '',
      ].filter(Boolean);
      findings.push({
        resource: refOf(identity),
        key: 'full-admin-policy',
        message: `${kindLabel(identity)} "${identity.name}" has a policy granting "*" on "*" (${effective.fullAdminPolicies.join(', ')})${effective.adminEquivalent ? '' : `; ${caps.join(', ') || 'other policies'} keep it below administrator today (privilege level ${effective.privilegeLevel})`}.`,
        evidence: {
          fullAdminPolicies: effective.fullAdminPolicies,
          adminEquivalent: effective.adminEquivalent,
          boundary: effective.boundary,
          deniedActionCount: effective.deniedActionCount,
          boundaryCappedActionCount: effective.boundaryCappedActionCount,
          ...(effective.scpCappedActionCount ? { scpCappedActionCount: effective.scpCappedActionCount } : {}),
          privilegeLevel: effective.privilegeLevel,
        },
      });
    }
    return findings;
  },
});
