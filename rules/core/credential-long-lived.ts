import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { daysUntil } from '../../src/time.js';
import { isLiveManagedCredential } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  maxLifetimeDays: 365,
};
const options = lazySchema((z) => z.object({ maxLifetimeDays: z.number().int().positive().default(defaults.maxLifetimeDays) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'credential-long-lived',
    title: 'Credential never expires',
    category: 'long-lived-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: options,
    defaultOptions: defaults,
    description:
      'A credential with no expiry, or one set more than a year away (default 365 days), stays valid long after the workload or person that needed it is gone. Expiry is the safety net when rotation and offboarding fail.',
    remediation:
      'Set an expiry date within your policy on the credential, or replace it with a short-lived, federated credential (OIDC, workload identity, assumed roles).',
  },
  check(inventory, { maxLifetimeDays }, { now }) {
    return inventory.credentials.flatMap((credential): FindingDraft[] => {
      if (!isLiveManagedCredential(credential)) return [];
      // Only judge kinds whose provider can express an expiry; `supportsExpiry: false` (e.g. AWS keys) is left to rotation rules.
      if (credential.attributes.supportsExpiry === false) return [];
      if (!credential.expiresAt) {
        return [{ resource: refOf(credential), message: `${credential.kind} "${credential.name}" has no expiry date.`, evidence: { expiresAt: null } }];
      }
      const remaining = daysUntil(credential.expiresAt, now);
      if (remaining <= maxLifetimeDays) return [];
      return [
        {
          resource: refOf(credential),
          message: `${credential.kind} "${credential.name}" expires in ${remaining} days (${credential.expiresAt.slice(0, 10)}), beyond the ${maxLifetimeDays}-day limit.`,
          key: 'far-expiry',
          evidence: { expiresAt: credential.expiresAt, daysRemaining: remaining, maxLifetimeDays },
        },
      ];
    });
  },
});
