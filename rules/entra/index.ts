import type { Rule } from '../../src/plugin.js';
import credentialLifetime from './credential-lifetime.js';
import credentialExpiredPresent from './credential-expired-present.js';
import credentialExpiringSoon from './credential-expiring-soon.js';
import multipleActiveSecrets from './multiple-active-secrets.js';
import spCredential from './sp-credential.js';
import passwordNotFederated from './password-not-federated.js';
import federatedSubjectBroad from './federated-subject-broad.js';
import tier0Permission from './tier0-permission.js';
import thirdPartyPrivileged from './third-party-privileged.js';
import unused from './unused.js';
import noOwner from './no-owner.js';
import ownersOffboarded from './owners-offboarded.js';
import leakedSecretActive from './leaked-secret-active.js';

/** Microsoft Entra rules: they read the attributes documented in src/model/entra.ts. */
export const entraRules: Rule[] = [
  credentialLifetime,
  credentialExpiredPresent,
  credentialExpiringSoon,
  multipleActiveSecrets,
  spCredential,
  passwordNotFederated,
  federatedSubjectBroad,
  tier0Permission,
  thirdPartyPrivileged,
  unused,
  noOwner,
  ownersOffboarded,
  leakedSecretActive,
];
