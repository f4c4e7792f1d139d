/**
 * Finding fingerprints: content-stable ids used by suppressions and baselines.
 * Built from the rule, the resource id and the draft's `key` only, never from line numbers or
 * messages, so a finding keeps its fingerprint when unrelated lines move or the scan reruns.
 */
import { createHash } from 'node:crypto';

export function findingFingerprint(ruleId: string, resourceId: string, key = ''): string {
  return createHash('sha256').update(`${ruleId}\u0000${resourceId}\u0000${key}`).digest('hex').slice(0, 32);
}
