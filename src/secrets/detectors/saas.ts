/** SaaS APIs: messaging, payments, email, AI, productivity, identity. */
import type { DetectorDef } from '../detector.js';
import { defs, named, prefixed } from './helpers.js';

const ALNUM = 'A-Za-z0-9';
const B64URL = 'A-Za-z0-9_\\-';
const HEX = '0-9a-f';
const B = '(?<![A-Za-z0-9_-])'; // token start
const E = '(?![A-Za-z0-9_-])'; // token end

const slack = defs({ provider: 'slack' }, [
  { id: 'slack-bot-token', title: 'Slack bot token', keywords: ['xoxb-'], pattern: new RegExp(`${B}xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}${E}`), identityKind: 'slack-bot' },
  { id: 'slack-user-token', title: 'Slack user token', keywords: ['xoxp-', 'xoxe-'], pattern: new RegExp(`${B}xox[pe]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}${E}`), identityKind: 'slack-user' },
  { id: 'slack-app-token', title: 'Slack app-level token', keywords: ['xapp-'], pattern: new RegExp(`${B}xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64}${E}`), identityKind: 'slack-app' },
  { id: 'slack-config-token', title: 'Slack configuration access token', keywords: ['xoxe.xox'], pattern: new RegExp(`${B}xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{160,170}${E}`), identityKind: 'slack-app', severity: 'medium' },
  { id: 'slack-config-refresh-token', title: 'Slack configuration refresh token', keywords: ['xoxe-'], pattern: new RegExp(`${B}xoxe-[0-9]-[A-Za-z0-9]{140,150}${E}`), identityKind: 'slack-app', severity: 'medium' },
  { id: 'slack-legacy-token', title: 'Slack legacy / workspace token', keywords: ['xoxa-', 'xoxo-', 'xoxs-', 'xoxr-'], pattern: new RegExp(`${B}xox[aors]-[0-9]{1,13}-[0-9A-Za-z-]{10,100}${E}`), identityKind: 'slack-user', minEntropy: 3.2 },
  { id: 'slack-webhook-url', title: 'Slack incoming webhook URL', family: 'url-credential', keywords: ['hooks.slack.com'], severity: 'medium', identityKind: 'slack-webhook',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,12}\/[A-Z0-9]{6,14}\/[A-Za-z0-9]{20,40}(?![A-Za-z0-9])/ },
]);

const messaging = defs({}, [
  { id: 'discord-webhook-url', title: 'Discord webhook URL', provider: 'discord', family: 'url-credential', keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'], severity: 'medium',
    pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,70}(?![A-Za-z0-9_-])/ },
  { id: 'discord-bot-token', title: 'Discord bot token', provider: 'discord', family: 'contextual', keywords: ['discord'], identityKind: 'discord-bot',
    pattern: named('discord[\\w.\\-]{0,20}?(?:bot[_.\\-]?)?token', '[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}') },
  { id: 'telegram-bot-token', title: 'Telegram bot token', provider: 'telegram', keywords: [':aa'], identityKind: 'telegram-bot', minEntropy: 3.3,
    pattern: /(?<![A-Za-z0-9_:-])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/ },
  { id: 'teams-webhook-url', title: 'Microsoft Teams incoming webhook URL', provider: 'microsoft', family: 'url-credential', keywords: ['webhook.office.com'], severity: 'medium',
    pattern: /https:\/\/[a-z0-9-]{1,64}\.webhook\.office\.com\/webhookb2\/[0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}(?:\/[A-Za-z0-9_-]{1,100})?/ },
  { id: 'twilio-api-key', title: 'Twilio API key', provider: 'twilio', family: 'contextual', keywords: ['twilio'], window: { linesBefore: 3, linesAfter: 3 },
    pattern: /(?<![A-Za-z0-9_-])SK[0-9a-fA-F]{32}(?![A-Za-z0-9_-])/, minEntropy: 3.2, identityKind: 'twilio-api-key' },
  { id: 'twilio-auth-token', title: 'Twilio auth token', provider: 'twilio', family: 'contextual', keywords: ['twilio'], identityKind: 'twilio-account', minEntropy: 3.2,
    pattern: named('twilio[\\w.\\-]{0,20}?(?:auth)?[_.\\-]?token', `[${HEX}]{32}`) },
]);

