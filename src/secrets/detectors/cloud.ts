/** Cloud providers and infrastructure: AWS, GCP, Azure, DigitalOcean, HashiCorp, and other platforms. */
import type { DetectorDef, Validator } from '../detector.js';
import { AWS_DOC_EXAMPLE_KEYS, decodeAwsKeyId } from '../structure.js';
import { charClassCount, decodeBase64, shannonEntropy } from '../value-checks.js';
import { base64Length, defs, lineOffsetAfter, lineOffsetBefore, named, pemValidator, prefixed } from './helpers.js';

// ------------------------------------------------------------------ AWS

const KEY_ID_SOURCE = '(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])';
const KEY_ID_GLOBAL = new RegExp(KEY_ID_SOURCE, 'g');
const SECRET_KEY_SOURCE = '(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])';
const SECRET_KEY_GLOBAL = new RegExp(SECRET_KEY_SOURCE, 'g');
/** Names people give the secret half: aws_secret_access_key, AWS_SECRET_KEY, secretAccessKey, SecretAccessKey... */
const SECRET_KEY_NAME = /(?:aws)?[_.-]?secret[_.-]?(?:access)?[_.-]?key|secret[_.-]?access[_.-]?key|aws[_.-]?(?:secret|sk)\b/i;
/** How far (in lines) a key id and its secret may be apart to be called a pair. */
const PAIR_LINES = 5;

/** Random-looking 40-char base64: not hex, several character classes, high entropy, not the doc example. */
function plausibleAwsSecret(value: string): boolean {
  if (AWS_DOC_EXAMPLE_KEYS.has(value)) return false;
  if (/^[0-9a-f]+$/i.test(value) || /^[A-Za-z]+$/.test(value)) return false; // sha1 hex, words
  return charClassCount(value) >= 3 && shannonEntropy(value) >= 4.0;
}

/** The key id nearest (by line, preceding on ties) to `pos` within PAIR_LINES lines. */
function nearestKeyId(text: string, pos: number): { id: string; distance: number } | undefined {
  const from = lineOffsetBefore(text, pos, PAIR_LINES);
  const to = lineOffsetAfter(text, pos, PAIR_LINES);
  const region = text.slice(from, to);
  const posLine = countLines(region, pos - from);
  let best: { id: string; distance: number } | undefined;
  for (const m of region.matchAll(KEY_ID_GLOBAL)) {
    if (AWS_DOC_EXAMPLE_KEYS.has(m[0])) continue;
    const distance = Math.abs(countLines(region, m.index) - posLine) + (m.index > pos - from ? 0.5 : 0);
    if (!best || distance < best.distance) best = { id: m[0], distance };
  }
  return best;
}

