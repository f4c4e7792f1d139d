import type { Rule } from '../../src/plugin.js';
import adminEquivalent from './admin-equivalent.js';
import fullAdminPolicy from './full-admin-policy.js';
import privilegeEscalation from './privilege-escalation.js';
import unrestrictedSensitiveActions from './unrestricted-sensitive-actions.js';
import roleTrustAnyPrincipal from './role-trust-any-principal.js';
import roleTrustExternalAccount from './role-trust-external-account.js';
import roleTrustOidcUnrestricted from './role-trust-oidc-unrestricted.js';
import leakedKeyActive from './leaked-key-active.js';
import resourcePolicyPublic from './resource-policy-public.js';
import resourcePolicyExternalAccount from './resource-policy-external-account.js';

/**
 * AWS privilege rules. The privilege rules read `identity.attributes.effective`, written by the
 * `aws-effective-permissions` enricher (src/aws-iam); the trust rules read the trust policy directly, the
 * resource-policy rules the policies of keys, secrets, buckets, functions, topics and queues;
 * the leak rule reads what the `aws-leak-correlation` enricher recorded.
 */
export const awsPrivilegeRules: Rule[] = [
  adminEquivalent,
  fullAdminPolicy,
  privilegeEscalation,
  unrestrictedSensitiveActions,
  roleTrustAnyPrincipal,
  roleTrustExternalAccount,
  roleTrustOidcUnrestricted,
  leakedKeyActive,
  resourcePolicyPublic,
  resourcePolicyExternalAccount,
];