const payments = defs({}, [
  { id: 'stripe-live-secret-key', title: 'Stripe live secret key', provider: 'stripe', keywords: ['sk_live_'], pattern: prefixed('sk_live_', ALNUM, 24, 247), severity: 'critical', identityKind: 'stripe-account' },
  { id: 'stripe-live-restricted-key', title: 'Stripe live restricted key', provider: 'stripe', keywords: ['rk_live_'], pattern: prefixed('rk_live_', ALNUM, 24, 247), identityKind: 'stripe-account' },
  { id: 'stripe-test-secret-key', title: 'Stripe test-mode secret key', provider: 'stripe', keywords: ['sk_test_', 'rk_test_'], pattern: new RegExp(`${B}[rs]k_test_[A-Za-z0-9]{24,247}${E}`), severity: 'low', identityKind: 'stripe-account' },
  { id: 'stripe-webhook-secret', title: 'Stripe webhook signing secret', provider: 'stripe', keywords: ['whsec_'], pattern: prefixed('whsec_', 'A-Za-z0-9+/=', 32, 100), severity: 'medium' },
  { id: 'square-access-token', title: 'Square access token', provider: 'square', keywords: ['eaaa', 'sq0atp-'], pattern: new RegExp(`${B}(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22})${E}`), minEntropy: 3.5 },
  { id: 'square-oauth-secret', title: 'Square OAuth application secret', provider: 'square', keywords: ['sq0csp-'], pattern: prefixed('sq0csp-', B64URL, 43) },
  { id: 'braintree-access-token', title: 'Braintree / PayPal access token', provider: 'paypal', keywords: ['access_token$production$'], pattern: /access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}/, severity: 'critical' },
  { id: 'shippo-api-token', title: 'Shippo live API token', provider: 'shippo', keywords: ['shippo_live_'], pattern: prefixed('shippo_live_', HEX, 40) },
  { id: 'easypost-api-key', title: 'EasyPost production API key', provider: 'easypost', keywords: ['ezak'], pattern: prefixed('EZAK', 'a-zA-Z0-9', 54) },
  { id: 'flutterwave-secret-key', title: 'Flutterwave secret key', provider: 'flutterwave', keywords: ['flwseck'], pattern: /(?<![A-Za-z0-9_-])FLWSECK(?:_TEST)?-[a-h0-9]{32}-X(?![A-Za-z0-9_-])/ },
  { id: 'duffel-api-token', title: 'Duffel API token', provider: 'duffel', keywords: ['duffel_'], pattern: new RegExp(`${B}duffel_(?:test|live)_[A-Za-z0-9_=-]{43}${E}`) },
]);

