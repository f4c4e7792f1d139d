/**
 * Prefixed tokens of further platforms (password managers, hosting, CI, observability, commerce).
 * Formats as documented by the providers and collected by gitleaks and Kingfisher (references per entry).
 */
import type { DetectorEntry } from '../detector.js';
import { ALNUM, B64URL, HEX, entries, ref } from './patterns.js';

const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';

export const platformTokenDetectors: DetectorEntry[] = entries({}, [
  { id: 'onepassword-service-account-token', title: '1Password service account token', provider: '1password', prefix: 'ops_eyJ', body: 'A-Za-z0-9+/', min: 250, max: 2000, references: [ref.gitleaks('1password')] },
  {
    id: 'onepassword-secret-key', title: '1Password account secret key', provider: '1password', keywords: ['a3-'],
    pattern: new RegExp(`${B}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${E}`), keywordContext: { after: { min: 6, chars: 'A-Z0-9' } },
    references: [ref.gitleaks('1password')], examples: { positive: ['secret key: A3-{ualnum:6}-{ualnum:11}-{ualnum:5}-{ualnum:5}-{ualnum:5}\n'], negative: ['A3-{ualnum:6}-{ualnum:5}\n'] },
  },
  { id: 'adobe-client-secret', title: 'Adobe OAuth client secret', provider: 'adobe', prefix: 'p8e-', body: 'A-Za-z0-9', min: 32, references: [ref.gitleaks('adobe'), ref.kingfisher('adobe')] },
  { id: 'aws-bedrock-api-key', title: 'Amazon Bedrock API key (long-lived)', provider: 'aws', prefix: 'ABSK', body: 'A-Za-z0-9+/', min: 109, max: 269, identityKind: 'iam-user', references: [ref.gitleaks('aws')] },
  { id: 'easypost-test-api-key', title: 'EasyPost test API key', provider: 'easypost', prefix: 'EZTK', body: 'a-zA-Z0-9', min: 54, severity: 'low', references: [ref.gitleaks('easypost')] },
  {
    id: 'flyio-access-token', title: 'Fly.io access token', provider: 'flyio', keywords: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    pattern: new RegExp(`${B}(?:fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,2000}={0,3}|fm2_[A-Za-z0-9+/]{100,2000}={0,3})(?![A-Za-z0-9_+/=-])`),
    references: [ref.gitleaks('flyio')], examples: { positive: ['FLY_API_TOKEN=fo1_{b64url:43}\n', 'FLY_API_TOKEN=fm2_{b64:200}\n'], negative: ['FLY_API_TOKEN=fo1_{b64url:20}\n'] },
  },
  { id: 'frameio-api-token', title: 'Frame.io API token', provider: 'frameio', prefix: 'fio-u-', body: 'A-Za-z0-9_=\\-', min: 64, references: [ref.gitleaks('frameio'), ref.kingfisher('frame.io')] },
  { id: 'gitlab-feature-flag-client-token', title: 'GitLab feature flags client token', provider: 'gitlab', prefix: 'glffct-', body: B64URL, min: 20, severity: 'low', references: [ref.gitleaks('gitlab')] },
  { id: 'gitlab-incoming-mail-token', title: 'GitLab incoming mail token', provider: 'gitlab', prefix: 'glimt-', body: B64URL, min: 25, severity: 'medium', references: [ref.gitleaks('gitlab')] },
  {
    id: 'gitlab-session-cookie', title: 'GitLab session cookie', provider: 'gitlab', keywords: ['_gitlab_session='], pattern: /_gitlab_session=(?<secret>[0-9a-z]{32})(?![0-9a-z])/, severity: 'medium',
    references: [ref.gitleaks('gitlab')], examples: { positive: ['Cookie: _gitlab_session={lalnum:32}\n'], negative: ['Cookie: _gitlab_session={lalnum:20}\n'] },
  },
  {
    id: 'harness-api-key', title: 'Harness API key / service account token', provider: 'harness', keywords: ['pat.', 'sat.'],
    pattern: new RegExp(`${B}(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}${E}`), keywordContext: { after: { min: 22, chars: 'A-Za-z0-9_-' } },
    references: [ref.gitleaks('harness')], examples: { positive: ['HARNESS_API_KEY=pat.{b64url:22}.{alnum:24}.{alnum:20}\n'], negative: ['HARNESS_API_KEY=pat.{b64url:22}.{alnum:24}\n'] },
  },
  { id: 'huggingface-org-token', title: 'Hugging Face organization API token', provider: 'huggingface', prefix: 'api_org_', body: 'A-Za-z', min: 34, minEntropy: 3.5, references: [ref.gitleaks('huggingface')] },
  { id: 'infracost-api-token', title: 'Infracost API token', provider: 'infracost', prefix: 'ico-', body: ALNUM, min: 32, references: [ref.gitleaks('infracost')] },
  {
    id: 'intra42-client-secret', title: '42 Intra OAuth client secret', provider: 'intra42', keywords: ['s-s4t2ud-', 's-s4t2af-'], pattern: new RegExp(`${B}s-s4t2(?:ud|af)-[0-9a-f]{64}${E}`),
    references: [ref.gitleaks('intra42')], examples: { positive: ['INTRA_SECRET=s-s4t2ud-{hex:64}\n'], negative: ['INTRA_SECRET=s-s4t2ud-{hex:30}\n'] },
  },
  {
    id: 'maxmind-license-key', title: 'MaxMind license key', provider: 'maxmind', keywords: ['_mmk'], pattern: new RegExp(`${B}[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk${E}`), keywordContext: { before: { min: 29, chars: 'A-Za-z0-9' } },
    references: [ref.gitleaks('maxmind')], examples: { positive: ['MAXMIND_LICENSE_KEY={alnum:6}_{alnum:29}_mmk\n'], negative: ['MAXMIND_LICENSE_KEY={alnum:6}_{alnum:10}_mmk\n'] },
  },
  { id: 'openshift-user-token', title: 'OpenShift user token', provider: 'openshift', prefix: 'sha256~', body: B64URL, min: 43, references: [ref.gitleaks('openshift')] },
  { id: 'planetscale-oauth-token', title: 'PlanetScale OAuth token', provider: 'planetscale', prefix: 'pscale_oauth_', body: 'A-Za-z0-9_.=\\-', min: 32, max: 64, references: [ref.gitleaks('planetscale')] },
  { id: 'scalingo-api-token', title: 'Scalingo API token', provider: 'scalingo', prefix: 'tk-us-', body: B64URL, min: 48, references: [ref.gitleaks('scalingo')] },
  {
    id: 'sendinblue-api-key', title: 'Brevo (Sendinblue) API key', provider: 'brevo', keywords: ['xkeysib-'], pattern: new RegExp(`${B}xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}${E}`),
    references: [ref.gitleaks('sendinblue'), ref.kingfisher('sendinblue')], examples: { positive: ['BREVO_API_KEY=xkeysib-{hex:64}-{alnum:16}\n'], negative: ['BREVO_API_KEY=xkeysib-{hex:64}\n'] },
  },
  { id: 'settlemint-personal-access-token', title: 'SettleMint personal access token', provider: 'settlemint', prefix: 'sm_pat_', body: ALNUM, min: 16, references: [ref.gitleaks('settlemint')] },
  { id: 'settlemint-application-access-token', title: 'SettleMint application access token', provider: 'settlemint', prefix: 'sm_aat_', body: ALNUM, min: 16, references: [ref.gitleaks('settlemint')] },
  { id: 'settlemint-service-access-token', title: 'SettleMint service access token', provider: 'settlemint', prefix: 'sm_sat_', body: ALNUM, min: 16, references: [ref.gitleaks('settlemint')] },
  { id: 'shippo-test-api-token', title: 'Shippo test API token', provider: 'shippo', prefix: 'shippo_test_', body: HEX, min: 40, severity: 'low', references: [ref.gitleaks('shippo')] },
  { id: 'yandex-api-key', title: 'Yandex Cloud API key', provider: 'yandex', prefix: 'AQVN', body: B64URL, min: 35, max: 38, references: [ref.gitleaks('yandex')] },
  {
    id: 'defined-networking-api-token', title: 'Defined Networking API token', provider: 'definednetworking', keywords: ['dnkey-'], pattern: new RegExp(`${B}dnkey-[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52}${E}`),
    references: [ref.gitleaks('definednetworking')], examples: { positive: ['DN_API_KEY=dnkey-{alnum:26}-{alnum:52}\n'], negative: ['DN_API_KEY=dnkey-{alnum:26}\n'] },
  },
  { id: 'adafruit-io-key', title: 'Adafruit IO key', provider: 'adafruit', prefix: 'aio_', body: ALNUM, min: 28, references: [ref.kingfisher('adafruitio')] },
  { id: 'contentful-pat', title: 'Contentful personal access token', provider: 'contentful', prefix: 'CFPAT-', body: B64URL, min: 43, references: [ref.kingfisher('contentful')] },
  { id: 'dependency-track-api-key', title: 'Dependency-Track API key', provider: 'dependency-track', prefix: 'odt_', body: ALNUM, min: 32, max: 64, references: [ref.kingfisher('dependency_track')] },
  { id: 'flexport-api-key', title: 'Flexport API key', provider: 'flexport', prefix: 'shltm_', body: B64URL, min: 40, references: [ref.kingfisher('flexport')] },
  { id: 'ionic-api-token', title: 'Ionic API token', provider: 'ionic', prefix: 'ion_', body: 'a-z0-9', min: 42, references: [ref.kingfisher('ionic')] },
  { id: 'mongodb-atlas-service-account-secret', title: 'MongoDB Atlas service account secret', provider: 'mongodb', prefix: 'mdb_sa_sk_', body: B64URL, min: 40, references: [ref.kingfisher('mongodb')] },
  { id: 'pagarme-api-key', title: 'Pagar.me live API key', provider: 'pagarme', prefix: 'ak_live_', body: ALNUM, min: 30, references: [ref.kingfisher('pagarme')] },
  { id: 'posthog-personal-api-key', title: 'PostHog personal API key', provider: 'posthog', prefix: 'phx_', body: 'A-Za-z0-9_', min: 43, references: [ref.kingfisher('posthog')] },
  { id: 'sourcegraph-cody-key', title: 'Sourcegraph Cody gateway key', provider: 'sourcegraph', prefix: 'slk_', body: HEX, min: 64, references: [ref.kingfisher('sourcegraph')] },
  { id: 'stackhawk-api-key', title: 'StackHawk API key', provider: 'stackhawk', keywords: ['hawk.'], pattern: new RegExp(`${B}hawk\\.[A-Za-z0-9_-]{20}\\.[A-Za-z0-9_-]{20}${E}`), references: [ref.kingfisher('stackhawk')],
    examples: { positive: ['HAWK_API_KEY=hawk.{b64url:20}.{b64url:20}\n'], negative: ['HAWK_API_KEY=hawk.{b64url:20}\n'] } },
  { id: 'teamwork-api-token', title: 'Teamwork API token', provider: 'teamwork', prefix: 'tkn.v1_', body: ALNUM, min: 71, references: [ref.kingfisher('teamworkcrm')] },
  { id: 'ubidots-token', title: 'Ubidots token', provider: 'ubidots', prefix: 'BBFF-', body: ALNUM, min: 30, references: [ref.kingfisher('ubidots')] },
  {
    id: 'doppler-scim-audit-token', title: 'Doppler SCIM / audit token', provider: 'doppler', keywords: ['dp.scim.', 'dp.audit.'], pattern: /(?<![A-Za-z0-9_.-])dp\.(?:scim|audit)\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9_-])/,
    references: [ref.kingfisher('doppler')], examples: { positive: ['DOPPLER_SCIM=dp.scim.{alnum:43}\n'], negative: ['DOPPLER_SCIM=dp.scim.{alnum:20}\n'] },
  },
  {
    id: 'tailscale-api-key', title: 'Tailscale API / auth key', provider: 'tailscale', keywords: ['tskey-'], pattern: new RegExp(`${B}tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{8,20}-[A-Za-z0-9]{20,64}${E}`),
    references: ['https://tailscale.com/kb/1085/auth-keys', ref.kingfisher('tailscale')], examples: { positive: ['TS_AUTHKEY=tskey-auth-{alnum:12}CNTRL-{alnum:33}\n'], negative: ['TS_AUTHKEY=tskey-auth-{alnum:12}\n'] },
  },
  {
    id: 'grafana-api-key-legacy', title: 'Grafana API key (legacy)', provider: 'grafana', keywords: ['eyjrijoi'], pattern: /(?<![A-Za-z0-9_-])eyJrIjoi[A-Za-z0-9]{70,400}={0,3}(?![A-Za-z0-9_=-])/,
    references: [ref.gitleaks('grafana'), ref.kingfisher('grafana')], examples: { positive: ['GRAFANA_API_KEY=eyJrIjoi{alnum:90}\n'], negative: ['GRAFANA_API_KEY=eyJrIjoi{alnum:20}\n'] },
  },
  { id: 'newrelic-browser-key', title: 'New Relic browser API key', provider: 'newrelic', prefix: 'NRJS-', body: HEX, min: 19, severity: 'low', references: [ref.gitleaks('newrelic')] },
  {
    id: 'newrelic-license-key', title: 'New Relic ingest license key', provider: 'newrelic', keywords: ['nral'], pattern: new RegExp(`${B}[a-f0-9]{36}NRAL${E}`), keywordContext: { before: { min: 36, chars: '0-9a-f' } },
    references: ['https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#license-key', ref.kingfisher('newrelic')], examples: { positive: ['NEW_RELIC_LICENSE_KEY={hex:36}NRAL\n'], negative: ['NEW_RELIC_LICENSE_KEY={hex:20}NRAL\n'] },
  },
  {
    id: 'firebase-cloud-messaging-server-key', title: 'Firebase Cloud Messaging legacy server key', provider: 'gcp', keywords: [':apa91b'],
    pattern: new RegExp(`${B}AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}${E}`), references: ['https://firebase.google.com/docs/cloud-messaging/auth-server'],
    examples: { positive: ['FCM_SERVER_KEY=AAAA{b64url:7}:APA91b{b64url:134}\n'], negative: ['FCM_SERVER_KEY=AAAA{b64url:7}:APA91b{b64url:40}\n'] },
  },
  {
    id: 'teams-workflow-webhook-url', title: 'Microsoft Teams / Power Automate workflow webhook URL', provider: 'microsoft', family: 'url-credential', keywords: ['logic.azure.com'], severity: 'medium',
    pattern: /https:\/\/[a-z0-9.-]{1,80}\.logic\.azure\.com(?::443)?\/workflows\/[0-9a-f]{32}\/triggers\/[A-Za-z0-9_-]{1,64}\/paths\/invoke\?[^\s"'<>]{0,300}?sig=(?<secret>[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    references: ['https://learn.microsoft.com/power-automate/teams/teams-app-create-workflow-webhook', ref.kingfisher('microsoft_teams')],
    examples: { positive: ['TEAMS_WEBHOOK=https://prod-12.westeurope.logic.azure.com:443/workflows/{hex:32}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={b64url:43}\n'], negative: ['https://prod-12.westeurope.logic.azure.com/workflows/{hex:32}/triggers/manual/paths/invoke\n'] },
  },
  {
    id: 'azure-cosmosdb-connection-string', title: 'Azure Cosmos DB connection string', provider: 'azure', family: 'cloud-key', keywords: ['accountendpoint='],
    pattern: /AccountEndpoint=https:\/\/(?<account>[a-z0-9-]{3,44})\.documents\.azure\.com(?::443)?\/?;\s{0,2}AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/i, validators: ['base64-64-bytes'], confidence: 'validated',
    severity: 'critical', identityKind: 'azure-cosmosdb-account', priority: 67, minEntropy: 0, references: ['https://learn.microsoft.com/azure/cosmos-db/nosql/how-to-dotnet-get-started'],
    examples: { positive: ['"Cosmos": "AccountEndpoint=https://acme-prod.documents.azure.com:443/;AccountKey={b64bytes:64};"\n'], negative: ['AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey={rep:x:86}==;\n'] },
  },
]);
