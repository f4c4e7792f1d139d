import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { findingLocation, refOf, type Location, type Severity } from '../../src/model/index.js';
import { leakedKeyIdOf } from '../../src/aws-iam/leaks.js';
import type { LeakMatchAttributes } from '../../src/aws-iam/types.js';
import { shiftSeverity } from './common.js';

const options = z
  .object({
    /** Report leaked keys that are deactivated but not deleted (anyone with iam:UpdateAccessKey can re-enable them). */
    includeInactive: z.boolean().default(true),
  })
  .strict();

function firstLocation(locations: Location[] | undefined): Location | undefined {
  return [...(locations ?? [])].sort((a, b) => (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff'))[0];
}

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-leaked-key-active',
    title: 'Leaked AWS access key belongs to a live IAM user',
    category: 'leaked-secret',
    defaultSeverity: 'critical',
    owasp: ['NHI2'],
    optionsSchema: options,
    providers: ['aws', 'git', 'dir'],
    description:
      'An AWS access key found in code was matched, by its key id, to an access key of a scanned IAM user, and the key is still active. Whoever can read the code can act as that user; the finding names the user and its blast radius (privilege level, administrator equivalence, escalation paths). A leaked key that is deactivated but not deleted is reported at medium: anyone with iam:UpdateAccessKey can switch it back on. A key id found without its secret is one step lower: it identifies the user but does not authenticate.',
    remediation:
      'Deactivate the key now (aws iam update-access-key --status Inactive), review CloudTrail for its use since the leak, create a replacement for the workload, then delete the leaked key. Move the workload to a role (instance profile, OIDC federation) so it has no long-lived key to leak.',
  },
  check(inventory, opts) {
    const findings: FindingDraft[] = [];
    for (const credential of inventory.credentials) {
      const keyId = leakedKeyIdOf(credential);
      if (!keyId) continue;
      const match = credential.attributes as Partial<LeakMatchAttributes>;
      if (!match.matchedCredentialId) continue;
      const active = match.matchedKeyStatus === 'active';
      if (!active && !opts.includeInactive) continue;
      let severity: Severity = active ? 'critical' : 'medium';
      if (credential.secret?.detector === 'aws-access-key-id') severity = shiftSeverity(severity, -1);
      const who = match.matchedIdentityName ? `IAM user "${match.matchedIdentityName}"` : 'an IAM user';
      const radius = match.adminEquivalent
        ? 'is administrator-equivalent'
        : match.privilegeLevel
          ? `has ${match.privilegeLevel} privileges${match.escalationPathIds?.length ? ` and can escalate through ${match.escalationPathIds.slice(0, 5).join(', ')}` : ''}`
          : 'has unknown privileges (its policies were not analysed)';
      const where = firstLocation(credential.locations);
      const at = where
        ? ` found at ${where.repository ? `${where.repository}:` : ''}${where.path}${where.commit ? ` (commit ${where.commit.slice(0, 12)})` : ''}`
        : '';
      findings.push({
        resource: refOf(credential),
        key: keyId,
        severity,
        message: `Leaked AWS access key ${keyId}${at} is ${active ? 'ACTIVE' : 'inactive but not deleted'} and belongs to ${who}, which ${radius}.`,
        ...(where
          ? {
              location: findingLocation(where),
            }
          : {}),
        evidence: {
          accessKeyId: keyId,
          matchedCredentialId: match.matchedCredentialId,
          keyStatus: match.matchedKeyStatus,
          ...(match.matchedIdentityName ? { user: match.matchedIdentityName } : {}),
          ...(match.privilegeLevel ? { privilegeLevel: match.privilegeLevel } : {}),
          ...(match.adminEquivalent !== undefined ? { adminEquivalent: match.adminEquivalent } : {}),
          ...(match.escalationPathIds ? { escalationPaths: match.escalationPathIds } : {}),
          locations: credential.locations?.length ?? 0,
        },
      });
    }
    return findings;
  },
});
