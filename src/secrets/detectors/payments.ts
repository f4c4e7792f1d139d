/** Payments and commerce: Stripe, Square, Braintree/PayPal, Shippo, EasyPost, Flutterwave, Duffel. */
import type { DetectorEntry } from '../detector.js';
import { ALNUM, B64URL, HEX, entries, ref } from './patterns.js';

const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';
const STRIPE = ['https://docs.stripe.com/keys', ref.gitleaks('stripe'), ref.kingfisher('stripe')];

export const paymentsDetectors: DetectorEntry[] = entries({}, [
  {
    id: 'stripe-live-secret-key', title: 'Stripe live secret key', provider: 'stripe', prefix: 'sk_live_', body: ALNUM, min: 24, max: 247, severity: 'critical', identityKind: 'stripe-account', references: STRIPE,
    extraExamples: { positive: ['STRIPE_KEY={gen:fakeStripeLiveKey}\n'] },
  },
  { id: 'stripe-live-restricted-key', title: 'Stripe live restricted key', provider: 'stripe', prefix: 'rk_live_', body: ALNUM, min: 24, max: 247, identityKind: 'stripe-account', references: STRIPE },
  {
    id: 'stripe-test-secret-key', title: 'Stripe test-mode secret key', provider: 'stripe', keywords: ['sk_test_', 'rk_test_'], pattern: new RegExp(`${B}[rs]k_test_[A-Za-z0-9]{24,247}${E}`), severity: 'low', identityKind: 'stripe-account', references: STRIPE,
    examples: { positive: ['STRIPE_KEY={gen:fakeStripeTestKey}\n', 'key: rk_test_{alnum:99}\n'], negative: ['key: sk_test_{alnum:10}\n'] },
  },
  { id: 'stripe-webhook-secret', title: 'Stripe webhook signing secret', provider: 'stripe', prefix: 'whsec_', body: 'A-Za-z0-9+/=', min: 32, max: 100, severity: 'medium', references: STRIPE },
  {
    id: 'square-access-token', title: 'Square access token', provider: 'square', keywords: ['eaaa', 'sq0atp-'], pattern: new RegExp(`${B}(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22})${E}`), minEntropy: 3.5,
    references: ['https://developer.squareup.com/docs/build-basics/access-tokens', ref.gitleaks('square'), ref.kingfisher('square')],
    examples: { positive: ['SQUARE_TOKEN=EAAA{b64url:60}\n', 'SQUARE_TOKEN=sq0atp-{b64url:22}\n'], negative: ['SQUARE_TOKEN=EAAA{b64url:30}\n'] },
  },
  { id: 'square-oauth-secret', title: 'Square OAuth application secret', provider: 'square', prefix: 'sq0csp-', body: B64URL, min: 43, references: [ref.gitleaks('square'), ref.kingfisher('square')] },
  {
    id: 'braintree-access-token', title: 'Braintree / PayPal access token', provider: 'paypal', keywords: ['access_token$production$'], pattern: /access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}/, severity: 'critical',
    references: ['https://developer.paypal.com/braintree/docs/guides/authorization/overview', ref.kingfisher('paypal')],
    examples: { positive: ['BRAINTREE_TOKEN=access_token$production${lalnum:16}${hex:32}\n'], negative: ['BRAINTREE_TOKEN=access_token$production${lalnum:16}${hex:12}\n'] },
  },
  { id: 'shippo-api-token', title: 'Shippo live API token', provider: 'shippo', prefix: 'shippo_live_', body: HEX, min: 40, references: [ref.gitleaks('shippo'), ref.kingfisher('shippo')] },
  { id: 'easypost-api-key', title: 'EasyPost production API key', provider: 'easypost', prefix: 'EZAK', body: 'a-zA-Z0-9', min: 54, references: [ref.gitleaks('easypost'), ref.kingfisher('easypost')] },
  {
    id: 'flutterwave-secret-key', title: 'Flutterwave secret key', provider: 'flutterwave', keywords: ['flwseck'], pattern: /(?<![A-Za-z0-9_-])FLWSECK(?:_TEST)?-[a-h0-9]{32}-X(?![A-Za-z0-9_-])/,
    references: [ref.gitleaks('flutterwave')], examples: { positive: ['FLW_SECRET=FLWSECK-{[a-h0-9]:32}-X\n'], negative: ['FLW_SECRET=FLWSECK-{[a-h0-9]:20}-X\n'] },
  },
  {
    id: 'duffel-api-token', title: 'Duffel API token', provider: 'duffel', keywords: ['duffel_'], pattern: new RegExp(`${B}duffel_(?:test|live)_[A-Za-z0-9_=-]{43}${E}`),
    references: [ref.gitleaks('duffel')], examples: { positive: ['DUFFEL_TOKEN=duffel_live_{b64url:43}\n'], negative: ['DUFFEL_TOKEN=duffel_live_{b64url:20}\n'] },
  },
]);
