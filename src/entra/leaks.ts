/**
 * Leak correlation for Microsoft Entra client secrets (order 90, like the AWS one): a client secret
 * found in code (`azure-ad-client-secret`) is matched to the application credential it is, by Graph's
 * `hint` (the secret's first three characters, which the redacted preview also shows) and, when the
 * detector found them beside the secret, the client (app) id and tenant id. The leak then names its
 * application, the permissions and directory roles of the app's service principal, and its owners.
 *
 * A hint alone is three characters: it is trusted only when exactly one application in the scanned
 * tenants has a secret with it; several candidates are reported as ambiguous, never guessed.
 */
import type { Credential, Identity, Inventory } from '../model/index.js';
import type { Enricher } from '../plugin.js';
import { correlateActionsSecrets } from './actions-secrets.js';
import {
  applicationAttributes,
  entraCredentialAttributes,
  isEntraApplication,
  isEntraCredential,
  isEntraServicePrincipal,
  KIND_CLIENT_SECRET,
  servicePrincipalAttributes,
  tier0Of,
  type EntraLeakMatchAttributes,
} from '../model/entra.js';

export const ENTRA_SECRET_DETECTOR = 'azure-ad-client-secret';

/** The hint of a leaked client secret: from the detector's decoded facts, else the preview's first three characters. */
export function leakedEntraHint(credential: Credential): string | undefined {
  if (credential.kind !== 'leaked-secret' || credential.secret?.detector !== ENTRA_SECRET_DETECTOR) return undefined;
  const decoded = credential.secret.decoded?.hint;
  if (typeof decoded === 'string' && decoded.length === 3) return decoded;
  const shown = credential.secret.preview.split('…')[0] ?? '';
  return shown.length >= 3 ? shown.slice(0, 3) : undefined;
}

interface Candidate {
  credential: Credential;
  app?: Identity;
}

function decodedString(credential: Credential, key: string): string | undefined {
  const v = credential.secret?.decoded?.[key];
  return typeof v === 'string' ? v.toLowerCase() : undefined;
}

function narrow(candidates: Candidate[], leaked: Credential): { matches: Candidate[]; by: EntraLeakMatchAttributes['entraMatchedBy'] } {
  const appId = decodedString(leaked, 'clientId');
  const tenantId = decodedString(leaked, 'tenantId');
  if (appId) {
    const byApp = candidates.filter((c) => entraCredentialAttributes(c.credential).appId.toLowerCase() === appId);
    if (byApp.length) return { matches: byApp, by: 'hint+appId' };
  }
  if (tenantId) {
    const byTenant = candidates.filter((c) => (entraCredentialAttributes(c.credential).tenantId ?? '').toLowerCase() === tenantId);
    if (byTenant.length) return { matches: byTenant, by: 'hint+tenantId' };
  }
  return { matches: candidates, by: 'hint' };
}

function matchAttributes(candidate: Candidate, by: EntraLeakMatchAttributes['entraMatchedBy'], sps: Map<string, Identity>): EntraLeakMatchAttributes {
  const attrs = entraCredentialAttributes(candidate.credential);
  const app = candidate.app;
  const spIdentity = app ? sps.get(applicationAttributes(app).servicePrincipalId?.toLowerCase() ?? '') : sps.get(attrs.holderObjectId.toLowerCase());
  const sp = spIdentity ? servicePrincipalAttributes(spIdentity) : undefined;
  const owners = app ? applicationAttributes(app).owners : (sp?.owners ?? []);
  return {
    entraMatchedCredentialId: candidate.credential.id,
    entraMatchedCredentialStatus: candidate.credential.status,
    entraApplicationName: app?.name ?? spIdentity?.name ?? attrs.appId,
    entraAppId: attrs.appId,
    entraPermissions: sp
      ? [
          ...sp.appPermissions.filter((p) => p.permission !== 'default access').map((p) => `${p.resourceName}: ${p.permission}`),
          ...sp.directoryRoles.map((r) => `directory role: ${r}`),
        ]
      : [],
    entraTier0: sp ? tier0Of(sp) : [],
    entraOwners: owners.map((o) => `${o.userPrincipalName ?? o.displayName ?? o.id}${o.accountEnabled === false ? ' (disabled)' : ''}`),
    entraMatchedBy: by,
  };
}

export function correlateEntraLeaks(inventory: Inventory): number {
  const byHint = new Map<string, Candidate[]>();
  const apps = new Map<string, Identity>();
  const sps = new Map<string, Identity>();
  for (const i of inventory.identities) {
    if (isEntraApplication(i)) apps.set(i.id, i);
    else if (isEntraServicePrincipal(i)) sps.set(servicePrincipalAttributes(i).objectId.toLowerCase(), i);
  }
  for (const c of inventory.credentials) {
    if (!isEntraCredential(c) || c.kind !== KIND_CLIENT_SECRET) continue;
    const hint = entraCredentialAttributes(c).hint;
    if (!hint) continue;
    byHint.set(hint, [...(byHint.get(hint) ?? []), { credential: c, app: c.identityId ? apps.get(c.identityId) : undefined }]);
  }
  if (!byHint.size) return 0;
  let matched = 0;
  for (const leaked of inventory.credentials) {
    const hint = leakedEntraHint(leaked);
    const candidates = hint ? byHint.get(hint) : undefined;
    if (!candidates) continue;
    const { matches, by } = narrow(candidates, leaked);
    const holders = new Set(matches.map((m) => entraCredentialAttributes(m.credential).holderObjectId));
    if (holders.size > 1) {
      leaked.attributes.entraAmbiguousMatches = holders.size;
      continue;
    }
    // Several secrets of one application share the hint: the live one is the likelier match.
    const best = matches.find((m) => m.credential.status === 'active') ?? matches[0]!;
    Object.assign(leaked.attributes, matchAttributes(best, by, sps));
    leaked.identityId = best.credential.identityId;
    const seen = Array.isArray(best.credential.attributes.leakedAs) ? (best.credential.attributes.leakedAs as string[]) : [];
    if (!seen.includes(leaked.id)) best.credential.attributes.leakedAs = [...seen, leaked.id];
    matched++;
  }
  return matched;
}

export const entraLeakCorrelationEnricher: Enricher = {
  id: 'entra-leak-correlation',
  order: 90,
  enrich(inventory, { log }) {
    const matched = correlateEntraLeaks(inventory);
    if (matched) log.debug(`entra: matched ${matched} leaked client secret(s) to applications`);
    const stored = correlateActionsSecrets(inventory);
    if (stored) log.debug(`entra: matched ${stored} GitHub Actions secret(s) to applications`);
  },
};
