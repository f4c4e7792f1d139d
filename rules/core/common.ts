import type { Credential } from '../../src/model/index.js';

/**
 * Neutral credential rules judge credentials a provider manages (keys, tokens, vault secrets) while they
 * are live. Secrets found in code are judged by the leak rules instead.
 */
export function isLiveManagedCredential(credential: Credential): boolean {
  return credential.status === 'active' && !credential.secret;
}
