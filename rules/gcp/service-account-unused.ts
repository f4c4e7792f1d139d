import { z } from 'zod';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpServiceAccountAttributes } from '../../src/model/gcp.js';
import { daysSince } from '../../src/time.js';
import { customerAccounts } from './common.js';

const options = z.object({ maxIdleDays: z.number().int().positive().default(90) }).strict();

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'gcp-service-account-unused',
    title: 'Service account unused',
    category: 'unused-credential',
    defaultSeverity: 'medium',
    owasp: ['NHI1'],
    optionsSchema: options,
    providers: ['gcp'],
    description:
      "An enabled service account that has not authenticated for the limit (default 90 days), or never in Policy Analyzer's observation period, keeps its roles and its act-as bindings for nothing. Only judged where Policy Analyzer activity could be read.",
    remediation: 'Disable the account (`gcloud iam service-accounts disable EMAIL`), wait for complaints, then delete it and its bindings.',
  },
  check(inventory, { maxIdleDays }, { now }) {
    return customerAccounts(inventory).flatMap((account): FindingDraft[] => {
      const attrs = gcpServiceAccountAttributes(account);
      if (account.status !== 'active' || !attrs.usageTracked || attrs.defaultAccount) return [];
      if (!account.lastUsedAt) {
        return [
          {
            resource: refOf(account),
            message: `${account.name} has no authentication recorded by Policy Analyzer.`,
            evidence: { lastUsedAt: null, maxIdleDays },
          },
        ];
      }
      const idle = daysSince(account.lastUsedAt, now);
      if (idle <= maxIdleDays) return [];
      return [
        {
          resource: refOf(account),
          message: `${account.name} last authenticated ${idle} days ago (${account.lastUsedAt.slice(0, 10)}).`,
          evidence: { lastUsedAt: account.lastUsedAt, idleDays: idle, maxIdleDays },
        },
      ];
    });
  },
});
