/** JSON Web Tokens: header and payload must decode to JSON objects; `exp` is recorded, not judged (scans are time-free). */
import type { DetectorEntry } from '../detector.js';
import { entry, ref } from './patterns.js';

export const jwtDetectors: DetectorEntry[] = [
  entry({
    id: 'jwt',
    title: 'JSON Web Token',
    provider: 'jwt',
    family: 'jwt',
    keywords: ['eyj'],
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{4,16384}\.[A-Za-z0-9_-]{16,2048}(?![A-Za-z0-9_.-])/,
    validators: ['jwt'],
    confidence: 'validated',
    severity: 'medium',
    identityKind: 'bearer-token',
    priority: 30,
    references: ['https://www.rfc-editor.org/rfc/rfc7519', ref.gitleaks('jwt')],
    examples: {
      positive: ['session_token: {gen:fakeJwt}\n'],
      negative: ['session_token: eyJ{b64url:30}.eyJ{b64url:30}.{b64url:30}\n', 'header: {jwt:alg-none}\n'],
    },
  }),
];
