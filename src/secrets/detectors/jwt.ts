/** JSON Web Tokens: header and payload must decode to JSON objects; `exp` is recorded, not judged (scans are time-free). */
import type { DetectorDef } from '../detector.js';
import { jwtValidator } from './helpers.js';

export const jwtDetectors: DetectorDef[] = [
  {
    id: 'jwt', title: 'JSON Web Token', provider: 'jwt', family: 'jwt', keywords: ['eyj'],
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{4,16384}\.[A-Za-z0-9_-]{16,2048}(?![A-Za-z0-9_.-])/,
    validate: jwtValidator, severity: 'medium', identityKind: 'bearer-token', priority: 30,
  },
];
