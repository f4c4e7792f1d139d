/** Productivity, commerce and developer SaaS: Shopify, Okta, Linear, Notion, Figma, Airtable, Typeform, Postman, Mapbox, X, age, ReadMe, Algolia, Snyk. */
import type { DetectorEntry } from '../detector.js';
import { ALNUM, B64URL, HEX, entries, named, ref } from './patterns.js';

const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';
const SHOPIFY = ['https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens', ref.gitleaks('shopify'), ref.kingfisher('shopify')];

export const productivityDetectors: DetectorEntry[] = entries({}, [
  { id: 'shopify-access-token', title: 'Shopify Admin API access token', provider: 'shopify', prefix: 'shpat_', body: 'a-fA-F0-9', min: 32, identityKind: 'shopify-app', references: SHOPIFY },
  { id: 'shopify-custom-app-token', title: 'Shopify custom app access token', provider: 'shopify', prefix: 'shpca_', body: 'a-fA-F0-9', min: 32, identityKind: 'shopify-app', references: SHOPIFY },
  { id: 'shopify-private-app-token', title: 'Shopify private app access token', provider: 'shopify', prefix: 'shppa_', body: 'a-fA-F0-9', min: 32, identityKind: 'shopify-app', references: SHOPIFY },
  { id: 'shopify-shared-secret', title: 'Shopify app shared secret', provider: 'shopify', prefix: 'shpss_', body: 'a-fA-F0-9', min: 32, identityKind: 'shopify-app', references: SHOPIFY },
  {
    id: 'okta-api-token', title: 'Okta API token', provider: 'okta', family: 'contextual', keywords: ['okta'], identityKind: 'okta-api-token',
    pattern: named('okta[\\w.\\-]{0,20}?(?:api[_.\\-]?)?(?:token|key|secret)', '00[A-Za-z0-9_-]{40}'),
    references: ['https://developer.okta.com/docs/guides/create-an-api-token/main/', ref.gitleaks('okta'), ref.kingfisher('okta')],
    examples: { positive: ['OKTA_API_TOKEN={gen:fakeOktaToken}\n', 'okta_client_token: "00{b64url:40}"\n'], negative: ['OKTA_ORG_ID=00{b64url:40}\n', 'OKTA_API_TOKEN=00{b64url:20}\n'] },
  },
  { id: 'linear-api-key', title: 'Linear API key', provider: 'linear', prefix: 'lin_api_', body: ALNUM, min: 40, references: [ref.gitleaks('linear'), ref.kingfisher('linear')] },
  { id: 'notion-integration-token', title: 'Notion integration token', provider: 'notion', prefix: 'ntn_', body: ALNUM, min: 46, minEntropy: 3.5, references: [ref.gitleaks('notion'), ref.kingfisher('notion')] },
  { id: 'figma-pat', title: 'Figma personal access token', provider: 'figma', prefix: 'figd_', body: B64URL, min: 40, references: [ref.kingfisher('figma')] },
  {
    id: 'airtable-pat', title: 'Airtable personal access token', provider: 'airtable', keywords: ['pat'], pattern: new RegExp(`${B}pat[A-Za-z0-9]{14}\\.[0-9a-f]{64}${E}`),
    keywordContext: { after: { min: 14, chars: 'A-Za-z0-9' } }, references: [ref.gitleaks('airtable'), ref.kingfisher('airtable')],
    examples: { positive: ['AIRTABLE_TOKEN=pat{alnum:14}.{hex:64}\n'], negative: ['AIRTABLE_TOKEN=pat{alnum:14}.{hex:30}\n'] },
  },
  { id: 'typeform-token', title: 'Typeform personal access token', provider: 'typeform', prefix: 'tfp_', body: 'A-Za-z0-9_.\\-', min: 59, references: [ref.gitleaks('typeform'), ref.kingfisher('typeform')] },
  {
    id: 'postman-api-key', title: 'Postman API key', provider: 'postman', keywords: ['pmak-'], pattern: new RegExp(`${B}PMAK-[0-9a-f]{24}-[0-9a-f]{34}${E}`),
    references: [ref.gitleaks('postman'), ref.kingfisher('postman')], examples: { positive: ['POSTMAN_API_KEY=PMAK-{hex:24}-{hex:34}\n'], negative: ['POSTMAN_API_KEY=PMAK-{hex:24}\n'] },
  },
  {
    id: 'mapbox-secret-token', title: 'Mapbox secret access token', provider: 'mapbox', keywords: ['sk.eyj'], pattern: new RegExp(`${B}sk\\.eyJ[A-Za-z0-9_-]{20,400}\\.[A-Za-z0-9_-]{20,100}${E}`),
    references: [ref.gitleaks('mapbox'), ref.kingfisher('mapbox')], examples: { positive: ['MAPBOX_TOKEN=sk.eyJ{b64url:60}.{b64url:22}\n'], negative: ['MAPBOX_TOKEN=sk.eyJ{b64url:10}.{b64url:22}\n'] },
  },
  {
    id: 'twitter-bearer-token', title: 'X (Twitter) API bearer token', provider: 'twitter', family: 'contextual', keywords: ['twitter', 'bearer', 'tweet', 'x_api'], window: { linesBefore: 3, linesAfter: 3 },
    pattern: /(?<![A-Za-z0-9%])A{21,22}[A-Za-z0-9%]{50,200}(?![A-Za-z0-9%])/, references: [ref.gitleaks('twitter'), ref.kingfisher('twitter')],
    examples: { positive: ['TWITTER_BEARER_TOKEN={rep:A:22}{alnum:80}\n'], negative: ['padding = {rep:A:22}{alnum:80}\n'] },
  },
  {
    id: 'age-secret-key', title: 'age encryption secret key', provider: 'age', keywords: ['age-secret-key-1'], pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/,
    references: ['https://github.com/C2SP/C2SP/blob/main/age.md', ref.gitleaks('age'), ref.kingfisher('age')],
    examples: { positive: ['AGE-SECRET-KEY-1{[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]:58}\n'], negative: ['AGE-SECRET-KEY-1{[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]:20}\n'] },
  },
  { id: 'readme-api-key', title: 'ReadMe API key', provider: 'readme', prefix: 'rdme_', body: 'a-z0-9', min: 70, references: [ref.gitleaks('readme'), ref.kingfisher('readme')] },
  {
    id: 'algolia-admin-key', title: 'Algolia admin API key', provider: 'algolia', family: 'contextual', keywords: ['algolia'],
    pattern: named('algolia[\\w.\\-]{0,20}?(?:admin|write|api)[_.\\-]?key', `[${HEX}]{32}`), minEntropy: 3.2, references: [ref.gitleaks('algolia'), ref.kingfisher('algolia')],
    examples: { positive: ['ALGOLIA_ADMIN_KEY={hex:32}\n'], negative: ['ALGOLIA_APP_ID={hex:32}\n'] },
  },
  {
    id: 'snyk-api-token', title: 'Snyk API token', provider: 'snyk', family: 'contextual', keywords: ['snyk'],
    pattern: named('snyk[\\w.\\-]{0,20}?(?:api[_.\\-]?)?(?:token|key)', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'), references: [ref.gitleaks('snyk'), ref.kingfisher('snyk')],
    examples: { positive: ['SNYK_TOKEN={uuid}\n'], negative: ['SNYK_ORG={uuid}\n'] },
  },
]);
