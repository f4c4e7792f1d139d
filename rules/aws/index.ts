import type { Rule } from '../../src/plugin.js';
import rootAccessKey from './root-access-key.js';
import accessKeyNotRotated from './access-key-not-rotated.js';
import accessKeyUnused from './access-key-unused.js';
import multipleActiveKeys from './multiple-active-keys.js';
import consoleAndKeys from './console-and-keys.js';
import roleUnused from './role-unused.js';
import secretNotRotated from './secret-not-rotated.js';

/** AWS credential rules: they read the attributes connectors/aws produces (contract and typed accessors: src/model/aws.ts). */
export const awsRules: Rule[] = [rootAccessKey, accessKeyNotRotated, accessKeyUnused, multipleActiveKeys, consoleAndKeys, roleUnused, secretNotRotated];
