/** Every built-in detector, in a stable order (the order feeds DETECTOR_SET_VERSION). */
import type { DetectorDef } from '../detector.js';
import { cloudDetectors } from './cloud.js';
import { codeHostingDetectors } from './code-hosting.js';
import { saasDetectors } from './saas.js';
import { keyDetectors } from './keys.js';
import { dataStoreDetectors } from './data-stores.js';
import { jwtDetectors } from './jwt.js';
import { genericDetectors } from './generic.js';

export const DETECTORS: readonly DetectorDef[] = Object.freeze([
  ...cloudDetectors,
  ...codeHostingDetectors,
  ...saasDetectors,
  ...keyDetectors,
  ...dataStoreDetectors,
  ...jwtDetectors,
  ...genericDetectors,
]);
