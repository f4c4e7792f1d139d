import type { Rule } from '../../src/plugin.js';
import noExpiry from './keyvault-no-expiry.js';
import expiryTooFar from './keyvault-expiry-too-far.js';
import expiredEnabled from './keyvault-expired-enabled.js';
import secretNotRotated from './keyvault-secret-not-rotated.js';
import keyRotation from './keyvault-key-rotation.js';
import accessPolicyExcess from './keyvault-access-policy-excess.js';
import manySecretReaders from './keyvault-many-secret-readers.js';
import purgeProtection from './keyvault-purge-protection.js';
import rbacDisabled from './keyvault-rbac-disabled.js';
import publicNetwork from './keyvault-public-network.js';
import missingOwner from './keyvault-missing-owner.js';
import rbacBroadRole from './rbac-broad-role.js';

/** Azure Key Vault rules: they read the attributes of src/model/azure.ts, through its typed accessors. */
export const azureRules: Rule[] = [
  noExpiry,
  expiryTooFar,
  expiredEnabled,
  secretNotRotated,
  keyRotation,
  accessPolicyExcess,
  manySecretReaders,
  purgeProtection,
  rbacDisabled,
  publicNetwork,
  missingOwner,
  rbacBroadRole,
];
