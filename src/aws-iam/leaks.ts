/**
 * Leak correlation (order 90, after the effective-permissions enricher): when a scan covered both
 * code and AWS, an access key id found in code (`leaked-secret` with `secret.decoded.accessKeyId`) is
 * matched to the IAM access key that carries it, and through it to the IAM user. The leaked credential
 * then names its identity and the blast radius (privilege level, admin equivalence, escalation paths),
 * which is what makes a leak urgent or not.
 */
import type { Credential, Identity, Inventory } from '../model/index.js';
import type { Enricher } from '../plugin.js';
import type { EffectiveSummary, LeakMatchAttributes } from './types.js';

const KEY_ID = /^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/;

function keyIdOf(credential: Credential): string | undefined {
  const fromAttrs = credential.attributes.accessKeyId;
  if (typeof fromAttrs === 'string' && KEY_ID.test(fromAttrs)) return fromAttrs;
  return KEY_ID.test(credential.nativeId) ? credential.nativeId : undefined;
}

export function leakedKeyIdOf(credential: Credential): string | undefined {
  if (credential.kind !== 'leaked-secret') return undefined;
  const id = credential.secret?.decoded?.accessKeyId;
  return typeof id === 'string' && KEY_ID.test(id) ? id : undefined;
}

export function correlateLeaks(inventory: Inventory): number {
  const keys = new Map<string, Credential>();
  for (const c of inventory.credentials) {
    if (c.provider !== 'aws' || c.kind !== 'aws-access-key') continue;
    const id = keyIdOf(c);
    if (id) keys.set(id, c);
  }
  if (!keys.size) return 0;
  const identities = new Map<string, Identity>(inventory.identities.map((i) => [i.id, i]));
  // Keys listed without their user's ARN (an imported list-access-keys export) still name the user.
  const usersByName = new Map<string, Identity>();
  for (const i of inventory.identities) {
    if (i.provider !== 'aws' || i.kind !== 'iam-user') continue;
    usersByName.set(`${String(i.attributes.accountId ?? i.scope ?? '')}/${i.name}`, i);
  }
  const scannedAccounts = new Set([...keys.values()].map((k) => String(k.attributes.accountId ?? k.scope ?? '')));
  let matched = 0;
  for (const leaked of inventory.credentials) {
    const keyId = leakedKeyIdOf(leaked);
    if (!keyId) continue;
    const key = keys.get(keyId);
    if (!key) {
      // The key's account was scanned but the key is not there: it was deleted (good news, worth saying).
      const account = leaked.secret?.decoded?.awsAccountId;
      if (typeof account === 'string' && scannedAccounts.has(account)) leaked.attributes.awsKeyNotFoundInScannedAccount = true;
      continue;
    }
    matched++;
    const identity = key.identityId
      ? identities.get(key.identityId)
      : usersByName.get(`${String(key.attributes.accountId ?? key.scope ?? '')}/${String(key.attributes.userName ?? '')}`);
    const effective = identity?.attributes.effective as EffectiveSummary | undefined;
    const match: LeakMatchAttributes = {
      matchedCredentialId: key.id,
      matchedKeyStatus: key.status,
      ...(identity ? { matchedIdentityName: identity.name } : {}),
      ...(effective
        ? {
            privilegeLevel: effective.privilegeLevel,
            adminEquivalent: effective.adminEquivalent,
            escalationPathIds: effective.escalationPaths.filter((p) => p.reach === 'admin' || p.reach === 'escalation').map((p) => p.id),
          }
        : {}),
    };
    const identityId = key.identityId ?? identity?.id;
    if (identityId) leaked.identityId = identityId;
    Object.assign(leaked.attributes, match);
    // The key side learns where it leaked (ids and counts only, never the value).
    const seen = Array.isArray(key.attributes.leakedAs) ? (key.attributes.leakedAs as string[]) : [];
    if (!seen.includes(leaked.id)) key.attributes.leakedAs = [...seen, leaked.id];
  }
  return matched;
}

export const leakCorrelationEnricher: Enricher = {
  id: 'aws-leak-correlation',
  order: 90,
  enrich(inventory, { log }) {
    const matched = correlateLeaks(inventory);
    if (matched) log.debug(`aws: matched ${matched} leaked access key id(s) to IAM users`);
  },
};
