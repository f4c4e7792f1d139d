import { defineRule } from '../../src/plugin.js';

/**
 * Emitted by the suppression engine (src/suppress.ts), not by a check over the inventory:
 * its metadata is here so it is listed, documented and configurable like every other rule.
 */
export const suppressionExpiredRule = defineRule({
  meta: {
    id: 'suppression-expired',
    title: 'Suppression expired',
    category: 'insecure-configuration',
    defaultSeverity: 'low',
    owasp: [],
    description:
      'A suppression in the nhiscan config has passed its expiry date. It no longer hides the findings it matched: an accepted risk was meant to be reviewed by now.',
    remediation:
      'Review the findings it used to hide. Fix them, or renew the suppression with a new `expires` date and an up-to-date `reason`; delete suppressions that match nothing.',
  },
  check: () => [],
});
