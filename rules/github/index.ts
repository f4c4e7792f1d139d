import type { Rule } from '../../src/plugin.js';
import deployKeyWriteAccess from './deploy-key-write-access.js';
import deployKeyUnused from './deploy-key-unused.js';
import deployKeyNotRotated from './deploy-key-not-rotated.js';
import actionsSecretNotRotated from './actions-secret-not-rotated.js';
import orgSecretVisibleToAll from './org-secret-visible-to-all.js';
import finegrainedPatLongLived from './finegrained-pat-long-lived.js';
import finegrainedPatUnused from './finegrained-pat-unused.js';
import finegrainedPatExcessPrivilege from './finegrained-pat-excess-privilege.js';
import appInstallationExcessPrivilege from './app-installation-excess-privilege.js';
import appInstallationSuspended from './app-installation-suspended.js';
import webhookInsecure from './webhook-insecure.js';
import workflowTokenExcessPrivilege from './workflow-token-excess-privilege.js';
import secretScanningAlert from './secret-scanning-alert.js';

/** GitHub rules: they read what connectors/github puts in the inventory (contract and typed accessors: src/model/github.ts). */
export const githubRules: Rule[] = [
  deployKeyWriteAccess,
  deployKeyUnused,
  deployKeyNotRotated,
  actionsSecretNotRotated,
  orgSecretVisibleToAll,
  finegrainedPatLongLived,
  finegrainedPatUnused,
  finegrainedPatExcessPrivilege,
  appInstallationExcessPrivilege,
  appInstallationSuspended,
  webhookInsecure,
  workflowTokenExcessPrivilege,
  secretScanningAlert,
];
