/** Google Cloud and Google APIs: service-account keys, API keys, OAuth client secrets and tokens. */
import type { DetectorEntry } from '../detector.js';
import { entries, entry, ref } from './patterns.js';

export const gcpDetectors: DetectorEntry[] = [
  entry({
    id: 'gcp-service-account-key',
    title: 'Google Cloud service account key (JSON)',
    provider: 'gcp',
    family: 'cloud-key',
    keywords: ['"private_key"'],
    pattern:
      /"private_key"\s{0,3}:\s{0,3}"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{64,16384}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"/,
    validators: ['gcp-service-account'],
    confidence: 'validated',
    severity: 'critical',
    identityKind: 'gcp-service-account',
    window: { charsAfter: 20000 },
    priority: 70,
    minEntropy: 0,
    references: ['https://cloud.google.com/iam/docs/keys-create-delete', ref.noseyparker('gcp')],
    examples: {
      positive: [{ template: '{gen:fakeGcpServiceAccountJson.json}', path: 'secrets/sa.json' }],
      negative: ['{ "type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n{b64:40}\\n-----END PRIVATE KEY-----\\n" }\n'],
    },
  }),
  ...entries({ provider: 'gcp' }, [
    {
      id: 'google-api-key',
      title: 'Google API key',
      keywords: ['aiza'],
      pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/,
      severity: 'medium',
      identityKind: 'gcp-api-key',
      references: ['https://cloud.google.com/docs/authentication/api-keys', ref.gitleaks('gcp')],
      examples: { positive: ['maps_key: AIzaSy{b64url:33}\n'], negative: ['maps_key: AIzaSy{b64url:30}\n', 'maps_key: AIza{rep:a:35}\n'] },
    },
    {
      id: 'google-oauth-client-secret',
      title: 'Google OAuth client secret',
      keywords: ['gocspx-'],
      pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/,
      identityKind: 'gcp-oauth-client',
      references: ['https://developers.google.com/identity/protocols/oauth2', ref.noseyparker('google')],
      examples: { positive: ['client_secret: GOCSPX-{b64url:28}\n'], negative: ['client_secret: GOCSPX-{b64url:20}\n'] },
    },
    {
      id: 'google-oauth-refresh-token',
      title: 'Google OAuth refresh token',
      keywords: ['1//0'],
      pattern: /(?<![A-Za-z0-9_/-])1\/\/0[A-Za-z0-9_-]{40,512}(?![A-Za-z0-9_-])/,
      identityKind: 'google-user',
      references: ['https://developers.google.com/identity/protocols/oauth2', ref.noseyparker('google')],
      examples: { positive: ['refresh_token: 1//0{b64url:100}\n'], negative: ['see https://host/1//0{b64url:20}\n'] },
    },
    {
      id: 'google-oauth-access-token',
      title: 'Google OAuth access token',
      keywords: ['ya29.'],
      pattern: /(?<![A-Za-z0-9_.-])ya29\.[A-Za-z0-9_-]{30,2048}(?![A-Za-z0-9_-])/,
      severity: 'low',
      identityKind: 'google-user',
      references: ['https://developers.google.com/identity/protocols/oauth2', ref.noseyparker('google')],
      examples: { positive: ['Authorization: Bearer ya29.{b64url:150}\n'], negative: ['token: ya29.{b64url:10}\n'] },
    },
  ]),
];
