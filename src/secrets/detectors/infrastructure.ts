/** Infrastructure platforms: DigitalOcean, Heroku, Alibaba Cloud, Cloudflare, Databricks, Supabase, PlanetScale. */
import type { DetectorEntry } from '../detector.js';
import { HEX, UUID, entries, named, ref } from './patterns.js';

export const infrastructureDetectors: DetectorEntry[] = [
  ...entries(
    {
      provider: 'digitalocean',
      identityKind: 'digitalocean-user',
      references: ['https://docs.digitalocean.com/reference/api/create-personal-access-token/', ref.gitleaks('digitalocean'), ref.kingfisher('digitalocean')],
    },
    [
      { id: 'digitalocean-pat', title: 'DigitalOcean personal access token', prefix: 'dop_v1_', body: HEX, min: 64 },
      { id: 'digitalocean-oauth-token', title: 'DigitalOcean OAuth access token', prefix: 'doo_v1_', body: HEX, min: 64 },
      { id: 'digitalocean-refresh-token', title: 'DigitalOcean OAuth refresh token', prefix: 'dor_v1_', body: HEX, min: 64 },
    ],
  ),
  ...entries(
    {
      provider: 'heroku',
      identityKind: 'heroku-user',
      references: ['https://devcenter.heroku.com/articles/authentication', ref.gitleaks('heroku'), ref.kingfisher('heroku')],
    },
    [
      { id: 'heroku-api-key-v2', title: 'Heroku API key', prefix: 'HRKU-AA', body: 'A-Za-z0-9_\\-', min: 58 },
      {
        id: 'heroku-api-key',
        title: 'Heroku API key (UUID)',
        family: 'contextual',
        keywords: ['heroku'],
        pattern: named('heroku[\\w.\\-]{0,20}?(?:api[_.\\-]?key|token|key)', UUID),
        examples: { positive: ['HEROKU_API_KEY={uuid}\n'], negative: ['HEROKU_APP_ID={uuid}\n', 'HEROKU_API_KEY=<your-key>\n'] },
      },
    ],
  ),
  ...entries({}, [
    {
      id: 'alibaba-access-key-id',
      title: 'Alibaba Cloud AccessKey id',
      provider: 'alibaba',
      prefix: 'LTAI',
      body: 'A-Za-z0-9',
      min: 20,
      severity: 'medium',
      identityKind: 'ram-user',
      minEntropy: 3.5,
      references: [ref.gitleaks('alibaba'), ref.kingfisher('alibaba')],
    },
    {
      id: 'cloudflare-origin-ca-key',
      title: 'Cloudflare Origin CA key',
      provider: 'cloudflare',
      keywords: ['v1.0-'],
      pattern: /(?<![A-Za-z0-9_.-])v1\.0-[0-9a-f]{24}-[0-9a-f]{146}(?![A-Za-z0-9_-])/,
      references: [ref.gitleaks('cloudflare'), ref.kingfisher('cloudflare')],
      examples: { positive: ['CF_ORIGIN_CA_KEY=v1.0-{hex:24}-{hex:146}\n'], negative: ['version v1.0-{hex:24}-{hex:40}\n'] },
    },
    {
      id: 'cloudflare-api-token',
      title: 'Cloudflare API token',
      provider: 'cloudflare',
      family: 'contextual',
      keywords: ['cloudflare', 'cf_api'],
      pattern: named('(?:cloudflare|cf)[\\w.\\-]{0,20}?(?:api[_.\\-]?)?(?:token|key)', '[A-Za-z0-9_-]{40}'),
      minEntropy: 3.5,
      references: [ref.gitleaks('cloudflare'), ref.kingfisher('cloudflare')],
      examples: { positive: ['CLOUDFLARE_API_TOKEN={b64url:40}\n'], negative: ['CLOUDFLARE_ZONE={b64url:40}\n', 'CLOUDFLARE_API_TOKEN={b64url:20}\n'] },
    },
    {
      id: 'databricks-token',
      title: 'Databricks personal access token',
      provider: 'databricks',
      keywords: ['dapi'],
      pattern: /(?<![A-Za-z0-9_-])dapi[0-9a-f]{32}(?:-\d)?(?![A-Za-z0-9_])/,
      keywordContext: { after: { min: 32, chars: '0-9a-f' } },
      references: [ref.gitleaks('databricks'), ref.kingfisher('databricks')],
      examples: { positive: ['DATABRICKS_TOKEN=dapi{hex:32}\n', 'token: dapi{hex:32}-2\n'], negative: ['DATABRICKS_TOKEN=dapi{hex:20}\n'] },
    },
    {
      id: 'supabase-access-token',
      title: 'Supabase management access token',
      provider: 'supabase',
      prefix: 'sbp_',
      body: HEX,
      min: 40,
      references: [ref.kingfisher('supabase')],
    },
    {
      id: 'planetscale-token',
      title: 'PlanetScale service token',
      provider: 'planetscale',
      prefix: 'pscale_tkn_',
      body: 'A-Za-z0-9_.\\-',
      min: 32,
      max: 64,
      references: [ref.gitleaks('planetscale'), ref.kingfisher('planetscale')],
    },
    {
      id: 'planetscale-password',
      title: 'PlanetScale database password',
      provider: 'planetscale',
      prefix: 'pscale_pw_',
      body: 'A-Za-z0-9_.\\-',
      min: 32,
      max: 64,
      references: [ref.gitleaks('planetscale'), ref.kingfisher('planetscale')],
    },
  ]),
];
