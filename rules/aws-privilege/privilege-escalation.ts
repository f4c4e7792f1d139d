import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { REACHES, reachRank } from '../../src/aws-iam/types.js';
import { explainConditionKeys } from '../../src/aws-iam/conditions.js';
import { analysedPrincipals, isServiceLinked, kindLabel, REACH_SEVERITY, shiftSeverity } from './common.js';

const options = z
  .object({
    /** Weakest reach reported: `latent` paths stay visible (the estate changes); `self` is self-service. */
    minReach: z.enum(REACHES).default('latent'),
    /** Admin-equivalent principals have every path; aws-admin-equivalent already reports them. */
    includeAdminEquivalent: z.boolean().default(false),
    /** Report paths whose actions are allowed only under conditions (one severity step lower). */
    includeConditional: z.boolean().default(true),
    /** Path ids not to report (accepted designs, e.g. a deployment role that must pass roles). */
    ignorePaths: z.array(z.string()).default([]),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-privilege-escalation',
    title: 'AWS principal can escalate its privileges',
    category: 'excess-privilege',
    defaultSeverity: 'high',
    owasp: ['NHI5'],
    optionsSchema: options,
    providers: ['aws'],
    description:
      "The principal's effective permissions (all its policies together, so a path split over several policies counts) enable a known privilege-escalation path: rewriting or attaching policies, creating keys or passwords for other users, joining groups, rewriting trust policies, passing a role to a service that runs its code (EC2, Lambda, Glue, CloudFormation, Data Pipeline, SageMaker, CodeBuild, ECS), or running code in compute that already has a role (Lambda code updates, SSM commands and sessions). Each finding names the path, the actions and the policies that grant them, and what the path reaches: admin (critical), more than the principal has or data it lacks (lateral reach, high), a narrow scope not visible offline (medium), or nothing more privileged today (latent, medium: a standing over-grant that the next privileged role makes live). Chains of several role assumptions and code-running steps to an administrator are one finding with their hops. Paths allowed only under conditions are one step lower.",
    remediation:
      "Remove the action that completes the path, or scope it: iam:PassRole to the specific low-privilege roles the workload passes (with an iam:PassedToService condition), IAM write actions to resources under the workload's own path, CreateAccessKey to `user/${aws:username}`. Use a permission boundary to stop a principal granting itself more than the boundary allows.",
  },
  check(inventory, opts) {
    const findings: FindingDraft[] = [];
    const min = reachRank(opts.minReach);
    for (const { identity, effective } of analysedPrincipals(inventory)) {
      if (identity.kind === 'iam-root' || isServiceLinked(identity)) continue;
      if (effective.adminEquivalent && !opts.includeAdminEquivalent) continue;
      for (const path of effective.escalationPaths) {
        if (reachRank(path.reach) < min || opts.ignorePaths.includes(path.id)) continue;
        if (path.conditional && !opts.includeConditional) continue;
        const severity = shiftSeverity(REACH_SEVERITY[path.reach], path.conditional ? -1 : 0);
        const actions = path.actions.length
          ? path.actions.map((a) => `${a.action} on ${a.resources.join(', ')} (${a.sources.join(', ')})`).join('; ')
          : path.hops
            ? 'the trust policies and code-running permissions along the chain'
            : "the target role's trust policy alone";
        const limits = explainConditionKeys(path.conditionKeys ?? []);
        const conditional = path.conditional
          ? ` Conditional: allowed only when ${path.conditionKeys?.join(', ') ?? 'conditions'} permit, which cannot be judged offline${limits.length ? ` (${limits.join('; ')})` : ''}.`
          : '';
        findings.push({
          resource: refOf(identity),
          key: path.id,
          severity,
          title: `Privilege escalation: ${path.title}`,
          message: `${kindLabel(identity)} "${identity.name}" can escalate through ${path.id} (reach: ${path.reach}): ${path.reason}. Enabled by ${actions}.${conditional}`,
          evidence: {
            path: path.id,
            reach: path.reach,
            conditional: path.conditional,
            ...(path.conditionKeys ? { conditionKeys: path.conditionKeys } : {}),
            actions: path.actions,
            ...(path.targets ? { targets: path.targets } : {}),
            ...(path.lateral ? { lateral: true } : {}),
            ...(path.hops ? { hops: path.hops } : {}),
            ...(limits.length ? { limitingConditions: limits } : {}),
            principalLevel: effective.baseLevel,
          },
        });
      }
    }
    return findings;
  },
});
