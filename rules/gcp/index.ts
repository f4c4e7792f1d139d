import type { Rule } from '../../src/plugin.js';
import userManagedKey from './user-managed-key.js';
import keyNotRotated from './key-not-rotated.js';
import keyNeverExpires from './key-never-expires.js';
import keyUnused from './key-unused.js';
import keyExposed from './key-exposed.js';
import leakedKeyActive from './leaked-key-active.js';
import serviceAccountAdmin from './service-account-admin.js';
import serviceAccountUnused from './service-account-unused.js';
import disabledAccountEnabledKeys from './disabled-account-enabled-keys.js';
import projectLevelImpersonation from './project-level-impersonation.js';
import impersonationEscalation from './impersonation-escalation.js';
import keyAdminOnPrivileged from './key-admin-on-privileged.js';
import defaultAccountEditor from './default-account-editor.js';
import wifProviderNoCondition from './wif-provider-no-condition.js';
import unneededRole from './unneeded-role.js';
import missingOwner from './missing-owner.js';

/** Google Cloud rules: they read src/model/gcp.ts and what the GCP enricher (src/gcp-iam) derives. */
export const gcpRules: Rule[] = [
  userManagedKey,
  keyNotRotated,
  keyNeverExpires,
  keyUnused,
  keyExposed,
  leakedKeyActive,
  serviceAccountAdmin,
  serviceAccountUnused,
  disabledAccountEnabledKeys,
  projectLevelImpersonation,
  impersonationEscalation,
  keyAdminOnPrivileged,
  defaultAccountEditor,
  wifProviderNoCondition,
  unneededRole,
  missingOwner,
];