function countLines(text: string, upTo: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < upTo; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function keyIdFacts(id: string): Record<string, string> {
  const facts = decodeAwsKeyId(id);
  const decoded: Record<string, string> = { accessKeyId: id };
  if (facts?.accountId) decoded.awsAccountId = facts.accountId;
  return decoded;
}

const awsPairValidator: Validator = (value, ctx) => {
  if (!plausibleAwsSecret(value)) return null;
  const near = nearestKeyId(ctx.text, ctx.matchStart);
  if (!near) return null;
  const temporary = near.id.startsWith('ASIA');
  return { decoded: keyIdFacts(near.id), confidence: 'high', ...(temporary ? { severity: 'medium' as const } : {}) };
};

const awsLoneSecretValidator: Validator = (value, ctx) => {
  if (!plausibleAwsSecret(value)) return null;
  if (nearestKeyId(ctx.text, ctx.matchStart)) return null; // reported as a pair instead
  const before = ctx.text.slice(lineOffsetBefore(ctx.text, ctx.matchStart, 1), ctx.matchStart);
  return SECRET_KEY_NAME.test(before) ? { confidence: 'medium' } : null;
};

/** A key id alone is an identifier, not a secret: reported (medium) only when no secret pairs with it. */
const awsKeyIdValidator: Validator = (value, ctx) => {
  if (AWS_DOC_EXAMPLE_KEYS.has(value) || value.includes('EXAMPLE')) return null;
  const facts = decodeAwsKeyId(value);
  if (!facts) return null;
  const from = lineOffsetBefore(ctx.text, ctx.matchStart, PAIR_LINES);
  const to = lineOffsetAfter(ctx.text, ctx.matchEnd, PAIR_LINES);
  for (const m of ctx.text.slice(from, to).matchAll(SECRET_KEY_GLOBAL)) {
    if (plausibleAwsSecret(m[0]) && nearestKeyId(ctx.text, from + m.index)?.id === value) return null;
  }
  return { decoded: keyIdFacts(value), confidence: facts.accountId ? 'high' : 'medium', ...(facts.prefix === 'ASIA' ? { severity: 'low' as const } : {}) };
};

const AWS_PAIR_KEYWORDS = ['akia', 'asia', 'abia', 'acca'];
const AWS_SECRET_NAME_KEYWORDS = ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret', 'aws-secret', 'awssecret', 'secret_key', 'secretkey'];

const aws: DetectorDef[] = [
  {
    id: 'aws-access-key-pair', title: 'AWS access key (key id + secret access key)', provider: 'aws', family: 'cloud-key',
    keywords: AWS_PAIR_KEYWORDS, pattern: new RegExp(SECRET_KEY_SOURCE), validate: awsPairValidator,
    severity: 'critical', identityKind: 'iam-user', window: { linesBefore: PAIR_LINES, linesAfter: PAIR_LINES }, priority: 70, minEntropy: 0,
  },
  {
    id: 'aws-secret-access-key', title: 'AWS secret access key (no key id nearby)', provider: 'aws', family: 'cloud-key',
    keywords: AWS_SECRET_NAME_KEYWORDS, pattern: new RegExp(SECRET_KEY_SOURCE), validate: awsLoneSecretValidator,
    severity: 'high', identityKind: 'iam-user', window: { linesAfter: 1 }, priority: 65, minEntropy: 0,
  },
  {
    id: 'aws-access-key-id', title: 'AWS access key id (without its secret)', provider: 'aws', family: 'cloud-key',
    keywords: AWS_PAIR_KEYWORDS, pattern: new RegExp(KEY_ID_SOURCE), validate: awsKeyIdValidator,
    severity: 'medium', identityKind: 'iam-user', priority: 60, minEntropy: 0,
  },
  {
    id: 'aws-session-token', title: 'AWS STS session token', provider: 'aws', family: 'cloud-key',
    keywords: ['fwogzxivyxdz', 'iqojb3jpz2lu'], pattern: /(?<![A-Za-z0-9/+])(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=]{100,4000}(?![A-Za-z0-9/+=])/,
    severity: 'medium', identityKind: 'iam-role-session', confidence: 'high',
  },
  {
    id: 'aws-mws-auth-token', title: 'Amazon MWS auth token', provider: 'aws', family: 'structured-token', keywords: ['amzn.mws.'],
    pattern: /amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])/, severity: 'high',
  },
];

// ------------------------------------------------------------------ Google Cloud

const gcpServiceAccountValidator: Validator = (value, ctx) => {
  const pem = pemValidator(value, ctx);
  if (!pem) return null;
  const around = ctx.text.slice(lineOffsetBefore(ctx.text, ctx.matchStart, 20), lineOffsetAfter(ctx.text, ctx.matchEnd, 20));
  if (!/"type"\s{0,3}:\s{0,3}"service_account"|gserviceaccount\.com/.test(around)) return null;
  const decoded: Record<string, string | number | boolean> = { ...pem.decoded };
  const email = /"client_email"\s{0,3}:\s{0,3}"([^"\s]{1,200})"/.exec(around);
  const project = /"project_id"\s{0,3}:\s{0,3}"([^"\s]{1,100})"/.exec(around);
  const keyId = /"private_key_id"\s{0,3}:\s{0,3}"([0-9a-f]{40})"/.exec(around);
  if (email) decoded.clientEmail = email[1]!;
  if (project) decoded.projectId = project[1]!;
  if (keyId) decoded.privateKeyId = keyId[1]!;
  return { confidence: 'high', decoded };
};

const gcp: DetectorDef[] = [
  {
    id: 'gcp-service-account-key', title: 'Google Cloud service account key (JSON)', provider: 'gcp', family: 'cloud-key',
    keywords: ['"private_key"'],
    pattern: /"private_key"\s{0,3}:\s{0,3}"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{64,16384}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"/,
    validate: gcpServiceAccountValidator, severity: 'critical', identityKind: 'gcp-service-account',
    window: { charsAfter: 20000 }, priority: 70, minEntropy: 0,
  },
  ...defs({ provider: 'gcp' }, [
    { id: 'google-api-key', title: 'Google API key', keywords: ['aiza'], pattern: prefixed('AIza', 'A-Za-z0-9_\\-', 35), severity: 'medium', identityKind: 'gcp-api-key' },
    { id: 'google-oauth-client-secret', title: 'Google OAuth client secret', keywords: ['gocspx-'], pattern: prefixed('GOCSPX-', 'A-Za-z0-9_\\-', 28), identityKind: 'gcp-oauth-client' },
    { id: 'google-oauth-refresh-token', title: 'Google OAuth refresh token', keywords: ['1//0'], pattern: /(?<![A-Za-z0-9_\/-])1\/\/0[A-Za-z0-9_-]{40,512}(?![A-Za-z0-9_-])/, identityKind: 'google-user' },
    { id: 'google-oauth-access-token', title: 'Google OAuth access token', keywords: ['ya29.'], pattern: /(?<![A-Za-z0-9_.-])ya29\.[A-Za-z0-9_-]{30,2048}(?![A-Za-z0-9_-])/, severity: 'low', identityKind: 'google-user' },
  ]),
];

