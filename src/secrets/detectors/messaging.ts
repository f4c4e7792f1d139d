/** Messaging: Discord, Telegram, Microsoft Teams, Twilio. */
import type { DetectorEntry } from '../detector.js';
import { HEX, entries, named, ref } from './patterns.js';

export const messagingDetectors: DetectorEntry[] = entries({}, [
  {
    id: 'discord-webhook-url', title: 'Discord webhook URL', provider: 'discord', family: 'url-credential', keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'], severity: 'medium',
    pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,70}(?![A-Za-z0-9_-])/,
    references: ['https://discord.com/developers/docs/resources/webhook', ref.gitleaks('discord')],
    examples: { positive: ['https://discord.com/api/webhooks/{digits:18}/{b64url:68}\n'], negative: ['https://discord.com/api/webhooks/{digits:18}/{b64url:20}\n'] },
  },
  {
    id: 'discord-bot-token', title: 'Discord bot token', provider: 'discord', family: 'contextual', keywords: ['discord'], identityKind: 'discord-bot',
    pattern: named('discord[\\w.\\-]{0,20}?(?:bot[_.\\-]?)?token', '[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}'),
    references: ['https://discord.com/developers/docs/reference#authentication', ref.gitleaks('discord')],
    examples: { positive: ['DISCORD_BOT_TOKEN=M{b64url:25}.{b64url:6}.{b64url:38}\n'], negative: ['DISCORD_CHANNEL=M{b64url:25}.{b64url:6}.{b64url:38}\n'] },
  },
  {
    id: 'telegram-bot-token', title: 'Telegram bot token', provider: 'telegram', keywords: [':aa'], identityKind: 'telegram-bot', minEntropy: 3.3,
    pattern: /(?<![A-Za-z0-9_:-])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/, references: ['https://core.telegram.org/bots/api#authorizing-your-bot', ref.gitleaks('telegram')],
    examples: { positive: ['TELEGRAM_TOKEN={digits:10}:AA{b64url:33}\n'], negative: ['TELEGRAM_TOKEN={digits:10}:AA{b64url:20}\n'] },
  },
  {
    id: 'teams-webhook-url', title: 'Microsoft Teams incoming webhook URL', provider: 'microsoft', family: 'url-credential', keywords: ['webhook.office.com'], severity: 'medium',
    pattern: /https:\/\/[a-z0-9-]{1,64}\.webhook\.office\.com\/webhookb2\/[0-9a-f-]{36}@[0-9a-f-]{36}\/IncomingWebhook\/[0-9a-f]{32}\/[0-9a-f-]{36}(?:\/[A-Za-z0-9_-]{1,100})?/,
    references: ['https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook', ref.gitleaks('teams'), ref.kingfisher('microsoftteamswebhook')],
    examples: { positive: ['TEAMS_WEBHOOK=https://acme.webhook.office.com/webhookb2/{uuid}@{uuid}/IncomingWebhook/{hex:32}/{uuid}\n'], negative: ['https://acme.webhook.office.com/webhookb2/{uuid}\n'] },
  },
  {
    id: 'twilio-api-key', title: 'Twilio API key', provider: 'twilio', family: 'contextual', keywords: ['twilio'], window: { linesBefore: 3, linesAfter: 3 },
    pattern: /(?<![A-Za-z0-9_-])SK[0-9a-fA-F]{32}(?![A-Za-z0-9_-])/, minEntropy: 3.2, identityKind: 'twilio-api-key',
    references: ['https://www.twilio.com/docs/iam/api-keys', ref.gitleaks('twilio'), ref.kingfisher('twilio')],
    examples: { positive: ['TWILIO_API_KEY={gen:fakeTwilioApiKey}\n'], negative: ['API_KEY_SID=SK{hex:32}\n'] },
  },
  {
    id: 'twilio-auth-token', title: 'Twilio auth token', provider: 'twilio', family: 'contextual', keywords: ['twilio'], identityKind: 'twilio-account', minEntropy: 3.2,
    pattern: named('twilio[\\w.\\-]{0,20}?(?:auth)?[_.\\-]?token', `[${HEX}]{32}`), references: ['https://www.twilio.com/docs/iam/access-tokens', ref.kingfisher('twilio')],
    examples: { positive: ['TWILIO_AUTH_TOKEN={hex:32}\n'], negative: ['TWILIO_ACCOUNT={hex:32}\n'] },
  },
]);
