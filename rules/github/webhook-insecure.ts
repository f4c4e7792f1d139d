import type { z } from 'zod';
import { lazySchema } from '../../src/zod-lazy.js';
import { defineRule, type FindingDraft } from '../../src/plugin.js';
import { refOf } from '../../src/model/index.js';
import { githubIdentities, KINDS } from './common.js';

/** The options' defaults (also `meta.defaultOptions`: a run that sets none needs no zod). */
const defaults = {
  includeInactive: false,
};
const options = lazySchema((z) => z.object({ includeInactive: z.boolean().default(defaults.includeInactive) }).strict());

export default defineRule<z.infer<typeof options>>({
  meta: {
    id: 'github-webhook-insecure',
    title: 'Webhook without a secret or with TLS verification off',
    category: 'insecure-configuration',
    defaultSeverity: 'medium',
    owasp: ['NHI4'],
    optionsSchema: options,
    defaultOptions: defaults,
    providers: ['github'],
    description:
      'A webhook without a secret lets anyone who learns its URL forge GitHub events to the receiver (deployments, chat-ops bots); one with SSL verification off sends payloads, which may include code and tokens, to whoever can intercept the connection.',
    remediation:
      'Set a random webhook secret and verify the X-Hub-Signature-256 header in the receiver; turn SSL verification on and give the receiver a valid certificate.',
  },
  check(inventory, { includeInactive }) {
    return githubIdentities(inventory, [KINDS.webhook]).flatMap((i): FindingDraft[] => {
      const a = i.attributes;
      if (!a.active && !includeInactive) return [];
      const drafts: FindingDraft[] = [];
      if (!a.secretSet) {
        drafts.push({
          resource: refOf(i),
          key: 'no-secret',
          message: `Webhook ${i.name} has no secret: its deliveries cannot be authenticated.`,
          evidence: { secretSet: false, urlHost: a.urlHost ?? null },
        });
      }
      if (a.insecureSsl) {
        drafts.push({
          resource: refOf(i),
          key: 'insecure-ssl',
          severity: 'high',
          message: `Webhook ${i.name} delivers with SSL certificate verification turned off.`,
          evidence: { insecureSsl: true, urlHost: a.urlHost ?? null },
        });
      }
      return drafts;
    });
  },
});