// ------------------------------------------------------------------ Azure

const AZURE_KEY_88 = '[A-Za-z0-9+/]{86}==';

const sasSignatureValidator: Validator = (value, ctx) => {
  if (!/[?&;]sv=\d{4}-\d{2}-\d{2}/.test(ctx.line) && !/\bsv=\d{4}-\d{2}-\d{2}/.test(ctx.line)) return null;
  const sig = decodeBase64(decodeURIComponent(value.replace(/%(?![0-9A-Fa-f]{2})/g, '%25')));
  if (!sig || sig.length !== 32) return null;
  const expiry = /[?&]se=([0-9TZ:%.-]{10,40})/.exec(ctx.line);
  return { confidence: 'high', ...(expiry ? { decoded: { expiresAt: decodeURIComponent(expiry[1]!) } } : {}) };
};

const GUID_AFTER = (names: string) => new RegExp(`(?:${names})["']?\\s{0,3}[:=]\\s{0,3}["']?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`, 'i');
const CLIENT_ID_NEAR = GUID_AFTER('client[_-]?id|app[_-]?id|application[_-]?id|clientid|appid');
const TENANT_ID_NEAR = GUID_AFTER('tenant[_-]?id|tenantid|directory[_-]?id');

/**
 * Entra client secrets: Graph shows each secret's first three characters as its `hint`, and the client
 * (app) and tenant ids usually sit beside the secret (env files, appsettings, GitHub Actions
 * AZURE_CREDENTIALS). Decoded here, bounded to a few lines around the match, so the leak can be matched
 * to its application (src/entra/leaks.ts). None of these is secret.
 */
const entraClientSecretContext: Validator = (value, ctx) => {
  const around = ctx.text.slice(Math.max(0, ctx.matchStart - 600), Math.min(ctx.text.length, ctx.matchEnd + 600));
  const clientId = CLIENT_ID_NEAR.exec(around)?.[1];
  const tenantId = TENANT_ID_NEAR.exec(around)?.[1];
  return { decoded: { hint: value.slice(0, 3), ...(clientId ? { clientId: clientId.toLowerCase() } : {}), ...(tenantId ? { tenantId: tenantId.toLowerCase() } : {}) } };
};

