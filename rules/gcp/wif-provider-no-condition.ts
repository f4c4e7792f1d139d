import { z } from 'zod';
import { defineRule } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { gcpWifProviderAttributes, gcpWifProviders } from '../../src/model/gcp.js';

/** Issuers shared by every customer of a CI service: without a condition, any of their repositories gets in. */
const SHARED_ISSUERS = /token\.actions\.githubusercontent\.com|gitlab\.com|app\.terraform\.io|circleci\.com|bitbucket\.org|oidc\.buildkite\.com/;

export default defineRule<Record<string, never>>({
  meta: {
    id: 'gcp-wif-provider-no-condition',
    title: 'Workload identity provider accepts any token from its issuer',
    category: 'insecure-configuration',
    defaultSeverity: 'high',
    owasp: ['NHI5', 'NHI10'],
    optionsSchema: z.object({}).strict(),
    providers: ['gcp'],
    description:
      'A workload identity provider without an attribute condition trusts every token its issuer signs. For a shared issuer (GitHub Actions, GitLab, Terraform Cloud, CircleCI) that is every repository or workspace of every customer, and any of them can impersonate the service accounts the pool is bound to. Critical for a shared issuer with accounts bound to the pool.',
    remediation:
      'Add an attribute condition that pins your organization and repository, e.g. `assertion.repository_owner == "acme"` (`gcloud iam workload-identity-pools providers update-oidc PROVIDER --attribute-condition=…`), and bind accounts to `principalSet://…/attribute.repository/acme/app` rather than the whole pool.',
  },
  check(inventory) {
    return gcpWifProviders(inventory).flatMap((provider) => {
      const attrs = gcpWifProviderAttributes(provider);
      if (attrs.disabled || attrs.attributeCondition?.trim()) return [];
      const shared = SHARED_ISSUERS.test(attrs.issuerUri ?? '');
      const bound = attrs.canImpersonate ?? [];
      return [
        {
          resource: refOf(provider),
          severity: shared && bound.length ? ('critical' as const) : undefined,
          message: `Provider ${provider.name} (${attrs.issuerUri ?? attrs.protocol}) has no attribute condition${bound.length ? `; its principals can impersonate ${bound.join(', ')}` : ''}.`,
          evidence: { issuerUri: attrs.issuerUri ?? null, sharedIssuer: shared, canImpersonate: bound },
        },
      ];
    });
  },
});
