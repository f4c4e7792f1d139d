/**
 * Secrets found in code, for rule tests: a `leaked-secret` credential as the secret scan writes it, named by a
 * hash of a seed (never a value: no token is built or committed), seen in the given repositories.
 */
import { createHash } from 'node:crypto';
import { makeId, type Credential, type Location } from '../../src/model/index.js';

export interface LeakSpec {
  detector?: string;
  /** The detector's severity (`attributes.severity`). */
  severity?: string;
  /** Facts decoded from the value's structure (an AWS access key id, a GCP private_key_id...). */
  decoded?: Record<string, string>;
  /** Attributes a leak correlation wrote (`matchedCredentialId`, `entraMatchedCredentialId`...). */
  attributes?: Record<string, unknown>;
}

/** A secret seen at `path` in each of `repositories`, its hash derived from `seed`. */
export function leakedSecret(seed: string, repositories: string[], spec: LeakSpec = {}, path = 'deploy/.env'): Credential {
  const hex = createHash('sha256').update(`leak:${seed}`).digest('hex');
  const locations: Location[] = repositories.map((repository) => ({ source: `git:${repository}`, repository, path, line: 1, presentAtHead: true }));
  return {
    id: makeId('secret', 'leaked-secret', hex),
    provider: 'git',
    kind: 'leaked-secret',
    nativeId: hex,
    name: `${spec.detector ?? 'generic-api-key'} ${seed}`,
    tags: {},
    status: 'unknown',
    locations,
    secret: {
      detector: spec.detector ?? 'generic-api-key',
      hash: `sha256:${hex}`,
      preview: 'abcd…(40 chars)',
      ...(spec.decoded ? { decoded: spec.decoded } : {}),
    },
    attributes: { severity: spec.severity ?? 'high', ...spec.attributes },
    source: `git:${repositories[0] ?? 'repo'}`,
  };
}
