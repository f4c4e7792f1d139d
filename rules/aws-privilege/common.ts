import { SEVERITIES, type Identity, type Inventory, type Severity } from '../../src/model/index.js';
import { awsPrincipalAttributes, type AwsPrincipalAttributes } from '../../src/model/aws.js';
import type { EffectiveSummary, EscalationFinding, Reach } from '../../src/aws-iam/types.js';

export const PRINCIPAL_KINDS = ['iam-user', 'iam-role', 'iam-root'];

/** AWS principals that the effective-permissions enricher analysed. */
export function analysedPrincipals(inventory: Inventory): { identity: Identity; effective: EffectiveSummary }[] {
  const out: { identity: Identity; effective: EffectiveSummary }[] = [];
  for (const identity of inventory.identities) {
    if (identity.provider !== 'aws' || !PRINCIPAL_KINDS.includes(identity.kind)) continue;
    const effective = identity.attributes.effective as EffectiveSummary | undefined;
    if (effective && typeof effective === 'object') out.push({ identity, effective });
  }
  return out;
}

/** Roles AWS services create and own (service-linked): their policies cannot be changed by the account. */
export function isServiceLinked(identity: Identity): boolean {
  const a: Partial<AwsPrincipalAttributes> = awsPrincipalAttributes(identity) ?? {};
  return a.serviceLinked === true || (a.path ?? '').startsWith('/aws-service-role/') || /:role\/aws-service-role\//.test(a.arn ?? identity.nativeId);
}

/** One step up (positive) or down (negative) the severity scale, clamped. */
export function shiftSeverity(severity: Severity, steps: number): Severity {
  const index = SEVERITIES.indexOf(severity) - steps;
  return SEVERITIES[Math.max(0, Math.min(SEVERITIES.length - 1, index))]!;
}

export const REACH_SEVERITY: Record<Reach, Severity> = {
  admin: 'critical',
  escalation: 'high',
  unknown: 'medium',
  // A standing over-grant: nothing more privileged today, but tomorrow's admin role makes it live.
  latent: 'medium',
  self: 'info',
};

export function kindLabel(identity: Identity): string {
  return identity.kind === 'iam-user' ? 'IAM user' : identity.kind === 'iam-role' ? 'IAM role' : 'root user';
}

export function describePaths(paths: EscalationFinding[], max = 5): string {
  const shown = paths.slice(0, max).map((p) => `${p.id} (${p.reach}${p.conditional ? ', conditional' : ''})`);
  return shown.join(', ') + (paths.length > max ? ` and ${paths.length - max} more` : '');
}
