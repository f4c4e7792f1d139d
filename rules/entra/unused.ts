import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysSince } from '../../src/time.js';
import { credentialLabel, ENTRA_CREDENTIAL_KINDS, entraCredentials, servicePrincipals } from './common.js';

const options = z.object({ maxIdleDays: z.number().int().positive().default(90) }).strict();

function idle(lastUsed: string | undefined, created: string | undefined, now: Date, max: number): { days: number; never: boolean } | undefined {
  const reference = lastUsed ?? created;
  if (!reference) return undefined;
  const days = daysSince(reference, now);
  return days > max ? { days, never: !lastUsed } : undefined;
}

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'entra-unused',
    title: 'Service principal or credential unused',
    category: 'unused-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: options,
    providers: ['entra'],
    specialises: { rule: 'credential-unused', kinds: ENTRA_CREDENTIAL_KINDS },
    description:
      "A service principal that has not signed in for 90 days, or a client secret or certificate with no sign-in in that time, serves no workload but still opens the door. Judged only where the sign-in activity reports were read: without them (no AuditLog.Read.All or Entra ID P1/P2) the source's notCovered says so and nothing is reported as unused.",
    remediation: 'Confirm with the owner, disable the service principal (accountEnabled false) or remove the credential, and delete it after a grace period.',
  },
  check(inventory, { maxIdleDays }, { now }) {
    const drafts: FindingDraft[] = [];
    for (const { identity, attrs } of servicePrincipals(inventory)) {
      if (!attrs.signInActivityCollected || !attrs.accountEnabled || attrs.microsoftFirstParty) continue;
      const gap = idle(attrs.lastSignInAt, identity.createdAt, now, maxIdleDays);
      if (!gap) continue;
      drafts.push({
        resource: refOf(identity),
        message: gap.never
          ? `Service principal "${identity.name}" has no sign-in on record since it was created ${gap.days} days ago.`
          : `Service principal "${identity.name}" last signed in ${gap.days} days ago (${attrs.lastSignInAt!.slice(0, 10)}), over the ${maxIdleDays}-day limit.`,
        evidence: { lastSignInAt: attrs.lastSignInAt ?? null, idleDays: gap.days, maxIdleDays },
      });
    }
    for (const view of entraCredentials(inventory)) {
      const { credential, attrs } = view;
      if (!attrs.usageTracked || credential.status !== 'active') continue;
      const gap = idle(credential.lastUsedAt, attrs.startAt, now, maxIdleDays);
      if (!gap) continue;
      drafts.push({
        resource: refOf(credential),
        message: gap.never
          ? `${credentialLabel(view)} has never been used since it was added ${gap.days} days ago.`
          : `${credentialLabel(view)} was last used ${gap.days} days ago (${credential.lastUsedAt!.slice(0, 10)}), over the ${maxIdleDays}-day limit.`,
        evidence: { lastUsedAt: credential.lastUsedAt ?? null, idleDays: gap.days, maxIdleDays },
      });
    }
    return drafts;
  },
});
