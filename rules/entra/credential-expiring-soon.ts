import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysUntil } from '../../src/time.js';
import { credentialLabel, credentialsByAppId, entraCredentials } from './common.js';

const options = z.object({ withinDays: z.number().int().positive().default(30) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'entra-credential-expiring-soon',
    title: 'Entra credential expires soon with no replacement',
    category: 'unrotated-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: options,
    providers: ['entra'],
    description:
      'A client secret or certificate that expires within the window (default 30 days) while its application has no other credential that outlives it: the workload stops signing in on that day unless someone rotates it first. Expiry outages are what push teams to "never expires".',
    remediation: 'Add the replacement credential now, roll it out to the workload, then remove the old one before it expires.',
  },
  check(inventory, { withinDays }, { now }) {
    const byApp = credentialsByAppId(inventory);
    return entraCredentials(inventory).flatMap((view): FindingDraft[] => {
      const { credential, attrs } = view;
      if (credential.status !== 'active' || !credential.expiresAt) return [];
      const remaining = daysUntil(credential.expiresAt, now);
      if (remaining > withinDays) return [];
      const successor = (byApp.get(attrs.appId.toLowerCase()) ?? []).some(
        (o) =>
          o.credential.id !== credential.id &&
          o.credential.kind === credential.kind &&
          o.credential.status === 'active' &&
          (!o.credential.expiresAt || o.credential.expiresAt > credential.expiresAt!),
      );
      if (successor) return [];
      return [
        {
          resource: refOf(credential),
          message: `${credentialLabel(view)} expires in ${remaining} days (${credential.expiresAt.slice(0, 10)}) and the application has no replacement.`,
          evidence: { expiresAt: credential.expiresAt, daysRemaining: remaining, withinDays },
        },
      ];
    });
  },
});
