import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf, type Credential } from '../../src/model/index.js';
import { isAwsKmsKey, isAwsSecret } from '../../src/model/aws.js';
import { daysSince } from '../../src/time.js';

const options = z
  .object({
    /** Days a secret's value may stay unchanged. */
    maxAgeDays: z.number().int().positive().default(90),
    /** Days past its own rotation period before an enabled rotation counts as failing. */
    graceDays: z.number().int().min(0).default(7),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'aws-secret-not-rotated',
    title: 'AWS Secrets Manager secret or KMS key not rotated',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    cis: ['CIS AWS 3.6'],
    optionsSchema: options,
    providers: ['aws'],
    specialises: { rule: 'credential-not-rotated', kinds: ['aws-secret', 'aws-kms-key'] },
    description:
      'A Secrets Manager secret whose value has not changed for longer than the allowed age (default 90 days) because rotation is off, or because its rotation keeps failing (last rotated well past its own schedule). A customer-managed symmetric KMS key without automatic rotation (CIS AWS 3.6). Secrets rotated by the service that owns them (RDS, Redshift...) are left to that service; asymmetric and imported keys cannot rotate automatically and are not flagged.',
    remediation:
      "Secrets: turn on rotation with a rotation function (`aws secretsmanager rotate-secret --secret-id ID --rotation-lambda-arn ARN --rotation-rules AutomaticallyAfterDays=30`), or find out why the last rotations failed (the rotation function's logs). KMS keys: `aws kms enable-key-rotation --key-id ID`.",
  },
  check(inventory, { maxAgeDays, graceDays }, { now }) {
    return inventory.credentials.flatMap((c): FindingDraft[] => {
      if (c.status !== 'active' || c.secret) return [];
      if (isAwsSecret(c)) return secretFinding(c, maxAgeDays, graceDays, now);
      if (isAwsKmsKey(c) && c.attributes.rotationSupported && !c.attributes.rotationEnabled) {
        return [
          {
            resource: refOf(c),
            message: `KMS key "${c.name}"${c.scope ? ` (account ${c.scope})` : ''} does not rotate its key material automatically.`,
            evidence: { rotationEnabled: false, keyId: c.attributes.keyId },
          },
        ];
      }
      return [];
    });
  },
});

function secretFinding(
  c: Credential & { attributes: { rotationEnabled: boolean; rotationDays?: number; owningService?: string } },
  maxAgeDays: number,
  graceDays: number,
  now: Date,
): FindingDraft[] {
  const a = c.attributes;
  if (a.owningService) return [];
  const rotatedAt = c.lastRotatedAt ?? c.createdAt;
  if (!rotatedAt) return [];
  const age = daysSince(rotatedAt, now);
  const limit = a.rotationEnabled ? (a.rotationDays ?? maxAgeDays) + graceDays : maxAgeDays;
  if (age <= limit) return [];
  const why = a.rotationEnabled
    ? `rotation is on (every ${a.rotationDays ?? '?'} days) but the last one succeeded ${age} days ago (${rotatedAt.slice(0, 10)}): it keeps failing`
    : `rotation is off and its value is ${age} days old (${rotatedAt.slice(0, 10)}), over the ${maxAgeDays}-day limit`;
  return [
    {
      resource: refOf(c),
      message: `Secrets Manager secret "${c.name}"${c.scope ? ` (account ${c.scope})` : ''}: ${why}.`,
      evidence: { rotationEnabled: a.rotationEnabled, lastRotatedAt: rotatedAt, ageDays: age, limitDays: limit },
    },
  ];
}
