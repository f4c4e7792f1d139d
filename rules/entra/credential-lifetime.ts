import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { credentialLabel, ENTRA_CREDENTIAL_KINDS, entraCredentials, KIND_CERTIFICATE } from './common.js';

const options = z
  .object({
    /** Longest allowed lifetime (start to end) of a client secret. */
    maxSecretDays: z.number().int().positive().default(365),
    /** Longest allowed lifetime of a certificate credential. */
    maxCertificateDays: z.number().int().positive().default(730),
  })
  .strict();

const DAY = 86_400_000;

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'entra-credential-lifetime',
    title: 'Entra application credential never expires or lives too long',
    category: 'long-lived-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI7'],
    optionsSchema: options,
    providers: ['entra'],
    specialises: { rule: 'credential-long-lived', kinds: ENTRA_CREDENTIAL_KINDS },
    description:
      'Entra lets a client secret or certificate live for decades (the "never" of older portals and `az ad app credential reset --years 99`). Microsoft recommends secrets of at most a year (the portal offers 24 months at most); certificates are judged against 2 years. A credential without an end is judged as never expiring.',
    remediation:
      'Add a replacement credential with a lifetime within policy, move the workload to it, then remove the long-lived one. Better: replace secrets with certificates or a federated credential, and set an app management policy (`passwordCredentials maxLifetime`) so the tenant refuses long lifetimes.',
  },
  check(inventory, { maxSecretDays, maxCertificateDays }) {
    return entraCredentials(inventory).flatMap((view): FindingDraft[] => {
      const { credential, attrs } = view;
      if (credential.status !== 'active') return [];
      const limit = credential.kind === KIND_CERTIFICATE ? maxCertificateDays : maxSecretDays;
      if (!credential.expiresAt)
        return [{ resource: refOf(credential), message: `${credentialLabel(view)} never expires.`, evidence: { expiresAt: null, maxDays: limit } }];
      const start = attrs.startAt ?? credential.createdAt;
      const lifetime = start ? Math.floor((Date.parse(credential.expiresAt) - Date.parse(start)) / DAY) : undefined;
      if (lifetime === undefined || lifetime <= limit) return [];
      const years = lifetime >= 3650 ? ` (${Math.round(lifetime / 365)} years: effectively never)` : '';
      return [
        {
          resource: refOf(credential),
          message: `${credentialLabel(view)} is valid for ${lifetime} days${years}, from ${start!.slice(0, 10)} to ${credential.expiresAt.slice(0, 10)}, beyond the ${limit}-day limit.`,
          evidence: { startAt: start, expiresAt: credential.expiresAt, lifetimeDays: lifetime, maxDays: limit },
        },
      ];
    });
  },
});
