/**
 * Stored secrets that say which live credential they hold: a tag whose value is the credential's identifier
 * (an AWS access key id, a GCP key id, an Entra credential's keyId). Providers never return a stored value, so
 * this is the one exact link between a copy in a secret store and the credential it is a copy of. The lineage
 * graph draws it (`unlocks`, like a leaked copy) and the reuse rule groups by it.
 */
import { isAwsAccessKey, KIND_SECRET } from '../model/aws.js';
import { isEntraCredential } from '../model/entra.js';
import { gcpKeyAttributes, KIND_GCP_KEY } from '../model/gcp.js';
import { isOfKind, type Credential, type Identity, type Inventory } from '../model/index.js';

/** A string attribute lower-cased; anything else (an imported report may hold any shape) is no identifier. */
export function lowered(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

/**
 * A stored secret's own name: the last segment of its native id (`org/repo/environments/prod/NAME`, a vault
 * item id) or, for Secrets Manager, of its name (`team/app/NAME`; the ARN ends in a random suffix).
 */
export function storedSecretName(item: Credential | Identity): string {
  return (isOfKind(item, 'aws', [KIND_SECRET]) ? item.name : item.nativeId).split('/').pop() ?? item.name;
}

/** Live credentials by the identifiers a tag or a leak can carry: AWS access key ids, GCP key ids, Entra keyIds. */
export function liveCredentialIds(inventory: Inventory): Map<string, string> {
  const ids = new Map<string, string>();
  const add = (id: unknown, credentialId: string) => void (typeof id === 'string' && id && ids.set(id, credentialId));
  for (const c of inventory.credentials) {
    if (isAwsAccessKey(c)) add(c.attributes.accessKeyId, c.id);
    else if (c.provider === 'gcp' && c.kind === KIND_GCP_KEY) add(lowered(gcpKeyAttributes(c).keyId), c.id);
    else if (isEntraCredential(c)) add(lowered(c.attributes.keyId), c.id);
  }
  return ids;
}

/** The live credential a stored secret's tags name, if any (never itself, never a secret found in code). */
export function taggedCredentialOf(stored: Credential, liveIds: Map<string, string>): string | undefined {
  if (stored.secret) return undefined;
  for (const value of Object.values(stored.tags)) {
    if (typeof value !== 'string' || !value) continue;
    const id = liveIds.get(value) ?? liveIds.get(value.toLowerCase());
    if (id && id !== stored.id) return id;
  }
  return undefined;
}
