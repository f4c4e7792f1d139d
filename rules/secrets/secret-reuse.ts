import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf, SEVERITY_RANK } from '../../src/model/index.js';
import { detectorSeverity, hashPrefix, isLeakedSecret, repositoryOf } from './common.js';

const options = z
  .object({
    /** Distinct repositories or sources a secret must appear in to count as reused. */
    minRepositories: z.number().int().min(2).default(2),
  })
  .strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'secret-reuse',
    title: 'Same secret used in several repositories',
    category: 'reuse',
    defaultSeverity: 'medium',
    owasp: ['NHI9', 'NHI8'],
    optionsSchema: options,
    providers: ['git', 'dir'],
    description:
      'The same secret value appears in several repositories or sources. One identity shared by several workloads or environments cannot be rotated without coordinating all of them, its activity cannot be attributed, and a leak in any one of them compromises all (OWASP NHI9 NHI reuse, NHI8 environment isolation).',
    remediation:
      'Issue a separate credential per workload and environment, each with only the permissions it needs, then revoke the shared one. Load credentials from a secret manager rather than copying them between repositories.',
  },
  check(inventory, { minRepositories }) {
    const findings: FindingDraft[] = [];
    for (const credential of inventory.credentials) {
      if (!isLeakedSecret(credential)) continue;
      const repositories = [...new Set((credential.locations ?? []).map(repositoryOf))].sort();
      if (repositories.length < minRepositories) continue;
      const sources = [...new Set((credential.locations ?? []).map((l) => l.source))].sort();
      // A reused cloud key or private key is worse than a reused test token.
      const severity = SEVERITY_RANK[detectorSeverity(credential)] >= SEVERITY_RANK.high ? 'high' : 'medium';
      const title = String(credential.attributes.detectorTitle ?? credential.secret.detector);
      findings.push({
        resource: refOf(credential),
        severity,
        message: `${title} ${credential.secret.preview} [${hashPrefix(credential.secret.hash)}] appears in ${repositories.length} repositories: ${repositories.slice(0, 5).join(', ')}${repositories.length > 5 ? ', …' : ''}.`,
        evidence: { repositories, sources, hash: credential.secret.hash, detector: credential.secret.detector },
      });
    }
    return findings;
  },
});
