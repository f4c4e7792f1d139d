/**
 * The detector catalogue: one data file per provider (or family of small providers), every entry
 * declarative (pattern, keywords, named validators, confidence, severity, references, examples).
 * Entries compile into the definitions the engine runs, in a stable order (it feeds builtinDetectorSetVersion()).
 */
import type { DetectorDef, DetectorEntry } from '../detector.js';
import { compileEntry } from '../validators/index.js';
import { awsDetectors } from './aws.js';
import { gcpDetectors } from './gcp.js';
import { azureDetectors } from './azure.js';
import { infrastructureDetectors } from './infrastructure.js';
import { hashicorpDetectors } from './hashicorp.js';
import { monitoringDetectors } from './monitoring.js';
import { githubDetectors } from './github.js';
import { gitlabDetectors } from './gitlab.js';
import { atlassianDetectors } from './atlassian.js';
import { registryDetectors } from './registries.js';
import { devtoolsDetectors } from './devtools.js';
import { slackDetectors } from './slack.js';
import { messagingDetectors } from './messaging.js';
import { paymentsDetectors } from './payments.js';
import { emailDetectors } from './email.js';
import { aiDetectors } from './ai.js';
import { productivityDetectors } from './productivity.js';
import { keyDetectors } from './private-keys.js';
import { connectionStringDetectors } from './connection-strings.js';
import { manifestDetectors } from './manifests.js';
import { jwtDetectors } from './jwt.js';
import { genericDetectors } from './generic-assignments.js';
import { saasKeyDetectors } from './saas-keys.js';
import { platformTokenDetectors } from './platform-tokens.js';
import { credentialFileDetectors } from './credential-files.js';

export const CATALOGUE: readonly DetectorEntry[] = Object.freeze([
  ...awsDetectors,
  ...gcpDetectors,
  ...azureDetectors,
  ...infrastructureDetectors,
  ...hashicorpDetectors,
  ...monitoringDetectors,
  ...githubDetectors,
  ...gitlabDetectors,
  ...atlassianDetectors,
  ...registryDetectors,
  ...devtoolsDetectors,
  ...slackDetectors,
  ...messagingDetectors,
  ...paymentsDetectors,
  ...emailDetectors,
  ...aiDetectors,
  ...productivityDetectors,
  ...platformTokenDetectors,
  ...saasKeyDetectors,
  ...keyDetectors,
  ...connectionStringDetectors,
  ...manifestDetectors,
  ...credentialFileDetectors,
  ...jwtDetectors,
  ...genericDetectors,
]);

/**
 * Bench only: NHISCAN_DETECTOR_SUBSET (comma-separated ids) restricts the built-in detectors, so that
 * `npm run bench -- git` can time the previous, smaller catalogue as the baseline of this one.
 */
const subset = process.env.NHISCAN_DETECTOR_SUBSET ? new Set(process.env.NHISCAN_DETECTOR_SUBSET.split(',')) : undefined;

export const DETECTORS: readonly DetectorDef[] = Object.freeze(CATALOGUE.filter((e) => !subset || subset.has(e.id)).map(compileEntry));
