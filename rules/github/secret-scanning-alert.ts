import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { findingLocation, refOf } from '../../src/model/index.js';
import { githubCredentials, KINDS } from './common.js';

/** No options (also `meta.defaultOptions`). */
const defaults = {};
const options = lazySchema((z) => z.object({}).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-secret-scanning-alert',
    title: 'Open secret-scanning alert',
    category: 'leaked-secret',
    defaultSeverity: 'high',
    owasp: ['NHI2'],
    cis: ['CIS GitHub 1.5.1'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    description:
      "GitHub secret scanning found a credential committed to a repository and the alert is still open. Critical when GitHub's validity check says the secret still works or the secret was also found in public. A secret pushed through a push-protection bypass was knowingly committed.",
    remediation:
      'Revoke or rotate the credential at its issuer first (removing it from the code does not remove it from history), then close the alert as revoked. Review who bypassed push protection and why.',
  },
  check(inventory) {
    return githubCredentials(inventory, [KINDS.secretScanningAlert]).map((c): FindingDraft => {
      const a = c.attributes;
      const critical = a.validity === 'active' || a.publiclyLeaked;
      const facts = [
        a.validity === 'active' ? 'still valid' : a.validity === 'inactive' ? 'reported inactive' : 'validity unknown',
        a.publiclyLeaked ? 'also leaked publicly' : '',
        a.pushProtectionBypassed ? `pushed through a push-protection bypass${a.pushProtectionBypassedBy ? ` by ${a.pushProtectionBypassedBy}` : ''}` : '',
      ].filter(Boolean);
      const first = c.locations?.[0];
      return {
        resource: refOf(c),
        severity: critical ? 'critical' : undefined,
        message: `Open secret-scanning alert #${a.number} in ${a.repository}: ${a.secretTypeDisplayName ?? a.secretType} (${facts.join(', ')}).`,
        // The alert's own repository, which may not be the one being scanned: SARIF gives it a logical location.
        location: first ? { ...findingLocation(first), repository: a.repository } : undefined,
        evidence: {
          secretType: a.secretType,
          validity: a.validity ?? null,
          publiclyLeaked: a.publiclyLeaked,
          pushProtectionBypassed: a.pushProtectionBypassed,
          htmlUrl: a.htmlUrl ?? null,
        },
      };
    });
  },
});
