/** Email delivery: SendGrid, Mailgun, Mailchimp / Mandrill, Postmark. */
import type { DetectorEntry } from '../detector.js';
import { entries, named, ref } from './patterns.js';

const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';

export const emailDetectors: DetectorEntry[] = entries({}, [
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    provider: 'sendgrid',
    keywords: ['sg.'],
    pattern: new RegExp(`${B}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`),
    identityKind: 'sendgrid-api-key',
    keywordContext: { after: { min: 22, chars: 'A-Za-z0-9_-' } },
    references: ['https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys', ref.gitleaks('sendgrid'), ref.kingfisher('sendgrid')],
    examples: { positive: ['SENDGRID_API_KEY={gen:fakeSendgridKey}\n'], negative: ['SENDGRID_API_KEY=SG.{b64url:22}.{b64url:20}\n'] },
  },
  {
    id: 'mailgun-api-key',
    title: 'Mailgun API key',
    provider: 'mailgun',
    family: 'contextual',
    keywords: ['mailgun'],
    window: { linesBefore: 2, linesAfter: 2 },
    pattern: new RegExp(`${B}(?:key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})${E}`),
    minEntropy: 3.2,
    identityKind: 'mailgun-api-key',
    references: ['https://documentation.mailgun.com/docs/mailgun/api-reference/authentication', ref.gitleaks('mailgun'), ref.kingfisher('mailgun')],
    examples: { positive: ['MAILGUN_API_KEY={gen:fakeMailgunKey}\n', 'mailgun:\n  key: {hex:32}-{hex:8}-{hex:8}\n'], negative: ['API_KEY=key-{hex:32}\n'] },
  },
  {
    id: 'mailchimp-api-key',
    title: 'Mailchimp API key',
    provider: 'mailchimp',
    keywords: ['-us'],
    pattern: new RegExp(`${B}[0-9a-f]{32}-us[0-9]{1,2}${E}`),
    minEntropy: 3.2,
    identityKind: 'mailchimp-api-key',
    keywordContext: { before: { min: 32, chars: '0-9a-f' } },
    references: ['https://mailchimp.com/developer/marketing/guides/quick-start/', ref.gitleaks('mailchimp'), ref.kingfisher('mailchimp')],
    examples: { positive: ['MC_KEY={gen:fakeMailchimpKey}\n'], negative: ['MC_KEY={hex:20}-us6\n'] },
  },
  {
    id: 'mailchimp-transactional-key',
    title: 'Mailchimp Transactional (Mandrill) API key',
    provider: 'mailchimp',
    family: 'contextual',
    keywords: ['mandrill'],
    pattern: named('mandrill[\\w.\\-]{0,20}?(?:api[_.\\-]?)?key', 'md-[A-Za-z0-9_-]{22}'),
    identityKind: 'mailchimp-api-key',
    references: ['https://mailchimp.com/developer/transactional/docs/fundamentals/', ref.kingfisher('mandrill')],
    examples: { positive: ['MANDRILL_API_KEY=md-{b64url:22}\n'], negative: ['MANDRILL_TEMPLATE=md-{b64url:22}\n'] },
  },
  {
    id: 'postmark-server-token',
    title: 'Postmark server token',
    provider: 'postmark',
    family: 'contextual',
    keywords: ['postmark'],
    pattern: named('postmark[\\w.\\-]{0,20}?(?:server[_.\\-]?)?(?:api[_.\\-]?)?(?:token|key)', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
    references: ['https://postmarkapp.com/developer/api/overview#authentication', ref.kingfisher('postmark')],
    examples: { positive: ['POSTMARK_SERVER_TOKEN={uuid}\n'], negative: ['POSTMARK_MESSAGE_STREAM={uuid}\n'] },
  },
]);
