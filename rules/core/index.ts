import type { Rule } from '../../src/plugin.js';
import credentialNotRotated from './credential-not-rotated.js';
import credentialUnused from './credential-unused.js';
import credentialLongLived from './credential-long-lived.js';
import missingOwner from './missing-owner.js';
import { suppressionExpiredRule } from './suppression-expired.js';

/** Provider-neutral rules: they read only the shared model. */
export const coreRules: Rule[] = [credentialNotRotated, credentialUnused, credentialLongLived, missingOwner, suppressionExpiredRule];
