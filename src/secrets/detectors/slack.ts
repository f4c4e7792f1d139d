/** Slack: bot, user, app-level, configuration and legacy tokens; incoming webhooks. */
import type { DetectorEntry } from '../detector.js';
import { entries, ref } from './patterns.js';

const B = '(?<![A-Za-z0-9_-])'; // token start
const E = '(?![A-Za-z0-9_-])'; // token end
const REFS = ['https://api.slack.com/authentication/token-types', ref.gitleaks('slack'), ref.kingfisher('slack')];

export const slackDetectors: DetectorEntry[] = entries({ provider: 'slack', references: REFS }, [
  {
    id: 'slack-bot-token',
    title: 'Slack bot token',
    keywords: ['xoxb-'],
    pattern: new RegExp(`${B}xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}${E}`),
    identityKind: 'slack-bot',
    examples: { positive: ['SLACK_BOT_TOKEN={gen:fakeSlackBotToken}\n'], negative: ['SLACK_BOT_TOKEN=xoxb-{digits:12}-{alnum:24}\n'] },
  },
  {
    id: 'slack-user-token',
    title: 'Slack user token',
    keywords: ['xoxp-', 'xoxe-'],
    pattern: new RegExp(`${B}xox[pe]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}${E}`),
    identityKind: 'slack-user',
    examples: { positive: ['SLACK_TOKEN={gen:fakeSlackUserToken}\n'], negative: ['SLACK_TOKEN=xoxp-{digits:12}-{digits:12}-{hex:32}\n'] },
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    keywords: ['xapp-'],
    pattern: new RegExp(`${B}xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64}${E}`),
    identityKind: 'slack-app',
    examples: { positive: ['SLACK_APP_TOKEN={gen:fakeSlackAppToken}\n'], negative: ['SLACK_APP_TOKEN=xapp-1-{ualnum:10}-{digits:13}-{hex:30}\n'] },
  },
  {
    id: 'slack-config-token',
    title: 'Slack configuration access token',
    keywords: ['xoxe.xox'],
    pattern: new RegExp(`${B}xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{160,170}${E}`),
    identityKind: 'slack-app',
    severity: 'medium',
    examples: { positive: ['token: xoxe.xoxp-1-{alnum:164}\n'], negative: ['token: xoxe.xoxp-1-{alnum:60}\n'] },
  },
  {
    id: 'slack-config-refresh-token',
    title: 'Slack configuration refresh token',
    keywords: ['xoxe-'],
    pattern: new RegExp(`${B}xoxe-[0-9]-[A-Za-z0-9]{140,150}${E}`),
    identityKind: 'slack-app',
    severity: 'medium',
    examples: { positive: ['refresh: xoxe-1-{alnum:146}\n'], negative: ['refresh: xoxe-1-{alnum:50}\n'] },
  },
  {
    id: 'slack-legacy-token',
    title: 'Slack legacy / workspace token',
    keywords: ['xoxa-', 'xoxo-', 'xoxs-', 'xoxr-'],
    pattern: new RegExp(`${B}xox[aors]-[0-9]{1,13}-[0-9A-Za-z-]{10,100}${E}`),
    identityKind: 'slack-user',
    minEntropy: 3.2,
    examples: { positive: ['token: xoxs-{digits:10}-{alnum:40}\n', 'token: xoxa-2-{alnum:50}\n'], negative: ['token: xoxs-{digits:10}-{rep:a:40}\n'] },
  },
  {
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    family: 'url-credential',
    keywords: ['hooks.slack.com'],
    severity: 'medium',
    identityKind: 'slack-webhook',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,12}\/[A-Z0-9]{6,14}\/[A-Za-z0-9]{20,40}(?![A-Za-z0-9])/,
    examples: { positive: ['SLACK_WEBHOOK={gen:fakeSlackWebhookUrl}\n'], negative: ['see https://hooks.slack.com/services/ for setup\n'] },
  },
]);