const azure: DetectorDef[] = [
  {
    id: 'azure-storage-connection-string', title: 'Azure storage account connection string', provider: 'azure', family: 'cloud-key',
    keywords: ['accountkey='], pattern: new RegExp(`AccountName=(?<account>[A-Za-z0-9]{3,24});\\s{0,2}AccountKey=(?<secret>${AZURE_KEY_88})`, 'i'),
    validate: (v, ctx) => (base64Length(64)(v, ctx) ? { confidence: 'high', decoded: { accountName: ctx.match.groups!.account! } } : null),
    severity: 'critical', identityKind: 'azure-storage-account', priority: 68, minEntropy: 0,
  },
  {
    id: 'azure-storage-account-key', title: 'Azure storage account / Cosmos DB key', provider: 'azure', family: 'cloud-key',
    keywords: ['accountkey', 'account_key', 'storage_key', 'storagekey', 'storage-key', 'azure_storage', 'storage_account', 'primary_key', 'primarykey', 'masterkey', 'master_key', 'cosmos'],
    pattern: new RegExp(`(?<![A-Za-z0-9+/])(?<secret>${AZURE_KEY_88})(?![A-Za-z0-9+/=])`), validate: base64Length(64),
    severity: 'critical', identityKind: 'azure-storage-account', window: { linesAfter: 1 }, priority: 62,
  },
  {
    id: 'azure-sas-connection-string', title: 'Azure Service Bus / Event Hubs / IoT Hub shared access key', provider: 'azure', family: 'cloud-key',
    keywords: ['sharedaccesskey='], pattern: /SharedAccessKeyName=(?<keyName>[^;"'\s]{1,256});\s{0,2}SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)/i,
    validate: (v, ctx) => (base64Length(32)(v, ctx) ? { confidence: 'high', decoded: { keyName: ctx.match.groups!.keyName! } } : null),
    severity: 'high', identityKind: 'azure-shared-access-policy', priority: 66,
  },
  {
    id: 'azure-sas-token', title: 'Azure shared access signature (SAS) token', provider: 'azure', family: 'cloud-key',
    keywords: ['sig='], pattern: /[?&;]sig=(?<secret>[A-Za-z0-9%+/]{40,120}(?:%3D|=){0,2})(?![A-Za-z0-9%+/=])/i,
    validate: sasSignatureValidator, severity: 'high', identityKind: 'azure-sas', minEntropy: 0,
  },
  {
    id: 'azure-ad-client-secret', title: 'Microsoft Entra ID (Azure AD) application client secret', provider: 'azure', family: 'cloud-key',
    keywords: ['q~'], pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
    validate: entraClientSecretContext, severity: 'high', identityKind: 'azure-app-registration', confidence: 'high',
  },
  {
    id: 'azure-devops-pat', title: 'Azure DevOps personal access token', provider: 'azure', family: 'structured-token',
    keywords: ['azdo'], pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}(?![A-Za-z0-9])/, severity: 'high', identityKind: 'azure-devops-user', confidence: 'high',
  },
  {
    id: 'azure-app-configuration-connection-string', title: 'Azure App Configuration connection string', provider: 'azure', family: 'cloud-key',
    keywords: ['azconfig.io'], pattern: /Endpoint=https:\/\/[A-Za-z0-9-]{1,64}\.azconfig\.io;\s{0,2}Id=[^;\s"']{1,64};\s{0,2}Secret=(?<secret>[A-Za-z0-9+/]{40,64}={0,2})/i,
    severity: 'high', identityKind: 'azure-app-configuration', priority: 66,
  },
];

// ------------------------------------------------------------------ Other platforms

const HEX = '0-9a-f';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const platforms: DetectorDef[] = [
  ...defs({ provider: 'digitalocean', identityKind: 'digitalocean-user' }, [
    { id: 'digitalocean-pat', title: 'DigitalOcean personal access token', keywords: ['dop_v1_'], pattern: prefixed('dop_v1_', HEX, 64) },
    { id: 'digitalocean-oauth-token', title: 'DigitalOcean OAuth access token', keywords: ['doo_v1_'], pattern: prefixed('doo_v1_', HEX, 64) },
    { id: 'digitalocean-refresh-token', title: 'DigitalOcean OAuth refresh token', keywords: ['dor_v1_'], pattern: prefixed('dor_v1_', HEX, 64) },
  ]),
  ...defs({ provider: 'hashicorp' }, [
    { id: 'vault-service-token', title: 'HashiCorp Vault service token', keywords: ['hvs.'], pattern: /(?<![A-Za-z0-9_.-])hvs\.[A-Za-z0-9_-]{90,120}(?![A-Za-z0-9_-])/, identityKind: 'vault-token' },
    { id: 'vault-batch-token', title: 'HashiCorp Vault batch token', keywords: ['hvb.'], pattern: /(?<![A-Za-z0-9_.-])hvb\.[A-Za-z0-9_-]{138,300}(?![A-Za-z0-9_-])/, identityKind: 'vault-token', severity: 'medium' },
    { id: 'vault-token-legacy', title: 'HashiCorp Vault token (legacy s. format)', family: 'contextual', keywords: ['vault'],
      pattern: named('vault[\\w.\\-]{0,20}?token', 's\\.[A-Za-z0-9]{24}'), identityKind: 'vault-token' },
    { id: 'terraform-cloud-token', title: 'Terraform Cloud / Enterprise API token', keywords: ['atlasv1'], pattern: /(?<![A-Za-z0-9_-])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/, identityKind: 'terraform-user' },
    { id: 'hcp-client-secret', title: 'HashiCorp Cloud Platform client secret', family: 'contextual', keywords: ['hcp_client_secret'],
      pattern: named('hcp_client_secret', '[A-Za-z0-9_-]{64}'), identityKind: 'hcp-service-principal' },
  ]),
  ...defs({ provider: 'heroku', identityKind: 'heroku-user' }, [
    { id: 'heroku-api-key-v2', title: 'Heroku API key', keywords: ['hrku-'], pattern: prefixed('HRKU-AA', 'A-Za-z0-9_\\-', 58) },
    { id: 'heroku-api-key', title: 'Heroku API key (UUID)', family: 'contextual', keywords: ['heroku'], pattern: named('heroku[\\w.\\-]{0,20}?(?:api[_.\\-]?key|token|key)', UUID) },
  ]),
  ...defs({ provider: 'datadog', family: 'contextual', identityKind: 'datadog-key' }, [
    { id: 'datadog-api-key', title: 'Datadog API key', keywords: ['datadog', 'dd_api', 'dd-api', 'ddapi', 'dd.api'], pattern: named('(?:datadog|\\bdd)[\\w.\\-]{0,20}?api[_.\\-]?key', `[${HEX}]{32}`), minEntropy: 0 },
    { id: 'datadog-app-key', title: 'Datadog application key', keywords: ['datadog', 'dd_app', 'dd-app', 'ddapp', 'dd.app'], pattern: named('(?:datadog|\\bdd)[\\w.\\-]{0,20}?app(?:lication)?[_.\\-]?key', `[${HEX}]{40}`), minEntropy: 0 },
  ]),
  ...defs({}, [
    { id: 'alibaba-access-key-id', title: 'Alibaba Cloud AccessKey id', provider: 'alibaba', keywords: ['ltai'], pattern: prefixed('LTAI', 'A-Za-z0-9', 20), severity: 'medium', identityKind: 'ram-user', minEntropy: 3.5 },
    { id: 'cloudflare-origin-ca-key', title: 'Cloudflare Origin CA key', provider: 'cloudflare', keywords: ['v1.0-'], pattern: /(?<![A-Za-z0-9_.-])v1\.0-[0-9a-f]{24}-[0-9a-f]{146}(?![A-Za-z0-9_-])/ },
    { id: 'cloudflare-api-token', title: 'Cloudflare API token', provider: 'cloudflare', family: 'contextual', keywords: ['cloudflare', 'cf_api'], pattern: named('(?:cloudflare|cf)[\\w.\\-]{0,20}?(?:api[_.\\-]?)?(?:token|key)', '[A-Za-z0-9_-]{40}'), minEntropy: 3.5 },
    { id: 'databricks-token', title: 'Databricks personal access token', provider: 'databricks', keywords: ['dapi'], pattern: /(?<![A-Za-z0-9_-])dapi[0-9a-f]{32}(?:-\d)?(?![A-Za-z0-9_])/, keywordContext: { after: { min: 32, chars: '0-9a-f' } } },
    { id: 'supabase-access-token', title: 'Supabase management access token', provider: 'supabase', keywords: ['sbp_'], pattern: prefixed('sbp_', HEX, 40) },
    { id: 'planetscale-token', title: 'PlanetScale service token', provider: 'planetscale', keywords: ['pscale_tkn_'], pattern: prefixed('pscale_tkn_', 'A-Za-z0-9_.\\-', 32, 64) },
    { id: 'planetscale-password', title: 'PlanetScale database password', provider: 'planetscale', keywords: ['pscale_pw_'], pattern: prefixed('pscale_pw_', 'A-Za-z0-9_.\\-', 32, 64) },
    { id: 'dynatrace-token', title: 'Dynatrace API token', provider: 'dynatrace', keywords: ['dt0c01.'], pattern: /(?<![A-Za-z0-9_.-])dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}(?![A-Za-z0-9_-])/ },
    { id: 'newrelic-user-api-key', title: 'New Relic user API key', provider: 'newrelic', keywords: ['nrak-'], pattern: prefixed('NRAK-', 'A-Z0-9', 27) },
    { id: 'newrelic-insert-key', title: 'New Relic insert key', provider: 'newrelic', keywords: ['nrii-'], pattern: prefixed('NRII-', 'A-Za-z0-9_\\-', 32), severity: 'medium' },
    { id: 'grafana-service-account-token', title: 'Grafana service account token', provider: 'grafana', keywords: ['glsa_'], pattern: /(?<![A-Za-z0-9_-])glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}(?![A-Za-z0-9_-])/ },
    { id: 'grafana-cloud-token', title: 'Grafana Cloud access policy token', provider: 'grafana', keywords: ['glc_'], pattern: /(?<![A-Za-z0-9_-])glc_[A-Za-z0-9+/]{32,400}={0,2}(?![A-Za-z0-9_+/=-])/ },
    { id: 'sentry-user-token', title: 'Sentry user auth token', provider: 'sentry', keywords: ['sntryu_'], pattern: prefixed('sntryu_', HEX, 64) },
    { id: 'sentry-org-token', title: 'Sentry organization auth token', provider: 'sentry', keywords: ['sntrys_'], pattern: /(?<![A-Za-z0-9_-])sntrys_eyJ[A-Za-z0-9+/=]{40,400}_[A-Za-z0-9+/]{43}(?![A-Za-z0-9_+/-])/ },
  ]),
];

export const cloudDetectors: DetectorDef[] = [...aws, ...gcp, ...azure, ...platforms];
