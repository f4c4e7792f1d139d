/** HashiCorp: Vault tokens, Terraform Cloud / Enterprise tokens, HCP client secrets. */
import type { DetectorEntry } from '../detector.js';
import { entries, ref } from './patterns.js';

export const hashicorpDetectors: DetectorEntry[] = entries({ provider: 'hashicorp' }, [
  {
    id: 'vault-service-token',
    title: 'HashiCorp Vault service token',
    keywords: ['hvs.'],
    pattern: /(?<![A-Za-z0-9_.-])hvs\.[A-Za-z0-9_-]{90,120}(?![A-Za-z0-9_-])/,
    identityKind: 'vault-token',
    references: ['https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes', ref.gitleaks('hashicorp_vault')],
    examples: { positive: ['VAULT_TOKEN={gen:fakeVaultToken}\n'], negative: ['VAULT_TOKEN=hvs.{b64url:40}\n'] },
  },
  {
    id: 'vault-batch-token',
    title: 'HashiCorp Vault batch token',
    keywords: ['hvb.'],
    pattern: /(?<![A-Za-z0-9_.-])hvb\.[A-Za-z0-9_-]{138,300}(?![A-Za-z0-9_-])/,
    identityKind: 'vault-token',
    severity: 'medium',
    references: ['https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes', ref.gitleaks('hashicorp_vault')],
    examples: { positive: ['token: hvb.AAAAAQ{b64url:150}\n'], negative: ['token: hvb.{b64url:60}\n'] },
  },
  {
    id: 'vault-token-legacy',
    title: 'HashiCorp Vault token (legacy s. format)',
    family: 'contextual',
    keywords: ['vault'],
    pattern: /(?:vault[\w.-]{0,20}?token)[\w.-]{0,30}["'\]]{0,2}\s{0,4}(?:=>|:=|=|:|,)\s{0,4}["'`]?(?<secret>s\.[A-Za-z0-9]{24})(?![A-Za-z0-9_\-+/=])/i,
    identityKind: 'vault-token',
    references: ['https://developer.hashicorp.com/vault/docs/concepts/tokens', ref.gitleaks('hashicorp_vault')],
    examples: { positive: ['VAULT_TOKEN="s.{alnum:24}"\n'], negative: ['VAULT_TOKEN="s.{alnum:12}"\n', 'session="s.{alnum:24}"\n'] },
  },
  {
    id: 'terraform-cloud-token',
    title: 'Terraform Cloud / Enterprise API token',
    keywords: ['atlasv1'],
    pattern: /(?<![A-Za-z0-9_-])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/,
    identityKind: 'terraform-user',
    references: ['https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens', ref.gitleaks('hashicorp')],
    examples: {
      positive: ['credentials "app.terraform.io" { token = "{gen:fakeTerraformToken}" }\n'],
      negative: ['token = "{alnum:14}.atlasv1.{alnum:20}"\n'],
    },
  },
  {
    id: 'hcp-client-secret',
    title: 'HashiCorp Cloud Platform client secret',
    family: 'contextual',
    keywords: ['hcp_client_secret'],
    pattern: /hcp_client_secret[\w.-]{0,30}["'\]]{0,2}\s{0,4}(?:=>|:=|=|:|,)\s{0,4}["'`]?(?<secret>[A-Za-z0-9_-]{64})(?![A-Za-z0-9_\-+/=])/i,
    identityKind: 'hcp-service-principal',
    references: ['https://developer.hashicorp.com/hcp/docs/hcp/iam/service-principal', ref.kingfisher('terraformcloud')],
    examples: { positive: ['HCP_CLIENT_SECRET={b64url:64}\n'], negative: ['HCP_CLIENT_SECRET={b64url:30}\n'] },
  },
]);