const email = defs({}, [
  { id: 'sendgrid-api-key', title: 'SendGrid API key', provider: 'sendgrid', keywords: ['sg.'], pattern: new RegExp(`${B}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`), identityKind: 'sendgrid-api-key', keywordContext: { after: { min: 22, chars: 'A-Za-z0-9_-' } } },
  { id: 'mailgun-api-key', title: 'Mailgun API key', provider: 'mailgun', family: 'contextual', keywords: ['mailgun'], window: { linesBefore: 2, linesAfter: 2 },
    pattern: new RegExp(`${B}(?:key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})${E}`), minEntropy: 3.2, identityKind: 'mailgun-api-key' },
  { id: 'mailchimp-api-key', title: 'Mailchimp API key', provider: 'mailchimp', keywords: ['-us'], pattern: new RegExp(`${B}[0-9a-f]{32}-us[0-9]{1,2}${E}`), minEntropy: 3.2, identityKind: 'mailchimp-api-key', keywordContext: { before: { min: 32, chars: '0-9a-f' } } },
  { id: 'mailchimp-transactional-key', title: 'Mailchimp Transactional (Mandrill) API key', provider: 'mailchimp', family: 'contextual', keywords: ['mandrill'],
    pattern: named('mandrill[\\w.\\-]{0,20}?(?:api[_.\\-]?)?key', 'md-[A-Za-z0-9_-]{22}'), identityKind: 'mailchimp-api-key' },
  { id: 'postmark-server-token', title: 'Postmark server token', provider: 'postmark', family: 'contextual', keywords: ['postmark'],
    pattern: named('postmark[\\w.\\-]{0,20}?(?:server[_.\\-]?)?(?:api[_.\\-]?)?(?:token|key)', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}') },
]);

const ai = defs({ provider: 'ai' }, [
  { id: 'openai-api-key', title: 'OpenAI API key', provider: 'openai', keywords: ['t3blbkfj'], identityKind: 'openai-project',
    pattern: new RegExp(`${B}sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{16,180}T3BlbkFJ[A-Za-z0-9_-]{16,180}${E}`) },
  { id: 'anthropic-api-key', title: 'Anthropic API key', provider: 'anthropic', keywords: ['sk-ant-'], identityKind: 'anthropic-workspace',
    pattern: new RegExp(`${B}sk-ant-(?:api|admin|oat|ort)[0-9]{2}-[A-Za-z0-9_-]{80,120}AA${E}`) },
  { id: 'huggingface-token', title: 'Hugging Face access token', provider: 'huggingface', keywords: ['hf_'], pattern: prefixed('hf_', 'A-Za-z', 34, 40), minEntropy: 3.5 },
  { id: 'replicate-api-token', title: 'Replicate API token', provider: 'replicate', keywords: ['r8_'], pattern: prefixed('r8_', ALNUM, 37), minEntropy: 3.5 },
  { id: 'groq-api-key', title: 'Groq API key', provider: 'groq', keywords: ['gsk_'], pattern: prefixed('gsk_', ALNUM, 52) },
  { id: 'xai-api-key', title: 'xAI API key', provider: 'xai', keywords: ['xai-'], pattern: prefixed('xai-', ALNUM, 80) },
  { id: 'perplexity-api-key', title: 'Perplexity API key', provider: 'perplexity', keywords: ['pplx-'], pattern: prefixed('pplx-', ALNUM, 48) },
  { id: 'langsmith-api-key', title: 'LangSmith API key', provider: 'langchain', keywords: ['lsv2_'], pattern: new RegExp(`${B}lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}${E}`) },
]);

const productivity = defs({}, [
  { id: 'shopify-access-token', title: 'Shopify Admin API access token', provider: 'shopify', keywords: ['shpat_'], pattern: prefixed('shpat_', 'a-fA-F0-9', 32), identityKind: 'shopify-app' },
  { id: 'shopify-custom-app-token', title: 'Shopify custom app access token', provider: 'shopify', keywords: ['shpca_'], pattern: prefixed('shpca_', 'a-fA-F0-9', 32), identityKind: 'shopify-app' },
  { id: 'shopify-private-app-token', title: 'Shopify private app access token', provider: 'shopify', keywords: ['shppa_'], pattern: prefixed('shppa_', 'a-fA-F0-9', 32), identityKind: 'shopify-app' },
  { id: 'shopify-shared-secret', title: 'Shopify app shared secret', provider: 'shopify', keywords: ['shpss_'], pattern: prefixed('shpss_', 'a-fA-F0-9', 32), identityKind: 'shopify-app' },
  { id: 'okta-api-token', title: 'Okta API token', provider: 'okta', family: 'contextual', keywords: ['okta'], identityKind: 'okta-api-token',
    pattern: named('okta[\\w.\\-]{0,20}?(?:api[_.\\-]?)?(?:token|key|secret)', '00[A-Za-z0-9_-]{40}') },
  { id: 'linear-api-key', title: 'Linear API key', provider: 'linear', keywords: ['lin_api_'], pattern: prefixed('lin_api_', ALNUM, 40) },
  { id: 'notion-integration-token', title: 'Notion integration token', provider: 'notion', keywords: ['ntn_'], pattern: prefixed('ntn_', ALNUM, 46), minEntropy: 3.5 },
  { id: 'figma-pat', title: 'Figma personal access token', provider: 'figma', keywords: ['figd_'], pattern: prefixed('figd_', B64URL, 40) },
  { id: 'airtable-pat', title: 'Airtable personal access token', provider: 'airtable', keywords: ['pat'], pattern: new RegExp(`${B}pat[A-Za-z0-9]{14}\\.[0-9a-f]{64}${E}`), keywordContext: { after: { min: 14, chars: 'A-Za-z0-9' } } },
  { id: 'typeform-token', title: 'Typeform personal access token', provider: 'typeform', keywords: ['tfp_'], pattern: prefixed('tfp_', 'A-Za-z0-9_.\\-', 59) },
  { id: 'postman-api-key', title: 'Postman API key', provider: 'postman', keywords: ['pmak-'], pattern: new RegExp(`${B}PMAK-[0-9a-f]{24}-[0-9a-f]{34}${E}`) },
  { id: 'mapbox-secret-token', title: 'Mapbox secret access token', provider: 'mapbox', keywords: ['sk.eyj'], pattern: new RegExp(`${B}sk\\.eyJ[A-Za-z0-9_-]{20,400}\\.[A-Za-z0-9_-]{20,100}${E}`) },
  { id: 'twitter-bearer-token', title: 'X (Twitter) API bearer token', provider: 'twitter', family: 'contextual', keywords: ['twitter', 'bearer', 'tweet', 'x_api'], window: { linesBefore: 3, linesAfter: 3 }, pattern: /(?<![A-Za-z0-9%])A{21,22}[A-Za-z0-9%]{50,200}(?![A-Za-z0-9%])/ },
  { id: 'age-secret-key', title: 'age encryption secret key', provider: 'age', keywords: ['age-secret-key-1'], pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/ },
  { id: 'readme-api-key', title: 'ReadMe API key', provider: 'readme', keywords: ['rdme_'], pattern: prefixed('rdme_', 'a-z0-9', 70) },
  { id: 'algolia-admin-key', title: 'Algolia admin API key', provider: 'algolia', family: 'contextual', keywords: ['algolia'],
    pattern: named('algolia[\\w.\\-]{0,20}?(?:admin|write|api)[_.\\-]?key', `[${HEX}]{32}`), minEntropy: 3.2 },
  { id: 'snyk-api-token', title: 'Snyk API token', provider: 'snyk', family: 'contextual', keywords: ['snyk'],
    pattern: named('snyk[\\w.\\-]{0,20}?(?:api[_.\\-]?)?(?:token|key)', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}') },
]);

export const saasDetectors: DetectorDef[] = [...slack, ...messaging, ...payments, ...email, ...ai, ...productivity];
