import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { KIND_GCP_KEY, KIND_GCP_POLICY_HOLDER, KIND_GCP_SERVICE_ACCOUNT, KIND_GCP_WIF_PROVIDER } from '../../src/model/gcp.js';
import { customerAccounts } from './common.js';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-service-account-missing-owner',
    title: 'Service account without an owner',
    category: 'missing-owner',
    defaultSeverity: 'low',
    owasp: ['NHI1'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    // Keys inherit their account's owner; providers and projects are resources, not NHIs to own.
    specialises: { rule: 'missing-owner', kinds: [KIND_GCP_SERVICE_ACCOUNT, KIND_GCP_KEY, KIND_GCP_WIF_PROVIDER, KIND_GCP_POLICY_HOLDER] },
    description:
      'Service accounts carry no labels, so an owner has to be written where people see it: an `owner=` (or any configured owner tag key) pair in the account\'s description, e.g. "Deploys payments. owner=payments-team@acme.example". Without one, nobody is asked when its key must be rotated or whether it can go.',
    remediation: 'Record the owner in the description: `gcloud iam service-accounts update EMAIL --description="… owner=team@example.com"`.',
  },
  check(inventory) {
    return customerAccounts(inventory)
      .filter((a) => !a.owner && a.status === 'active')
      .map((a) => ({ resource: refOf(a), message: `${a.name} has no owner (no owner tag key in its description).` }));
  },
});
